// Writes pcapng (libpcap cannot): the session stream of a lesson run, to a file or to stdout.
// Each block goes out whole in one write() (retried only when interrupted or short), so a
// reader on the other end of a pipe never waits on half a block for long, and a writer killed
// between blocks leaves a file every pcapng reader opens.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "lab/common/result.h"

namespace osilab::capture {

class PcapngWriter {
public:
    // Creates (or truncates) `path` and owns the descriptor.
    static Result<PcapngWriter> create(const std::string& path);
    // Writes to `fd` (e.g. STDOUT_FILENO) without closing it; `name` is used in messages.
    PcapngWriter(int fd, std::string name);

    PcapngWriter(PcapngWriter&& other) noexcept;
    PcapngWriter& operator=(PcapngWriter&& other) noexcept;
    PcapngWriter(const PcapngWriter&) = delete;
    PcapngWriter& operator=(const PcapngWriter&) = delete;
    ~PcapngWriter();

    // Each returns the number of bytes written, or an Error naming the output.

    // Starts a section (shb_userappl "OSI Lab"); interfaces are numbered from 0 again after it.
    Result<size_t> writeSectionHeader();
    // Describes an interface (LINKTYPE_*, timestamps in nanoseconds) and returns its number.
    Result<uint32_t> addInterface(uint32_t link_type, uint32_t snaplen, const std::string& name);
    // An Enhanced Packet Block, with one opt_comment per comment (each at most 65,535 bytes).
    Result<size_t> writePacket(uint32_t interface_id, int64_t time_ns, const uint8_t* data,
                               uint32_t cap_len, uint32_t orig_len,
                               std::span<const std::string> comments = {});
    // A Custom Block under the Private Enterprise Number `pen`. Readers get the data back padded
    // with zeros to a multiple of 4 bytes (pcapng records no length for it), so what is stored
    // here should carry its own length.
    Result<size_t> writeCustomBlock(uint32_t pen, const uint8_t* data, size_t size,
                                    bool copyable = true);
    Result<size_t> writeCustomBlock(uint32_t pen, std::span<const uint8_t> data,
                                    bool copyable = true) {
        return writeCustomBlock(pen, data.data(), data.size(), copyable);
    }

    const std::string& name() const { return name_; }

private:
    PcapngWriter(int fd, bool owns_fd, std::string name);
    void beginBlock(uint32_t type);
    void put16(uint16_t value);
    void put32(uint32_t value);
    void putRaw(const void* data, size_t size);
    void putBytes(const void* data, size_t size);  // padded to a multiple of 4
    void putOption(uint16_t code, const void* value, size_t size);
    Result<size_t> finishBlock();
    void release();

    int fd_ = -1;
    bool owns_fd_ = false;
    std::string name_;
    bool section_started_ = false;
    uint32_t interfaces_ = 0;
    std::vector<uint8_t> block_;  // reused for every block: no allocation per packet
};

}  // namespace osilab::capture
