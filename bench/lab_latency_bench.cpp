#include "bench/lab_latency_bench.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

namespace osilab::bench {
namespace {

constexpr uint16_t kUdpPort = 9300;
constexpr uint16_t kTcpPort = 9301;
constexpr auto kPacketWait = std::chrono::seconds(2);

struct Delivered {
    PacketKey key;
    int64_t tap_ns = 0;        // libpcap's time stamp, set by the kernel before the capture ring
    int64_t delivered_ns = 0;  // when the read loop handed it to its consumer
};

// The session's side: everything the read loop delivered, in order, for the actor to wait on.
class Session {
public:
    void add(Delivered packet) {
        {
            std::lock_guard lock(mutex_);
            packets_.push_back(std::move(packet));
        }
        arrived_.notify_all();
    }

    size_t size() {
        std::lock_guard lock(mutex_);
        return packets_.size();
    }

    // Waits until every matcher found a packet at or after `from`; each matcher takes the first
    // packet it accepts. Empty on timeout.
    std::vector<Delivered> waitFor(size_t from,
                                   const std::vector<std::function<bool(const PacketKey&)>>& match) {
        std::unique_lock lock(mutex_);
        std::vector<Delivered> found(match.size());
        std::vector<bool> done(match.size(), false);
        size_t scanned = from;
        size_t missing = match.size();
        const auto deadline = std::chrono::steady_clock::now() + kPacketWait;
        while (missing > 0) {
            for (; scanned < packets_.size(); ++scanned) {
                for (size_t m = 0; m < match.size(); ++m) {
                    if (done[m] || !match[m](packets_[scanned].key)) continue;
                    found[m] = packets_[scanned];
                    done[m] = true;
                    --missing;
                    break;
                }
            }
            if (missing == 0) break;
            if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout &&
                scanned == packets_.size()) {
                return {};
            }
        }
        return found;
    }

private:
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::vector<Delivered> packets_;
};

// The figures of one kind of call, gathered call by call.
struct Samples {
    std::vector<int64_t> return_to_consumer, call_to_tap, tap_to_return, tap_to_consumer;
    int lost = 0;

    void add(int64_t call_ns, int64_t return_ns, const std::vector<Delivered>& packets) {
        if (packets.empty()) {
            ++lost;
            return;
        }
        int64_t first_tap = packets[0].tap_ns, last_tap = packets[0].tap_ns;
        int64_t last_delivered = packets[0].delivered_ns;
        for (const Delivered& p : packets) {
            first_tap = std::min(first_tap, p.tap_ns);
            last_tap = std::max(last_tap, p.tap_ns);
            last_delivered = std::max(last_delivered, p.delivered_ns);
            tap_to_consumer.push_back(p.delivered_ns - p.tap_ns);
        }
        return_to_consumer.push_back(last_delivered - return_ns);
        call_to_tap.push_back(first_tap - call_ns);
        tap_to_return.push_back(return_ns - last_tap);
    }

    CallLatency result(std::string call, int packets_per_call, int calls) const {
        CallLatency latency;
        latency.call = std::move(call);
        latency.packets_per_call = packets_per_call;
        latency.calls = calls;
        latency.lost = lost;
        latency.return_to_consumer = spreadOf(return_to_consumer);
        latency.call_to_tap = spreadOf(call_to_tap);
        latency.tap_to_return = spreadOf(tap_to_return);
        latency.tap_to_consumer = spreadOf(tap_to_consumer);
        return latency;
    }
};

sockaddr_in loopback(uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

int boundSocket(int type, uint16_t port) {
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const sockaddr_in address = loopback(port);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

uint16_t localPort(int fd) {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
    return ntohs(address.sin_port);
}

Error systemError(const std::string& what) {
    return Error{what + ": " + std::strerror(errno)};
}

Result<CallLatency> measureUdpSendto(Session& session, int calls) {
    const int receiver = boundSocket(SOCK_DGRAM, kUdpPort);
    const int sender = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (receiver < 0 || sender < 0) return systemError("UDP sockets on 127.0.0.1");
    const sockaddr_in to = loopback(kUdpPort);
    Samples samples;
    char buffer[64];
    for (int i = 0; i < calls; ++i) {
        const std::string payload = "osilab latency udp " + std::to_string(i);
        const size_t from = session.size();
        const int64_t call_ns = realtimeNs();
        const ssize_t sent = ::sendto(sender, payload.data(), payload.size(), 0,
                                      reinterpret_cast<const sockaddr*>(&to), sizeof to);
        const int64_t return_ns = realtimeNs();
        if (sent < 0) return systemError("sendto 127.0.0.1:" + std::to_string(kUdpPort));
        samples.add(call_ns, return_ns,
                    session.waitFor(from, {[&](const PacketKey& k) {
                                        return k.protocol == 17 && k.payload == payload;
                                    }}));
        [[maybe_unused]] ssize_t n = ::recv(receiver, buffer, sizeof buffer, MSG_DONTWAIT);
    }
    ::close(sender);
    ::close(receiver);
    return samples.result("UDP sendto", 1, calls);
}

// connect (its packets: SYN, SYN-ACK, ACK) and send (the data segment), on fresh connections.
Result<std::vector<CallLatency>> measureTcp(Session& session, int calls) {
    const int listener = boundSocket(SOCK_STREAM, kTcpPort);
    if (listener < 0 || ::listen(listener, 64) != 0) {
        return systemError("TCP listener on 127.0.0.1:" + std::to_string(kTcpPort));
    }
    const sockaddr_in server_address = loopback(kTcpPort);
    Samples connects, sends;
    char buffer[64];
    for (int i = 0; i < calls; ++i) {
        // Bound first so that the client's port, and so its packets, are known before connect.
        const int client = boundSocket(SOCK_STREAM, 0);
        const uint16_t port = client >= 0 ? localPort(client) : 0;
        if (port == 0) return systemError("TCP client socket on 127.0.0.1");
        auto outbound = [port](uint8_t flags, bool with_data) {
            return [=](const PacketKey& k) {
                return k.protocol == 6 && k.source_port == port && k.tcp_flags == flags &&
                       k.payload.empty() != with_data;
            };
        };

        size_t from = session.size();
        int64_t call_ns = realtimeNs();
        const int connected = ::connect(client, reinterpret_cast<const sockaddr*>(&server_address),
                                        sizeof server_address);
        int64_t return_ns = realtimeNs();
        if (connected != 0) return systemError("connect to 127.0.0.1:" + std::to_string(kTcpPort));
        connects.add(call_ns, return_ns,
                     session.waitFor(from, {outbound(kTcpSyn, false),
                                            [port](const PacketKey& k) {
                                                return k.protocol == 6 &&
                                                       k.destination_port == port &&
                                                       k.tcp_flags == (kTcpSyn | kTcpAck);
                                            },
                                            outbound(kTcpAck, false)}));
        const int server = ::accept(listener, nullptr, nullptr);
        if (server < 0) return systemError("accept on 127.0.0.1:" + std::to_string(kTcpPort));

        const std::string payload = "osilab latency tcp " + std::to_string(i);
        from = session.size();
        call_ns = realtimeNs();
        const ssize_t sent = ::send(client, payload.data(), payload.size(), 0);
        return_ns = realtimeNs();
        if (sent < 0) return systemError("send on a TCP connection");
        // PSH may or may not be set; any segment from the client carrying the payload is it.
        sends.add(call_ns, return_ns, session.waitFor(from, {[&](const PacketKey& k) {
                                                          return k.protocol == 6 &&
                                                                 k.source_port == port &&
                                                                 k.payload == payload;
                                                      }}));
        [[maybe_unused]] ssize_t n = ::recv(server, buffer, sizeof buffer, 0);

        // The teardown is not measured; waiting for the server's FIN keeps it out of the next
        // call's window.
        from = session.size();
        ::close(client);
        ::close(server);
        session.waitFor(from, {[port](const PacketKey& k) {
                            return k.protocol == 6 && k.destination_port == port &&
                                   (k.tcp_flags & kTcpFin) != 0;
                        }});
    }
    ::close(listener);
    return std::vector<CallLatency>{connects.result("TCP connect", 3, calls),
                                    sends.result("TCP send", 1, calls)};
}

}  // namespace

Result<std::vector<CallLatency>> measureCallLatency(const LatencyOptions& options) {
    labnet::CaptureOptions capture_options;
    capture_options.buffer_bytes = options.buffer_bytes;
    auto opened = labnet::LiveCapture::open(capture_options);
    if (!opened) return opened.error();
    labnet::LiveCapture capture = std::move(opened).value();
    auto live = capture.confirmLive([](const labnet::CapturedPacket&) {});
    if (!live) return live.error();

    const int wake_fd = ::eventfd(0, EFD_CLOEXEC);
    if (wake_fd < 0) return systemError("eventfd");
    Session session;
    std::string read_error;
    // The read loop as a runner runs it: its own thread, poll() with a timeout, a wake fd.
    std::thread reader([&] {
        const labnet::PacketCallback consume = [&](const labnet::CapturedPacket& packet) {
            const int64_t delivered_ns = realtimeNs();
            session.add(Delivered{readKey(packet), packet.time_ns, delivered_ns});
        };
        for (;;) {
            const labnet::ReadStatus status = capture.readAvailable(consume, 50, wake_fd);
            if (status == labnet::ReadStatus::Interrupted) break;
            if (status == labnet::ReadStatus::Error) {
                read_error = capture.error();
                break;
            }
        }
    });

    std::vector<CallLatency> results;
    Result<CallLatency> udp = measureUdpSendto(session, options.calls);
    Result<std::vector<CallLatency>> tcp =
        udp.ok() ? measureTcp(session, options.calls) : Result<std::vector<CallLatency>>(udp.error());

    const uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd, &one, sizeof one);
    reader.join();
    ::close(wake_fd);
    if (!read_error.empty()) return Error{read_error};
    if (!udp) return udp.error();
    if (!tcp) return tcp.error();
    results.push_back(udp.value());
    for (const CallLatency& c : tcp.value()) results.push_back(c);
    return results;
}

}  // namespace osilab::bench
