// Classic pcap files, read by libpcap (every magic: micro- or nanosecond stamps, either byte
// order). libpcap's own messages are turned into ones that name the packet and the byte.
#pragma once

#include <pcap/pcap.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "lab/capture/capture_reader.h"

namespace osilab::capture {

// What we learned from the first bytes ourselves, before libpcap sees them.
struct PcapFileHeader {
    bool swapped = false;
    uint32_t link_type = 0;  // LINKTYPE_*, from the file header (libpcap only says DLT_*)
    uint16_t version_major = 0;
    uint16_t version_minor = 0;
};

// The first bytes must hold a whole 24-byte pcap file header with a pcap magic.
PcapFileHeader parsePcapFileHeader(const uint8_t* bytes);

// A FILE* that replays `prefix` and then reads `fd` (closed with the FILE when `owns_fd`): lets
// libpcap read a pipe whose first bytes we already took to recognise the format.
FILE* openReplayFile(std::vector<uint8_t> prefix, int fd, bool owns_fd);

class PcapFileReader final : public CaptureReader {
public:
    // Takes `file` (closed in every case). `keep_alive` holds the bytes behind an fmemopen'ed
    // FILE. `size` is the file size if known, else 0.
    static Result<std::unique_ptr<CaptureReader>> open(FILE* file, const PcapFileHeader& header,
                                                       std::string name, uint64_t size,
                                                       std::vector<uint8_t> keep_alive = {});

    ReadStatus next(Record& out) override;
    const std::string& error() const override { return error_; }
    const char* formatName() const override { return "pcap"; }
    uint64_t position() const override { return position_; }
    uint64_t size() const override { return size_; }

private:
    struct PcapCloser {
        void operator()(pcap_t* handle) const { pcap_close(handle); }
    };

    PcapFileReader() = default;
    std::string describeReadError(const std::string& libpcap_message, uint64_t record_at) const;

    std::vector<uint8_t> keep_alive_;  // declared first: destroyed after the handle
    std::unique_ptr<pcap_t, PcapCloser> handle_;
    FILE* file_ = nullptr;  // owned by handle_
    PcapFileHeader header_;
    std::string name_;
    std::string error_;
    uint32_t snapshot_ = 0;  // libpcap's snapshot length for the file
    uint64_t position_ = 24;
    uint64_t size_ = 0;
    uint64_t packets_ = 0;
    bool finished_ = false;
    ReadStatus final_status_ = ReadStatus::End;
};

}  // namespace osilab::capture
