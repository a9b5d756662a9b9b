// Reading capture files: pcap through libpcap, pcapng through our own reader (libpcap hands over
// neither packet comments nor custom blocks, and refuses pcapng files that mix link types).
//
// A damaged file is not an all-or-nothing failure: every record before the damage is returned,
// then next() reports Error with a message that says what is wrong and where.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lab/common/result.h"

namespace osilab::capture {

struct PacketRecord {
    uint64_t number = 0;        // 1-based, in file order
    uint32_t link_type = 0;     // LINKTYPE_* of the packet's interface
    uint32_t interface_id = 0;  // pcapng interface; 0 for pcap
    int64_t time_ns = 0;        // since the Unix epoch
    uint32_t orig_len = 0;      // length on the wire
    uint32_t cap_len = 0;       // bytes in `data`
    const uint8_t* data = nullptr;      // valid until the next call to next()
    std::vector<std::string> comments;  // pcapng opt_comment options, in order
};

// A pcapng Custom Block (type 0x00000BAD copyable, 0x40000BAD not copyable): OSI Lab keeps its
// socket calls, step marks and state snapshots in these, under its Private Enterprise Number.
struct CustomBlockRecord {
    uint32_t pen = 0;
    bool copyable = true;
    std::vector<uint8_t> data;  // the custom data, without the PEN and options
    uint64_t packets_before = 0;  // how many packets came before it in the file
};

struct Record {
    enum class Kind { Packet, Custom } kind = Kind::Packet;
    PacketRecord packet;       // when kind == Packet
    CustomBlockRecord custom;  // when kind == Custom
};

enum class ReadStatus { Ok, End, Error };

class CaptureReader {
public:
    virtual ~CaptureReader() = default;

    // Reads the next record into `out`. On Error, error() says what and where; records returned
    // before stay valid results.
    virtual ReadStatus next(Record& out) = 0;
    virtual const std::string& error() const = 0;

    virtual const char* formatName() const = 0;  // "pcap" or "pcapng"
    // Bytes consumed so far and the file size (0 when unknown, e.g. stdin), for progress bars.
    virtual uint64_t position() const = 0;
    virtual uint64_t size() const = 0;
};

// Opens a pcap or pcapng file by its magic number; "-" reads standard input. A file that is
// neither, is missing or unreadable gives an Error saying so.
Result<std::unique_ptr<CaptureReader>> openCapture(const std::string& path);

// The same from a descriptor the reader then owns and closes, e.g. the read end of a pipe from a
// live run; it is read forward only, never rewound. `name` is used in error messages.
Result<std::unique_ptr<CaptureReader>> openCaptureFd(int fd, const std::string& name);

// The same from bytes in memory (tests, fuzzing); `name` is used in error messages.
Result<std::unique_ptr<CaptureReader>> openCaptureBuffer(std::vector<uint8_t> bytes,
                                                         const std::string& name);

}  // namespace osilab::capture
