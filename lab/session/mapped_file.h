// A read-only memory map of a capture file. The viewer keeps only a small index per packet and
// reads the packet bytes straight from the map when a row or a layer view needs them, so a
// 654 MB capture costs page cache (shared, reclaimable), not the viewer's own memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "lab/common/result.h"

namespace osilab::session {

class MappedFile {
public:
    MappedFile() = default;
    // Maps the whole file. A file that cannot be mapped (a pipe, /proc files) is an Error; the
    // caller then copies the packets instead.
    static Result<MappedFile> open(const std::string& path);

    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    const uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

private:
    void release();

    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
};

}  // namespace osilab::session
