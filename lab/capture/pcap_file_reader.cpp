#include "lab/capture/pcap_file_reader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "lab/capture/message_text.h"

namespace osilab::capture {

namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;

// The state behind a replay FILE*: first the peeked bytes, then the descriptor.
struct ReplayCookie {
    std::vector<uint8_t> prefix;
    size_t prefix_used = 0;
    int fd = -1;
    bool owns_fd = false;
    uint64_t delivered = 0;
};

ssize_t replayRead(void* cookie, char* buffer, size_t size) {
    auto* state = static_cast<ReplayCookie*>(cookie);
    if (state->prefix_used < state->prefix.size()) {
        size_t n = state->prefix.size() - state->prefix_used;
        if (n > size) n = size;
        std::memcpy(buffer, state->prefix.data() + state->prefix_used, n);
        state->prefix_used += n;
        state->delivered += n;
        return static_cast<ssize_t>(n);
    }
    for (;;) {
        ssize_t got = ::read(state->fd, buffer, size);
        if (got < 0 && errno == EINTR) continue;
        if (got > 0) state->delivered += static_cast<uint64_t>(got);
        return got;
    }
}

// Only answers "where am I" (what ftell asks), so positions work on a pipe too.
int replaySeek(void* cookie, off64_t* offset, int whence) {
    auto* state = static_cast<ReplayCookie*>(cookie);
    if (whence != SEEK_CUR || *offset != 0) {
        errno = ESPIPE;
        return -1;
    }
    *offset = static_cast<off64_t>(state->delivered);
    return 0;
}

int replayClose(void* cookie) {
    auto* state = static_cast<ReplayCookie*>(cookie);
    if (state->owns_fd && state->fd >= 0) ::close(state->fd);
    delete state;
    return 0;
}

uint32_t readU32(const uint8_t* p, bool swapped) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return swapped ? __builtin_bswap32(v) : v;
}

uint16_t readU16(const uint8_t* p, bool swapped) {
    uint16_t v;
    std::memcpy(&v, p, 2);
    return swapped ? __builtin_bswap16(v) : v;
}

bool startsWith(const std::string& text, const char* prefix) {
    return text.rfind(prefix, 0) == 0;
}

}  // namespace

PcapFileHeader parsePcapFileHeader(const uint8_t* bytes) {
    PcapFileHeader header;
    uint32_t magic;
    std::memcpy(&magic, bytes, 4);
    // Native magics are a1b2c3d4 (us), a1b23c4d (ns), a1b2cd34 (Kuznetzov's patched format).
    header.swapped = magic != 0xa1b2c3d4 && magic != 0xa1b23c4d && magic != 0xa1b2cd34;
    header.version_major = readU16(bytes + 4, header.swapped);
    header.version_minor = readU16(bytes + 6, header.swapped);
    // The top 6 bits carry FCS information, not the link type (libpcap's LT_LINKTYPE).
    header.link_type = readU32(bytes + 20, header.swapped) & 0x03FFFFFF;
    return header;
}

FILE* openReplayFile(std::vector<uint8_t> prefix, int fd, bool owns_fd) {
    auto* cookie = new ReplayCookie{std::move(prefix), 0, fd, owns_fd, 0};
    cookie_io_functions_t functions{};
    functions.read = replayRead;
    functions.seek = replaySeek;
    functions.close = replayClose;
    FILE* file = fopencookie(cookie, "rb", functions);
    if (file == nullptr) replayClose(cookie);
    return file;
}

Result<std::unique_ptr<CaptureReader>> PcapFileReader::open(FILE* file,
                                                            const PcapFileHeader& header,
                                                            std::string name, uint64_t size,
                                                            std::vector<uint8_t> keep_alive) {
    std::unique_ptr<PcapFileReader> reader(new PcapFileReader());
    reader->keep_alive_ = std::move(keep_alive);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* handle =
        pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (handle == nullptr) {
        std::fclose(file);  // libpcap leaves the FILE open when it fails
        const std::string message = errbuf;
        if (startsWith(message, "archaic") || startsWith(message, "unsupported pcap savefile")) {
            return Error{name + " is a pcap file of version " +
                         std::to_string(header.version_major) + "." +
                         std::to_string(header.version_minor) +
                         ", which cannot be read (only version 2.4 is in use)"};
        }
        return Error{"cannot read " + name + " as a pcap file: " + message};
    }
    reader->handle_.reset(handle);
    reader->file_ = pcap_file(handle);
    reader->snapshot_ = static_cast<uint32_t>(pcap_snapshot(handle));
    reader->header_ = header;
    reader->name_ = std::move(name);
    reader->size_ = size;
    return std::unique_ptr<CaptureReader>(std::move(reader));
}

ReadStatus PcapFileReader::next(Record& out) {
    if (finished_) return final_status_;
    const uint64_t record_at = position_;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int result = pcap_next_ex(handle_.get(), &header, &data);
    if (result == 1) {
        out.kind = Record::Kind::Packet;
        PacketRecord& packet = out.packet;
        packet.number = ++packets_;
        packet.link_type = header_.link_type;
        packet.interface_id = 0;
        // pcap seconds are unsigned 32-bit (good until 2106); libpcap hands them over signed.
        packet.time_ns = int64_t{static_cast<uint32_t>(header->ts.tv_sec)} * kNanosPerSecond +
                         static_cast<int64_t>(header->ts.tv_usec);  // ns: we asked for nano
        packet.cap_len = header->caplen;
        packet.orig_len = header->len;
        packet.data = data;
        packet.comments.clear();
        // libpcap clips a record longer than the snapshot length to it and skips the rest, so
        // only then does caplen not tell how far the file moved; ftell (a system call) is kept
        // for that case.
        position_ = record_at + 16 + header->caplen;
        if (header->caplen >= snapshot_) {
            const long at = std::ftell(file_);
            if (at >= 0) position_ = static_cast<uint64_t>(at);
        }
        return ReadStatus::Ok;
    }
    finished_ = true;
    if (result == PCAP_ERROR_BREAK) {
        final_status_ = ReadStatus::End;
        return final_status_;
    }
    error_ = describeReadError(pcap_geterr(handle_.get()), record_at);
    final_status_ = ReadStatus::Error;
    return final_status_;
}

std::string PcapFileReader::describeReadError(const std::string& message,
                                              uint64_t record_at) const {
    const std::string packet = "packet " + withThousands(packets_ + 1);
    const std::string damage =
        ": the file is damaged from byte " + withThousands(record_at) + " on";
    unsigned long long wanted = 0, got = 0, snaplen = 0;
    if (std::sscanf(message.c_str(),
                    "truncated dump file; tried to read %llu header bytes, "
                    "only got %llu",
                    &wanted, &got) == 2) {
        return name_ + " is cut short in the middle of " + packet +
               " (record header: " + withThousands(got) + " of " + withThousands(wanted) +
               " bytes)";
    }
    if (std::sscanf(message.c_str(),
                    "truncated dump file; tried to read %llu captured bytes, "
                    "only got %llu",
                    &wanted, &got) == 2) {
        return name_ + " is cut short in the middle of " + packet +
               " (packet data: " + withThousands(got) + " of " + withThousands(wanted) + " bytes)";
    }
    if (std::sscanf(message.c_str(),
                    "invalid packet capture length %llu, bigger than snaplen of "
                    "%llu",
                    &wanted, &snaplen) == 2) {
        return name_ + ": " + packet + " says it captured " + withThousands(wanted) +
               " bytes, more than the snapshot length " + withThousands(snaplen) + damage;
    }
    if (std::sscanf(message.c_str(),
                    "invalid packet capture length %llu, bigger than maximum of "
                    "%llu",
                    &wanted, &snaplen) == 2) {
        return name_ + ": " + packet + " says it captured " + withThousands(wanted) +
               " bytes, more than the " + withThousands(snaplen) +
               " a packet of this link type can have" + damage;
    }
    if (startsWith(message, "error reading dump file: ")) {
        return "cannot read " + name_ + " (" + packet +
               "): " + message.substr(std::strlen("error reading dump file: "));
    }
    return name_ + ": " + packet + " cannot be read: " + message + damage;
}

}  // namespace osilab::capture
