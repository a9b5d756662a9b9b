#include "bench/lab_burst_bench.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

namespace osilab::bench {
namespace {

constexpr uint16_t kBurstPort = 9310;
constexpr char kPayload[16] = "osilab burst";  // 16 bytes: a 58-byte frame on lo

sockaddr_in loopback(uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

// A bound receiver that nobody reads: the datagrams need a destination (else each would also
// cause an ICMP error), and once its buffer is full the kernel drops them at the socket, after
// the capture's tap saw them.
int sink() {
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const sockaddr_in address = loopback(kBurstPort);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

struct ThreadSwitches {
    long involuntary = 0, voluntary = 0;
};

ThreadSwitches threadSwitches() {
    rusage usage{};
    getrusage(RUSAGE_THREAD, &usage);
    return {usage.ru_nivcsw, usage.ru_nvcsw};
}

bool isBurstDatagram(const labnet::CapturedPacket& packet) {
    // Ethernet 14 + IPv4 20: the UDP destination port at 36; nothing here has IP options.
    return packet.cap_len >= 42 && packet.data[23] == 17 && packet.data[36] == (kBurstPort >> 8) &&
           packet.data[37] == (kBurstPort & 0xff);
}

Result<labnet::LiveCapture> openLive(int buffer_bytes) {
    labnet::CaptureOptions options;
    options.buffer_bytes = buffer_bytes;
    auto capture = labnet::LiveCapture::open(options);
    if (!capture) return capture.error();
    auto live = capture.value().confirmLive([](const labnet::CapturedPacket&) {});
    if (!live) return live.error();
    return std::move(capture).value();
}

}  // namespace

Result<BurstResult> runBurst(const BurstOptions& options) {
    auto opened = openLive(options.buffer_bytes);
    if (!opened) return opened.error();
    labnet::LiveCapture capture = std::move(opened).value();
    const int receiver = sink();
    if (receiver < 0) return Error{std::string("bind 127.0.0.1:9310: ") + std::strerror(errno)};

    cpu_set_t reader_cpu;
    CPU_ZERO(&reader_cpu);
    CPU_SET(sched_getcpu(), &reader_cpu);
    cpu_set_t all_cpus;
    sched_getaffinity(0, sizeof all_cpus, &all_cpus);
    if (options.sender_yields_to_reader) sched_setaffinity(0, sizeof reader_cpu, &reader_cpu);

    BurstResult result;
    std::atomic<bool> sent_all{false};
    std::thread sender([&] {
        if (options.sender_yields_to_reader) {
            sched_setaffinity(0, sizeof reader_cpu, &reader_cpu);
            setpriority(PRIO_PROCESS, 0, 19);  // this thread only (Linux)
        }
        const ThreadSwitches before = threadSwitches();
        const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        const sockaddr_in to = loopback(kBurstPort);
        const int64_t start = monotonicNs();
        for (int i = 0; i < options.datagrams; ++i) {
            if (::sendto(fd, kPayload, sizeof kPayload, 0, reinterpret_cast<const sockaddr*>(&to),
                         sizeof to) != static_cast<ssize_t>(sizeof kPayload)) {
                ++result.send_failures;
            } else {
                ++result.sent;
            }
        }
        result.send_seconds = static_cast<double>(monotonicNs() - start) / 1e9;
        ::close(fd);
        result.sender_involuntary = threadSwitches().involuntary - before.involuntary;
        sent_all = true;
    });

    const ThreadSwitches before = threadSwitches();
    std::string read_error;
    uint64_t seen = 0;
    std::vector<int64_t> behind;
    behind.reserve(static_cast<size_t>(options.datagrams));
    const labnet::PacketCallback count = [&](const labnet::CapturedPacket& packet) {
        if (!isBurstDatagram(packet)) return;
        ++seen;
        behind.push_back(realtimeNs() - packet.time_ns);
    };
    const auto wanted = static_cast<uint64_t>(options.datagrams);
    for (;;) {
        const uint64_t seen_before = seen;
        // Whether the sender had finished is read before the read: a Quiet read after that
        // means nothing more can come.
        const bool finished = sent_all;
        const labnet::ReadStatus status = capture.readAvailable(count, 200);
        if (status == labnet::ReadStatus::Error) {
            read_error = capture.error();
            break;
        }
        ++result.reads;
        result.largest_read = std::max(result.largest_read, seen - seen_before);
        if (seen >= wanted || (finished && status == labnet::ReadStatus::Quiet)) break;
    }
    const ThreadSwitches after = threadSwitches();
    sender.join();
    if (options.sender_yields_to_reader) sched_setaffinity(0, sizeof all_cpus, &all_cpus);
    ::close(receiver);
    if (!read_error.empty()) return Error{read_error};

    result.reader_involuntary = after.involuntary - before.involuntary;
    result.reader_voluntary = after.voluntary - before.voluntary;
    result.seen = seen;
    result.behind = spreadOf(std::move(behind));
    auto stats = capture.stats();
    if (!stats) return stats.error();
    result.stats = stats.value();
    return result;
}

Result<RingCapacity> measureRingCapacity(int buffer_bytes, int datagrams) {
    auto opened = openLive(buffer_bytes);
    if (!opened) return opened.error();
    labnet::LiveCapture capture = std::move(opened).value();
    const int receiver = sink();
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (receiver < 0 || fd < 0) return Error{std::string("UDP sockets: ") + std::strerror(errno)};
    const sockaddr_in to = loopback(kBurstPort);
    for (int i = 0; i < datagrams; ++i) {
        ::sendto(fd, kPayload, sizeof kPayload, 0, reinterpret_cast<const sockaddr*>(&to),
                 sizeof to);
    }
    ::close(fd);
    ::close(receiver);
    auto stats = capture.stats();
    if (!stats) return stats.error();
    RingCapacity capacity;
    capacity.buffer_bytes = buffer_bytes;
    // ps_recv counts the dropped packets too; the probe of confirmLive() was read already.
    capacity.dropped = stats.value().dropped;
    capacity.held = stats.value().received - stats.value().dropped - 1;
    return capacity;
}

}  // namespace osilab::bench
