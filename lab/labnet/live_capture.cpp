#include "lab/labnet/live_capture.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <utility>

#include "lab/labnet/network_rights.h"

namespace osilab::labnet {

namespace {

// One pcap_dispatch takes at most a batch (a ring of 32 MiB holds about 500 packets), a few more
// rounds catch what arrived meanwhile, and the bounds let a caller breathe under a flood.
constexpr int kDispatchBatch = 4096;
constexpr int kMaxDrainRounds = 8;

constexpr uint32_t kLinktypeRaw = 101;

// Captures report LINKTYPE_* values (what files carry); libpcap hands out DLT_* values, equal
// except for a few historical ones, of which only DLT_RAW can appear on Linux.
uint32_t linkTypeFor(int dlt) {
    if (dlt == DLT_RAW) return kLinktypeRaw;
    return static_cast<uint32_t>(dlt);
}

int64_t monotonicMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

bool isLoopbackInterface(const std::string& name) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    ifreq request{};
    std::strncpy(request.ifr_name, name.c_str(), IFNAMSIZ - 1);
    const bool loopback =
        ::ioctl(fd, SIOCGIFFLAGS, &request) == 0 && (request.ifr_flags & IFF_LOOPBACK) != 0;
    ::close(fd);
    return loopback;
}

// libpcap prefixes some messages; the student only needs the reason.
std::string plainFilterReason(std::string message) {
    const std::string prefix = "can't parse filter expression: ";
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    if (message == "syntax error in filter expression") message = "syntax error";
    return message;
}

std::string activationError(int status, const std::string& interface, const char* detail) {
    const std::string libpcap = std::string(" (libpcap: ") + detail + ")";
    switch (status) {
        case PCAP_ERROR_PERM_DENIED:
            return "Capturing on " + interface + " was refused: permission denied" + libpcap +
                   ". The private lab network (the default, --net private) needs no rights; to "
                   "capture on the host's network, " +
                   captureRightsHint() + ".";
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return "There is no network interface named '" + interface + "' to capture on" +
                   libpcap + ".";
        case PCAP_ERROR_IFACE_NOT_UP:
            return "The interface " + interface +
                   " is down, so nothing can be captured on it; the private lab network brings lo "
                   "up itself, on the host run `sudo ip link set " +
                   interface + " up`" + libpcap + ".";
        default:
            return "Cannot capture on " + interface + ": " + pcap_statustostr(status) + libpcap +
                   ".";
    }
}

}  // namespace

struct LiveCapture::Reading {
    LiveCapture* capture = nullptr;
    const PacketCallback* on_packet = nullptr;
    uint64_t delivered = 0;
    std::exception_ptr failure;  // thrown by on_packet; rethrown once libpcap has returned
    // confirmLive(): the probe's payload, swallowed when seen.
    std::string probe;
    bool probe_seen = false;
    int64_t probe_time_ns = 0;
};

Result<LiveCapture> LiveCapture::open(const CaptureOptions& options) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    LiveCapture capture;
    capture.interface_ = options.interface;
    capture.filter_ = options.filter;
    capture.handle_ = pcap_create(options.interface.c_str(), errbuf);
    if (capture.handle_ == nullptr) {
        return Error{"Cannot capture on " + options.interface + ": " + errbuf};
    }
    pcap* handle = capture.handle_;
    pcap_set_snaplen(handle, options.snaplen);
    pcap_set_promisc(handle, 0);
    pcap_set_immediate_mode(handle, 1);
    pcap_set_buffer_size(handle, options.buffer_bytes);
    // Not every device offers nanoseconds; microseconds are the fallback, not an error.
    pcap_set_tstamp_precision(handle, PCAP_TSTAMP_PRECISION_NANO);

    const int status = pcap_activate(handle);
    if (status < 0) return Error{activationError(status, options.interface, pcap_geterr(handle))};
    // status > 0 is a warning (e.g. a time stamp type not supported): the capture works.

    capture.nanoseconds_ = pcap_get_tstamp_precision(handle) == PCAP_TSTAMP_PRECISION_NANO;
    capture.link_type_ = linkTypeFor(pcap_datalink(handle));
    capture.snaplen_ = pcap_snapshot(handle);
    capture.fd_ = pcap_get_selectable_fd(handle);
    if (capture.fd_ < 0) {
        return Error{"Cannot capture on " + options.interface +
                     ": libpcap offers no descriptor to wait on."};
    }

    // We attach the program to the socket ourselves: libpcap's pcap_setfilter runs the first
    // ring slot through its user-space interpreter, which cannot evaluate "inbound" (a kernel
    // extension) and so silently loses the first packet.
    std::string expression = options.filter;
    if (isLoopbackInterface(options.interface)) {
        expression = options.filter.empty() ? "inbound" : "inbound and (" + options.filter + ")";
    }
    if (!expression.empty()) {
        bpf_program program{};
        if (pcap_compile(handle, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
            return Error{"The filter '" + options.filter +
                         "' is not valid BPF: " + plainFilterReason(pcap_geterr(handle))};
        }
        sock_fprog kernel_program{};
        kernel_program.len = static_cast<unsigned short>(program.bf_len);
        // struct bpf_insn and struct sock_filter have the same layout (code, jt, jf, k).
        kernel_program.filter = reinterpret_cast<sock_filter*>(program.bf_insns);
        const int attached = ::setsockopt(capture.fd_, SOL_SOCKET, SO_ATTACH_FILTER,
                                          &kernel_program, sizeof kernel_program);
        const int error_number = errno;
        pcap_freecode(&program);
        if (attached != 0) {
            return Error{"Cannot attach the capture filter '" + expression + "' on " +
                         options.interface + ": " + std::strerror(error_number)};
        }
    }

    if (pcap_setnonblock(handle, 1, errbuf) != 0) {
        return Error{"Cannot make the capture on " + options.interface +
                     " non-blocking: " + errbuf};
    }

    // Whatever reached the ring before the filter was attached is not ours to show.
    const PacketCallback discard = [](const CapturedPacket&) {};
    Reading reading;
    reading.capture = &capture;
    reading.on_packet = &discard;
    if (capture.drain(reading) < 0) return Error{capture.error_};
    return capture;
}

LiveCapture::LiveCapture(LiveCapture&& other) noexcept {
    *this = std::move(other);
}

LiveCapture& LiveCapture::operator=(LiveCapture&& other) noexcept {
    if (this != &other) {
        close();
        handle_ = std::exchange(other.handle_, nullptr);
        fd_ = std::exchange(other.fd_, -1);
        link_type_ = other.link_type_;
        snaplen_ = other.snaplen_;
        nanoseconds_ = other.nanoseconds_;
        interface_ = std::move(other.interface_);
        filter_ = std::move(other.filter_);
        error_ = std::move(other.error_);
        probes_sent_ = other.probes_sent_;
    }
    return *this;
}

LiveCapture::~LiveCapture() {
    close();
}

void LiveCapture::close() {
    if (handle_ != nullptr) pcap_close(handle_);
    handle_ = nullptr;
    fd_ = -1;
}

void LiveCapture::onPacket(unsigned char* user, const ::pcap_pkthdr* header,
                           const unsigned char* bytes) {
    auto& reading = *reinterpret_cast<Reading*>(user);
    LiveCapture& capture = *reading.capture;
    if (reading.failure) return;  // pcap_breakloop is asked for; drop nothing more on the floor

    CapturedPacket packet;
    packet.time_ns = static_cast<int64_t>(header->ts.tv_sec) * 1'000'000'000 +
                     static_cast<int64_t>(header->ts.tv_usec) * (capture.nanoseconds_ ? 1 : 1000);
    packet.data = bytes;
    packet.cap_len = header->caplen;
    packet.orig_len = header->len;
    packet.link_type = capture.link_type_;

    if (!reading.probe.empty() && !reading.probe_seen && packet.cap_len >= reading.probe.size() &&
        std::memcmp(bytes + packet.cap_len - reading.probe.size(), reading.probe.data(),
                    reading.probe.size()) == 0) {
        reading.probe_seen = true;
        reading.probe_time_ns = packet.time_ns;
        return;
    }
    try {
        (*reading.on_packet)(packet);
        ++reading.delivered;
    } catch (...) {
        reading.failure = std::current_exception();
        pcap_breakloop(capture.handle_);
    }
}

int LiveCapture::drain(Reading& reading) {
    const uint64_t before = reading.delivered;
    for (int round = 0; round < kMaxDrainRounds; ++round) {
        const int n = pcap_dispatch(handle_, kDispatchBatch, &LiveCapture::onPacket,
                                    reinterpret_cast<unsigned char*>(&reading));
        if (reading.failure) std::rethrow_exception(reading.failure);
        if (n < 0) {
            error_ = "Reading the capture on " + interface_ + " failed: " + pcap_geterr(handle_);
            return -1;
        }
        if (n == 0) break;
    }
    return static_cast<int>(reading.delivered - before);
}

ReadStatus LiveCapture::readAvailable(const PacketCallback& on_packet, int timeout_ms,
                                      int wake_fd) {
    Reading reading;
    reading.capture = this;
    reading.on_packet = &on_packet;
    return read(reading, timeout_ms, wake_fd);
}

ReadStatus LiveCapture::read(Reading& reading, int timeout_ms, int wake_fd) {
    if (handle_ == nullptr) {
        error_ = "The capture is closed.";
        return ReadStatus::Error;
    }
    if (wake_fd >= 0) {
        pollfd wake{wake_fd, POLLIN, 0};
        if (::poll(&wake, 1, 0) > 0) return ReadStatus::Interrupted;
    }
    const bool probe_pending = !reading.probe.empty() && !reading.probe_seen;
    auto progress = [&] { return probe_pending && reading.probe_seen; };

    int n = drain(reading);
    if (n < 0) return ReadStatus::Error;
    if (n > 0 || progress()) return ReadStatus::Packets;

    const int64_t deadline = monotonicMs() + (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        const int64_t remaining = deadline - monotonicMs();
        if (remaining <= 0) return ReadStatus::Quiet;
        pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
        const int ready = ::poll(fds, wake_fd >= 0 ? 2 : 1, static_cast<int>(remaining));
        if (ready < 0) {
            if (errno == EINTR) continue;
            error_ = "Waiting for packets on " + interface_ + " failed: " + std::strerror(errno);
            return ReadStatus::Error;
        }
        if (ready == 0) return ReadStatus::Quiet;
        if (wake_fd >= 0 && fds[1].revents != 0) return ReadStatus::Interrupted;
        if ((fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
            int socket_error = 0;
            socklen_t length = sizeof socket_error;
            ::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &socket_error, &length);
            if (socket_error == ENETDOWN) {
                error_ = "The interface " + interface_ +
                         " went down or was removed during the "
                         "capture.";
            } else {
                error_ = "The capture on " + interface_ + " failed: " +
                         (socket_error != 0 ? std::strerror(socket_error) : "socket error");
            }
            return ReadStatus::Error;
        }
        n = drain(reading);
        if (n < 0) return ReadStatus::Error;
        if (n > 0 || progress()) return ReadStatus::Packets;
        // Woken for nothing we deliver (e.g. only the probe): wait for the rest of the time.
    }
}

Result<int64_t> LiveCapture::confirmLive(const PacketCallback& on_packet, int timeout_ms) {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return Error{std::string("Cannot open the probe socket: ") + std::strerror(errno)};
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};

    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        return Error{std::string("Cannot bind the probe socket to 127.0.0.1: ") +
                     std::strerror(errno)};
    }

    Reading reading;
    reading.capture = this;
    reading.on_packet = &on_packet;
    // Unique per process, capture and call, so that no lesson packet can look like it.
    reading.probe = "osilab capture probe " + std::to_string(::getpid()) + "/" +
                    std::to_string(reinterpret_cast<uintptr_t>(this)) + "/" +
                    std::to_string(++probes_sent_) + "/" + std::to_string(monotonicMs());
    // Sent to itself: the socket receives it, so no ICMP "port unreachable" follows.
    if (::sendto(fd, reading.probe.data(), reading.probe.size(), 0,
                 reinterpret_cast<const sockaddr*>(&address), sizeof address) < 0) {
        return Error{std::string("Cannot send the capture probe on 127.0.0.1: ") +
                     std::strerror(errno)};
    }

    const int64_t deadline = monotonicMs() + (timeout_ms > 0 ? timeout_ms : 0);
    while (!reading.probe_seen) {
        const int64_t remaining = deadline - monotonicMs();
        if (remaining <= 0) break;
        if (read(reading, static_cast<int>(remaining), -1) == ReadStatus::Error) {
            return Error{error_};
        }
    }
    if (!reading.probe_seen) {
        return Error{"The capture on " + interface_ +
                     " did not see its own probe (a UDP datagram "
                     "from 127.0.0.1 to itself) within " +
                     std::to_string(timeout_ms) + " ms" +
                     (filter_.empty() ? "" : "; the filter '" + filter_ + "' may exclude it") +
                     "."};
    }
    return reading.probe_time_ns;
}

Result<CaptureStats> LiveCapture::stats() const {
    if (handle_ == nullptr) return Error{"The capture is closed."};
    pcap_stat raw{};
    if (pcap_stats(handle_, &raw) != 0) {
        return Error{"Cannot read the capture's counters on " + interface_ + ": " +
                     pcap_geterr(handle_)};
    }
    CaptureStats stats;
    stats.received = raw.ps_recv;
    stats.dropped = raw.ps_drop;
    stats.interface_dropped = raw.ps_ifdrop;
    return stats;
}

}  // namespace osilab::labnet
