// A forward-only byte source for our pcapng reader: a file, a pipe (stdin from
// `osilab run --stream`) or bytes in memory. It never seeks and never reads more than the
// reader asks for beyond one buffer, so a live stream is parsed as it arrives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace osilab::capture {

class InputStream {
public:
    // Reads `fd` (closed on destruction when `owns_fd`), first replaying `prefix`: the bytes
    // already taken from it to recognise the format. `size` is the total size when known, else 0.
    static InputStream fromFd(int fd, bool owns_fd, std::vector<uint8_t> prefix, uint64_t size);
    // Reads bytes in memory without copying them again.
    static InputStream fromMemory(std::vector<uint8_t> bytes);

    InputStream(InputStream&& other) noexcept;
    InputStream& operator=(InputStream&& other) noexcept;
    InputStream(const InputStream&) = delete;
    InputStream& operator=(const InputStream&) = delete;
    ~InputStream();

    // Makes `count` bytes from the current position available at data(), unless the input ends
    // (or fails) first. Returns how many are available, which is less than `count` only then.
    // Pointers from data() are invalidated by the next call.
    size_t ensure(size_t count);
    const uint8_t* data() const { return begin_; }
    // Moves the current position on; `count` must not exceed what ensure() returned.
    void consume(size_t count);

    uint64_t position() const { return position_; }
    uint64_t size() const { return size_; }
    // Non-empty after a read failed (errno text); ensure() then returns what it had.
    const std::string& readError() const { return read_error_; }

private:
    InputStream() = default;
    void release();

    int fd_ = -1;
    bool owns_fd_ = false;
    bool at_end_ = false;
    std::vector<uint8_t> storage_;    // the buffer for fd input, or the bytes themselves in memory
    const uint8_t* begin_ = nullptr;  // current position inside storage_
    const uint8_t* end_ = nullptr;    // end of valid bytes inside storage_
    uint64_t position_ = 0;
    uint64_t size_ = 0;
    std::string read_error_;
};

}  // namespace osilab::capture
