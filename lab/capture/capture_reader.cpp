// Picks the reader by the magic number. Input is never rewound, so standard input (a pipe from
// `osilab run --stream`) is read exactly like a file: the first bytes are peeked, then replayed.
#include "lab/capture/capture_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "lab/capture/input_stream.h"
#include "lab/capture/message_text.h"
#include "lab/capture/pcap_file_reader.h"
#include "lab/capture/pcapng_reader.h"

namespace osilab::capture {

namespace {

enum class Format { Pcap, Pcapng, Unknown };

// What is peeked before choosing: a whole pcap file header. A pcapng section header is longer,
// so a well-formed stream of either kind always has this much.
constexpr size_t kPeekSize = 24;

Format formatOf(const uint8_t* magic) {
    uint32_t value;
    std::memcpy(&value, magic, 4);
    switch (value) {
        case 0xa1b2c3d4:
        case 0xd4c3b2a1:  // microseconds, either byte order
        case 0xa1b23c4d:
        case 0x4d3cb2a1:  // nanoseconds
        case 0xa1b2cd34:
        case 0x34cdb2a1:  // Kuznetzov's patched libpcap (libpcap reads it)
            return Format::Pcap;
        case 0x0a0d0d0a: return Format::Pcapng;
        default: return Format::Unknown;
    }
}

std::string notACapture(const std::string& name, const uint8_t* bytes, size_t size) {
    if (size == 0) return name + " is empty: it is neither a pcap nor a pcapng file";
    if (size < 4) {
        return name + " is only " + std::to_string(size) +
               " byte(s) long: too short for a pcap or pcapng file";
    }
    std::string message =
        name + " is neither a pcap nor a pcapng file (it starts with " + hexBytes(bytes, 4) + ")";
    if (bytes[0] == 0x1f && bytes[1] == 0x8b) {
        message += "; it is gzip-compressed: decompress it first (gunzip)";
    } else if (bytes[0] == '<') {
        message += "; it looks like an HTML or XML page, perhaps a download that went wrong";
    }
    return message;
}

Result<std::unique_ptr<CaptureReader>> openPcapStream(std::vector<uint8_t> prefix, int fd,
                                                      bool owns_fd, bool seekable,
                                                      const std::string& name, uint64_t size) {
    if (prefix.size() < kPeekSize) {
        if (owns_fd) ::close(fd);
        return Error{name + " is cut short inside its pcap file header (" +
                     std::to_string(prefix.size()) + " of 24 bytes)"};
    }
    const PcapFileHeader header = parsePcapFileHeader(prefix.data());
    FILE* file = nullptr;
    if (seekable && ::lseek(fd, 0, SEEK_SET) == 0) {
        // A regular file: libpcap reads it from the start through stdio, no replay needed.
        file = ::fdopen(owns_fd ? fd : ::dup(fd), "rb");
    } else {
        file = openReplayFile(std::move(prefix), fd, owns_fd);
        owns_fd = false;  // the replay FILE owns it now (or closed it on failure)
    }
    if (file == nullptr) {
        const int error = errno;
        if (owns_fd) ::close(fd);
        return Error{"cannot read " + name + ": " + errnoText(error)};
    }
    return PcapFileReader::open(file, header, name, size);
}

}  // namespace

namespace {

// Recognises the format from the first bytes of `fd` and opens the matching reader.
// `rewindable`: a regular file we opened ourselves, which the pcap reader may seek in.
Result<std::unique_ptr<CaptureReader>> openDescriptor(int fd, bool owns_fd, bool rewindable,
                                                      const std::string& name) {
    auto closeOwned = [&] {
        if (owns_fd) ::close(fd);
    };

    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        const int error = errno;
        closeOwned();
        return Error{"cannot open " + name + ": " + errnoText(error)};
    }
    if (S_ISDIR(info.st_mode)) {
        closeOwned();
        return Error{"cannot open " + name + ": it is a folder, not a capture file"};
    }
    const bool regular = S_ISREG(info.st_mode);
    const uint64_t size = regular ? static_cast<uint64_t>(info.st_size) : 0;

    // Peek with read(): a pipe gives what it has, so loop until the header or the end.
    std::vector<uint8_t> prefix(kPeekSize);
    size_t got = 0;
    while (got < kPeekSize) {
        const ssize_t n = ::read(fd, prefix.data() + got, kPeekSize - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            closeOwned();
            return Error{"cannot read " + name + ": " + errnoText(error)};
        }
        if (n == 0) break;
        got += static_cast<size_t>(n);
    }
    prefix.resize(got);

    const Format format = got >= 4 ? formatOf(prefix.data()) : Format::Unknown;
    switch (format) {
        case Format::Pcap:
            // stdin is never rewound, even when it happens to be a redirected regular file.
            return openPcapStream(std::move(prefix), fd, owns_fd, regular && rewindable, name,
                                  size);
        case Format::Pcapng:
            return PcapngReader::open(InputStream::fromFd(fd, owns_fd, std::move(prefix), size),
                                      name);
        case Format::Unknown: break;
    }
    closeOwned();
    return Error{notACapture(name, prefix.data(), got)};
}

}  // namespace

Result<std::unique_ptr<CaptureReader>> openCapture(const std::string& path) {
    const bool is_stdin = path == "-";
    const std::string name = is_stdin ? "standard input" : path;
    int fd = STDIN_FILENO;
    if (!is_stdin) {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return Error{"cannot open " + name + ": " + errnoText(errno)};
    }
    return openDescriptor(fd, !is_stdin, !is_stdin, name);
}

Result<std::unique_ptr<CaptureReader>> openCaptureFd(int fd, const std::string& name) {
    return openDescriptor(fd, true, false, name);
}

Result<std::unique_ptr<CaptureReader>> openCaptureBuffer(std::vector<uint8_t> bytes,
                                                         const std::string& name) {
    const Format format = bytes.size() >= 4 ? formatOf(bytes.data()) : Format::Unknown;
    if (format == Format::Pcapng)
        return PcapngReader::open(InputStream::fromMemory(std::move(bytes)), name);
    if (format == Format::Unknown) return Error{notACapture(name, bytes.data(), bytes.size())};

    if (bytes.size() < kPeekSize) {
        return Error{name + " is cut short inside its pcap file header (" +
                     std::to_string(bytes.size()) + " of 24 bytes)"};
    }
    const PcapFileHeader header = parsePcapFileHeader(bytes.data());
    const uint64_t size = bytes.size();
    FILE* file = ::fmemopen(bytes.data(), bytes.size(), "rb");
    if (file == nullptr) return Error{"cannot read " + name + ": " + errnoText(errno)};
    return PcapFileReader::open(file, header, name, size, std::move(bytes));
}

}  // namespace osilab::capture
