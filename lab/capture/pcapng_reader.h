// Our own pcapng reader. libpcap reads pcapng too, but it drops packet comments and custom
// blocks (where OSI Lab keeps a lesson's story) and refuses files whose interfaces have different
// link types, which merged captures often have.
//
// Every length in the file is checked before it is used; a damaged block ends the reading with a
// message naming the packet and the byte where the damage starts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lab/capture/capture_reader.h"
#include "lab/capture/input_stream.h"

namespace osilab::capture {

class PcapngReader final : public CaptureReader {
public:
    // Reads the Section Header Block at the start of `in` (its magic was already recognised);
    // `name` is how messages call the input ("trace.pcapng", "standard input").
    static Result<std::unique_ptr<CaptureReader>> open(InputStream in, std::string name);

    ReadStatus next(Record& out) override;
    const std::string& error() const override { return error_; }
    const char* formatName() const override { return "pcapng"; }
    uint64_t position() const override { return in_.position(); }
    uint64_t size() const override { return in_.size(); }

private:
    // How one interface's timestamps turn into nanoseconds (if_tsresol, if_tsoffset).
    struct Interface {
        uint32_t link_type = 0;
        uint32_t snaplen = 0;
        enum class Scale : uint8_t { Multiply, Divide, Shift } scale = Scale::Multiply;
        uint64_t factor = 1000;  // default resolution: microseconds
        uint32_t shift = 0;
        int64_t offset_seconds = 0;
    };
    enum class Step { Record, Skipped, End, Error };

    PcapngReader(InputStream in, std::string name) : in_(std::move(in)), name_(std::move(name)) {}

    Step step(Record& out);
    Step readSectionHeader(const uint8_t* block, uint32_t length, uint64_t at);
    Step readInterface(const uint8_t* block, uint32_t length, uint64_t at);
    Step readPacket(uint32_t type, const uint8_t* block, uint32_t length, uint64_t at,
                    PacketRecord& out);
    Step readSimplePacket(const uint8_t* block, uint32_t length, uint64_t at, PacketRecord& out);
    Step readCustom(uint32_t type, const uint8_t* block, uint32_t length, CustomBlockRecord& out);

    // Walks options in [begin, end); false (after failing) when one runs past `end`.
    template <typename Visit>
    bool forEachOption(const uint8_t* begin, const uint8_t* end, uint32_t type, uint64_t at,
                       Visit&& visit);

    uint16_t u16(const uint8_t* p) const;
    uint32_t u32(const uint8_t* p) const;
    uint64_t u64(const uint8_t* p) const;
    int64_t toNanoseconds(const Interface& interface, uint64_t stamp) const;

    // Names a block in messages: "packet 12" or "the interface description block after packet 11".
    std::string subject(uint32_t type) const;
    Step fail(std::string message);
    Step damaged(uint64_t at, const std::string& what);
    Step cutShort(uint32_t type, bool type_known, size_t got, size_t wanted, bool header);

    InputStream in_;
    std::string name_;
    std::string error_;
    bool swapped_ = false;  // the current section's byte order differs from ours
    bool finished_ = false;
    ReadStatus final_status_ = ReadStatus::End;
    uint64_t packets_ = 0;
    std::vector<Interface> interfaces_;
};

}  // namespace osilab::capture
