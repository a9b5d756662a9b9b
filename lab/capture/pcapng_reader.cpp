#include "lab/capture/pcapng_reader.h"

#include <cstring>
#include <limits>
#include <utility>

#include "lab/capture/message_text.h"
#include "lab/capture/pcapng_format.h"

namespace osilab::capture {

namespace {

__extension__ using Int128 = __int128;
__extension__ using Uint128 = unsigned __int128;

bool isPacketBlock(uint32_t type) {
    return type == pcapng::kEnhancedPacket || type == pcapng::kSimplePacket ||
           type == pcapng::kObsoletePacket;
}

const char* blockKind(uint32_t type) {
    switch (type) {
        case pcapng::kSectionHeader: return "section header block";
        case pcapng::kInterfaceDescription: return "interface description block";
        case pcapng::kNameResolution: return "name resolution block";
        case pcapng::kInterfaceStatistics: return "interface statistics block";
        case pcapng::kDecryptionSecrets: return "decryption secrets block";
        case pcapng::kCustomCopyable:
        case pcapng::kCustomNotCopyable: return "custom block";
        default: return "block";
    }
}

uint32_t roundUp4(uint32_t n) {
    return (n + 3u) & ~3u;
}

constexpr uint64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

Result<std::unique_ptr<CaptureReader>> PcapngReader::open(InputStream in, std::string name) {
    std::unique_ptr<PcapngReader> reader(new PcapngReader(std::move(in), std::move(name)));
    Record scratch;
    // The magic said the first block is a Section Header Block: read it now, so that a file of a
    // version we cannot read fails at open rather than at the first packet.
    if (reader->step(scratch) == Step::Error) return Error{reader->error_};
    return std::unique_ptr<CaptureReader>(std::move(reader));
}

ReadStatus PcapngReader::next(Record& out) {
    while (!finished_) {
        switch (step(out)) {
            case Step::Record: return ReadStatus::Ok;
            case Step::Skipped: break;
            case Step::End:
                finished_ = true;
                final_status_ = ReadStatus::End;
                break;
            case Step::Error:
                finished_ = true;
                final_status_ = ReadStatus::Error;
                break;
        }
    }
    return final_status_;
}

PcapngReader::Step PcapngReader::step(Record& out) {
    const uint64_t at = in_.position();
    size_t got = in_.ensure(8);
    if (got == 0) {
        if (!in_.readError().empty()) return fail("cannot read " + name_ + ": " + in_.readError());
        return Step::End;
    }
    const uint8_t* p = in_.data();
    if (got < 8) return cutShort(got >= 4 ? u32(p) : 0, got >= 4, got, 8, true);
    const uint32_t type = u32(p);

    if (type == pcapng::kSectionHeader) {
        // A new section may change the byte order: the length can only be read after the magic.
        got = in_.ensure(12);
        p = in_.data();
        if (got < 12) return cutShort(type, true, got, 12, true);
        uint32_t magic;
        std::memcpy(&magic, p + 8, 4);
        if (magic == pcapng::kByteOrderMagic) {
            swapped_ = false;
        } else if (magic == __builtin_bswap32(pcapng::kByteOrderMagic)) {
            swapped_ = true;
        } else {
            return damaged(at, "the section header at byte " + withThousands(at) +
                                   " has the byte-order magic " + hexBytes(p + 8, 4) +
                                   " (it should be 1a 2b 3c 4d or 4d 3c 2b 1a)");
        }
    }

    const uint32_t length = u32(p + 4);
    if (length % 4 != 0 || length < pcapng::kMinBlockLength || length > pcapng::kMaxBlockLength) {
        const char* why = length % 4 != 0 ? "but block lengths are multiples of 4"
                          : length < pcapng::kMinBlockLength
                              ? "but no block is shorter than 12 bytes"
                              : "more than the 64 MiB this reader accepts for one block";
        const char* says = isPacketBlock(type) ? " says its block is " : " says it is ";
        return damaged(at, subject(type) + says + withThousands(length) + " bytes long, " + why);
    }
    got = in_.ensure(length);
    p = in_.data();
    if (got < length) return cutShort(type, true, got, length, false);
    const uint32_t trailer = u32(p + length - 4);
    if (trailer != length) {
        return damaged(at, subject(type) + " has the length " + withThousands(length) +
                               " at the start of its block but " + withThousands(trailer) +
                               " at its end");
    }

    Step result = Step::Skipped;
    switch (type) {
        case pcapng::kSectionHeader: result = readSectionHeader(p, length, at); break;
        case pcapng::kInterfaceDescription: result = readInterface(p, length, at); break;
        case pcapng::kEnhancedPacket:
        case pcapng::kObsoletePacket:
            out.kind = Record::Kind::Packet;
            result = readPacket(type, p, length, at, out.packet);
            break;
        case pcapng::kSimplePacket:
            out.kind = Record::Kind::Packet;
            result = readSimplePacket(p, length, at, out.packet);
            break;
        case pcapng::kCustomCopyable:
        case pcapng::kCustomNotCopyable:
            out.kind = Record::Kind::Custom;
            result = readCustom(type, p, length, out.custom);
            break;
        default: break;  // statistics, name resolution, secrets, unknown: nothing we show
    }
    if (result != Step::Error) in_.consume(length);
    return result;
}

PcapngReader::Step PcapngReader::readSectionHeader(const uint8_t* block, uint32_t length,
                                                   uint64_t at) {
    // type, length, byte-order magic, major, minor, section length (8), trailing length
    if (length < 28) {
        return damaged(at, "the section header at byte " + withThousands(at) + " is only " +
                               withThousands(length) + " bytes long, less than the 28 it needs");
    }
    const uint16_t major = u16(block + 12);
    const uint16_t minor = u16(block + 14);
    // 1.2 was written by a buggy writer and means 1.0 (Wireshark and libpcap read it as such).
    if (major != 1 || (minor != 0 && minor != 2)) {
        std::string where =
            at == 0 ? name_ : "the section at byte " + withThousands(at) + " of " + name_;
        return fail(where + " uses pcapng version " + std::to_string(major) + "." +
                    std::to_string(minor) + ", which this reader cannot read (only 1.0 exists)");
    }
    // The section length (may be -1, "unknown") is not needed: blocks are read one by one.
    interfaces_.clear();  // interface numbers start again in each section
    return Step::Skipped;
}

PcapngReader::Step PcapngReader::readInterface(const uint8_t* block, uint32_t length, uint64_t at) {
    if (length < 20) {
        return damaged(at, subject(pcapng::kInterfaceDescription) + " is only " +
                               withThousands(length) + " bytes long, less than the 20 it needs");
    }
    Interface interface;
    interface.link_type = u16(block + 8);
    interface.snaplen = u32(block + 12);
    uint8_t resolution = 6;
    bool options_ok = forEachOption(block + 16, block + length - 4, pcapng::kInterfaceDescription,
                                    at, [&](uint16_t code, const uint8_t* value, uint16_t size) {
                                        if (code == pcapng::kIfTsResol && size == 1)
                                            resolution = value[0];
                                        if (code == pcapng::kIfTsOffset && size == 8) {
                                            interface.offset_seconds =
                                                static_cast<int64_t>(u64(value));
                                        }
                                    });
    if (!options_ok) return Step::Error;

    if (resolution & 0x80) {
        interface.scale = Interface::Scale::Shift;  // 2^-n seconds
        interface.shift = resolution & 0x7f;
    } else if (resolution <= 9) {
        interface.scale = Interface::Scale::Multiply;  // 10^-n seconds, n <= 9
        interface.factor = 1;
        for (int i = resolution; i < 9; ++i) interface.factor *= 10;
    } else {
        interface.scale = Interface::Scale::Divide;  // finer than a nanosecond
        interface.factor = 1;
        const int extra = resolution - 9;
        // 10^20 does not fit in 64 bits; any 64-bit stamp divided by it is 0 anyway.
        if (extra > 19) interface.factor = 0;
        for (int i = 0; i < extra && interface.factor != 0; ++i) interface.factor *= 10;
    }
    interfaces_.push_back(interface);
    return Step::Skipped;
}

PcapngReader::Step PcapngReader::readPacket(uint32_t type, const uint8_t* block, uint32_t length,
                                            uint64_t at, PacketRecord& out) {
    // EPB: interface id (4); OPB: interface id (2) + drops (2); then both have the timestamp
    // (8), captured length (4), original length (4), data, options, trailing length.
    constexpr uint32_t kFixed = 32;
    if (length < kFixed) {
        return damaged(at, subject(type) + " is in a block of only " + withThousands(length) +
                               " bytes, less than the 32 a packet block needs");
    }
    const uint32_t interface_id = type == pcapng::kEnhancedPacket ? u32(block + 8) : u16(block + 8);
    if (interface_id >= interfaces_.size()) {
        return damaged(at, subject(type) + " says it was captured on interface " +
                               std::to_string(interface_id) + ", but only " +
                               std::to_string(interfaces_.size()) +
                               " interface(s) were described before it");
    }
    const uint32_t cap_len = u32(block + 20);
    const uint32_t room = length - kFixed;
    if (cap_len > room) {
        return damaged(at, subject(type) + " says it captured " + withThousands(cap_len) +
                               " bytes, but its block has room for only " + withThousands(room));
    }
    const Interface& interface = interfaces_[interface_id];
    const uint64_t stamp = (uint64_t{u32(block + 12)} << 32) | u32(block + 16);

    size_t comments = 0;
    const uint8_t* options = block + 28 + roundUp4(cap_len);
    bool options_ok = forEachOption(options, block + length - 4, type, at,
                                    [&](uint16_t code, const uint8_t* value, uint16_t size) {
                                        if (code != pcapng::kOptComment) return;
                                        // Some writers end the text with NULs; they are not part of
                                        // the comment.
                                        while (size > 0 && value[size - 1] == 0) --size;
                                        const char* text = reinterpret_cast<const char*>(value);
                                        if (comments < out.comments.size()) {
                                            out.comments[comments].assign(
                                                text, size);  // keeps the string's capacity
                                        } else {
                                            out.comments.emplace_back(text, size);
                                        }
                                        ++comments;
                                    });
    if (!options_ok) return Step::Error;
    out.comments.resize(comments);

    out.number = ++packets_;
    out.link_type = interface.link_type;
    out.interface_id = interface_id;
    out.time_ns = toNanoseconds(interface, stamp);
    out.cap_len = cap_len;
    out.orig_len = u32(block + 24);
    out.data = block + 28;
    return Step::Record;
}

PcapngReader::Step PcapngReader::readSimplePacket(const uint8_t* block, uint32_t length,
                                                  uint64_t at, PacketRecord& out) {
    // type, length, original length, data, trailing length; always interface 0, no timestamp.
    if (length < 16) {
        return damaged(at, subject(pcapng::kSimplePacket) + " is in a block of only " +
                               withThousands(length) + " bytes, less than the 16 it needs");
    }
    if (interfaces_.empty()) {
        return damaged(at, subject(pcapng::kSimplePacket) +
                               " is a simple packet block, but no interface was described "
                               "before it");
    }
    const Interface& interface = interfaces_[0];
    const uint32_t orig_len = u32(block + 8);
    uint32_t cap_len = length - 16;
    if (orig_len < cap_len) cap_len = orig_len;
    if (interface.snaplen != 0 && interface.snaplen < cap_len) cap_len = interface.snaplen;

    out.comments.clear();
    out.number = ++packets_;
    out.link_type = interface.link_type;
    out.interface_id = 0;
    out.time_ns = 0;
    out.cap_len = cap_len;
    out.orig_len = orig_len;
    out.data = block + 12;
    return Step::Record;
}

PcapngReader::Step PcapngReader::readCustom(uint32_t type, const uint8_t* block, uint32_t length,
                                            CustomBlockRecord& out) {
    if (length < 16) return Step::Skipped;  // no room for the PEN: nothing to hand over
    // The format does not say where custom data ends and options begin (only the owner of the
    // PEN knows), so everything after the PEN is the data, padding included.
    out.pen = u32(block + 8);
    out.copyable = type == pcapng::kCustomCopyable;
    out.data.assign(block + 12, block + length - 4);
    out.packets_before = packets_;
    return Step::Record;
}

template <typename Visit>
bool PcapngReader::forEachOption(const uint8_t* begin, const uint8_t* end, uint32_t type,
                                 uint64_t at, Visit&& visit) {
    const uint8_t* p = begin;
    // Each option takes at least 4 bytes, so this ends within (end - begin) / 4 rounds.
    while (end - p >= 4) {
        const uint16_t code = u16(p);
        const uint16_t size = u16(p + 2);
        if (code == pcapng::kOptEndOfOpt) return true;
        const size_t padded = roundUp4(size);
        if (padded > static_cast<size_t>(end - p - 4)) {
            damaged(at, subject(type) + " has an option (code " + std::to_string(code) + ") of " +
                            withThousands(size) + " bytes that runs past the end of its block");
            return false;
        }
        visit(code, p + 4, size);
        p += 4 + padded;
    }
    return true;
}

uint16_t PcapngReader::u16(const uint8_t* p) const {
    uint16_t v;
    std::memcpy(&v, p, 2);
    return swapped_ ? __builtin_bswap16(v) : v;
}

uint32_t PcapngReader::u32(const uint8_t* p) const {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return swapped_ ? __builtin_bswap32(v) : v;
}

uint64_t PcapngReader::u64(const uint8_t* p) const {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return swapped_ ? __builtin_bswap64(v) : v;
}

int64_t PcapngReader::toNanoseconds(const Interface& interface, uint64_t stamp) const {
    // 128-bit arithmetic: a 64-bit stamp times 10^9 needs up to 94 bits. The result saturates
    // at the int64 range (year 2262), which no real capture reaches.
    Int128 ns = 0;
    switch (interface.scale) {
        case Interface::Scale::Multiply: ns = Int128(stamp) * interface.factor; break;
        case Interface::Scale::Divide:
            ns = interface.factor == 0 ? 0 : Int128(stamp / interface.factor);
            break;
        case Interface::Scale::Shift: {
            const uint32_t shift = interface.shift;
            const Uint128 whole = shift >= 64 ? 0 : Uint128(stamp >> shift);
            const Uint128 fraction = shift >= 64 ? stamp : stamp & ((uint64_t{1} << shift) - 1);
            ns = Int128(whole * kNanosPerSecond + ((fraction * kNanosPerSecond) >> shift));
            break;
        }
    }
    ns += Int128(interface.offset_seconds) * Int128(kNanosPerSecond);
    if (ns > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
    if (ns < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(ns);
}

std::string PcapngReader::subject(uint32_t type) const {
    if (isPacketBlock(type)) return "packet " + withThousands(packets_ + 1);
    std::string kind = blockKind(type);
    if (packets_ == 0) return "the " + kind + " before the first packet";
    return "the " + kind + " after packet " + withThousands(packets_);
}

PcapngReader::Step PcapngReader::fail(std::string message) {
    error_ = std::move(message);
    return Step::Error;
}

PcapngReader::Step PcapngReader::damaged(uint64_t at, const std::string& what) {
    return fail(name_ + ": " + what + ": the file is damaged from byte " + withThousands(at) +
                " on");
}

PcapngReader::Step PcapngReader::cutShort(uint32_t type, bool type_known, size_t got, size_t wanted,
                                          bool header) {
    std::string counts = (header ? "block header: " : "block: ") + withThousands(got) + " of " +
                         withThousands(wanted) + " bytes";
    if (!in_.readError().empty()) {
        return fail("cannot read " + name_ + ": " + in_.readError() + " (after packet " +
                    withThousands(packets_) + ")");
    }
    if (type_known && isPacketBlock(type)) {
        return fail(name_ + " is cut short in the middle of packet " + withThousands(packets_ + 1) +
                    " (" + counts + ")");
    }
    std::string where =
        packets_ == 0 ? "before its first packet" : "after packet " + withThousands(packets_);
    const std::string kind = type_known ? std::string(blockKind(type)) : std::string("block");
    const char* article = std::strchr("aeiou", kind[0]) ? "an " : "a ";
    return fail(name_ + " is cut short " + where + ", in the middle of " + article + kind + " (" +
                counts + ")");
}

}  // namespace osilab::capture
