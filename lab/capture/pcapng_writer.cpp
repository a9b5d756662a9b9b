#include "lab/capture/pcapng_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "lab/capture/message_text.h"
#include "lab/capture/pcapng_format.h"

namespace osilab::capture {

namespace {
constexpr size_t kMaxOptionValue = 0xffff;
constexpr char kUserApplication[] = "OSI Lab";
constexpr uint8_t kNanosecondResolution = 9;
}  // namespace

Result<PcapngWriter> PcapngWriter::create(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{"cannot create " + path + ": " + errnoText(errno)};
    return PcapngWriter(fd, true, path);
}

PcapngWriter::PcapngWriter(int fd, std::string name) : PcapngWriter(fd, false, std::move(name)) {
}

PcapngWriter::PcapngWriter(int fd, bool owns_fd, std::string name)
    : fd_(fd), owns_fd_(owns_fd), name_(std::move(name)) {
}

PcapngWriter::PcapngWriter(PcapngWriter&& other) noexcept {
    *this = std::move(other);
}

PcapngWriter& PcapngWriter::operator=(PcapngWriter&& other) noexcept {
    if (this != &other) {
        release();
        fd_ = std::exchange(other.fd_, -1);
        owns_fd_ = std::exchange(other.owns_fd_, false);
        name_ = std::move(other.name_);
        section_started_ = other.section_started_;
        interfaces_ = other.interfaces_;
        block_ = std::move(other.block_);
    }
    return *this;
}

PcapngWriter::~PcapngWriter() {
    release();
}

void PcapngWriter::release() {
    if (owns_fd_ && fd_ >= 0) ::close(fd_);
    fd_ = -1;
    owns_fd_ = false;
}

Result<size_t> PcapngWriter::writeSectionHeader() {
    beginBlock(pcapng::kSectionHeader);
    put32(pcapng::kByteOrderMagic);
    put16(1);  // version 1.0
    put16(0);
    put32(0xffffffff);  // section length unknown: we stream
    put32(0xffffffff);
    putOption(pcapng::kShbUserAppl, kUserApplication, sizeof kUserApplication - 1);
    putOption(pcapng::kOptEndOfOpt, nullptr, 0);
    Result<size_t> written = finishBlock();
    if (written) {
        section_started_ = true;
        interfaces_ = 0;
    }
    return written;
}

Result<uint32_t> PcapngWriter::addInterface(uint32_t link_type, uint32_t snaplen,
                                            const std::string& name) {
    if (!section_started_) {
        return Error{"cannot describe an interface in " + name_ +
                     " before its section header (call writeSectionHeader first)"};
    }
    if (link_type > 0xffff) {
        return Error{"cannot write link type " + std::to_string(link_type) + " to " + name_ +
                     ": pcapng link types are 16-bit"};
    }
    if (name.size() > kMaxOptionValue) {
        return Error{"cannot write the interface name to " + name_ +
                     ": it is longer than 65,535 bytes"};
    }
    beginBlock(pcapng::kInterfaceDescription);
    put16(static_cast<uint16_t>(link_type));
    put16(0);  // reserved
    put32(snaplen);
    if (!name.empty()) putOption(pcapng::kIfName, name.data(), name.size());
    putOption(pcapng::kIfTsResol, &kNanosecondResolution, 1);
    putOption(pcapng::kOptEndOfOpt, nullptr, 0);
    Result<size_t> written = finishBlock();
    if (!written) return written.error();
    return interfaces_++;
}

Result<size_t> PcapngWriter::writePacket(uint32_t interface_id, int64_t time_ns,
                                         const uint8_t* data, uint32_t cap_len, uint32_t orig_len,
                                         std::span<const std::string> comments) {
    if (interface_id >= interfaces_) {
        return Error{"cannot write a packet to " + name_ + " on interface " +
                     std::to_string(interface_id) + ": only " + std::to_string(interfaces_) +
                     " interface(s) were added"};
    }
    if (time_ns < 0) {
        return Error{"cannot write a packet to " + name_ +
                     " with a time before 1970: pcapng times are unsigned"};
    }
    size_t size = 32 + ((size_t{cap_len} + 3) & ~size_t{3}) + 4;
    for (const std::string& comment : comments) {
        if (comment.size() > kMaxOptionValue) {
            return Error{"cannot write a packet comment to " + name_ +
                         ": it is longer than 65,535 bytes"};
        }
        size += 4 + ((comment.size() + 3) & ~size_t{3});
    }
    if (size > pcapng::kMaxBlockLength) {
        return Error{"cannot write a packet of " + withThousands(cap_len) + " bytes to " + name_ +
                     ": a block may be at most 64 MiB"};
    }
    const uint64_t stamp = static_cast<uint64_t>(time_ns);
    beginBlock(pcapng::kEnhancedPacket);
    put32(interface_id);
    put32(static_cast<uint32_t>(stamp >> 32));
    put32(static_cast<uint32_t>(stamp));
    put32(cap_len);
    put32(orig_len);
    putBytes(data, cap_len);
    if (!comments.empty()) {
        for (const std::string& comment : comments) {
            putOption(pcapng::kOptComment, comment.data(), comment.size());
        }
        putOption(pcapng::kOptEndOfOpt, nullptr, 0);
    }
    return finishBlock();
}

Result<size_t> PcapngWriter::writeCustomBlock(uint32_t pen, const uint8_t* data, size_t size,
                                              bool copyable) {
    if (!section_started_) {
        return Error{"cannot write a custom block to " + name_ + " before its section header"};
    }
    if (size > pcapng::kMaxBlockLength - 32) {
        return Error{"cannot write a custom block of " + withThousands(size) + " bytes to " +
                     name_ + ": a block may be at most 64 MiB"};
    }
    beginBlock(copyable ? pcapng::kCustomCopyable : pcapng::kCustomNotCopyable);
    put32(pen);
    putBytes(data, size);
    return finishBlock();
}

void PcapngWriter::beginBlock(uint32_t type) {
    block_.clear();
    put32(type);
    put32(0);  // total length, filled in by finishBlock()
}

void PcapngWriter::put16(uint16_t value) {
    putRaw(&value, 2);
}

void PcapngWriter::put32(uint32_t value) {
    putRaw(&value, 4);
}

void PcapngWriter::putRaw(const void* data, size_t size) {
    if (size == 0) return;
    const size_t old_size = block_.size();
    block_.resize(old_size + size);  // keeps its capacity between blocks
    std::memcpy(block_.data() + old_size, data, size);
}

void PcapngWriter::putBytes(const void* data, size_t size) {
    putRaw(data, size);
    block_.resize((block_.size() + 3) & ~size_t{3}, 0);  // pad to 32 bits
}

void PcapngWriter::putOption(uint16_t code, const void* value, size_t size) {
    put16(code);
    put16(static_cast<uint16_t>(size));
    putBytes(value, size);
}

Result<size_t> PcapngWriter::finishBlock() {
    const uint32_t length = static_cast<uint32_t>(block_.size() + 4);
    put32(length);
    std::memcpy(block_.data() + 4, &length, 4);
    size_t done = 0;
    while (done < block_.size()) {
        const ssize_t n = ::write(fd_, block_.data() + done, block_.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return Error{"cannot write to " + name_ + ": " + errnoText(errno)};
        }
        done += static_cast<size_t>(n);
    }
    return done;
}

}  // namespace osilab::capture
