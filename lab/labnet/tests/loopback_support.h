// Test helpers: loopback sockets, a minimal Ethernet/IPv4/TCP/UDP reader for captured packets,
// and waiting on a LiveCapture until enough packets arrived (no fixed sleeps).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "lab/labnet/live_capture.h"

namespace osilab::labnet::testing {

inline constexpr uint8_t kFin = 0x01;
inline constexpr uint8_t kSyn = 0x02;
inline constexpr uint8_t kRst = 0x04;
inline constexpr uint8_t kAck = 0x10;

// What the tests need of a captured packet, copied out of the callback.
struct SeenPacket {
    int64_t time_ns = 0;
    uint32_t cap_len = 0;
    uint32_t orig_len = 0;
    uint32_t link_type = 0;
    bool ipv4 = false;
    std::string source;
    std::string destination;
    uint8_t protocol = 0;  // 6 TCP, 17 UDP
    uint16_t source_port = 0;
    uint16_t destination_port = 0;
    uint8_t tcp_flags = 0;
    std::string payload;
};

inline SeenPacket readPacket(const CapturedPacket& packet) {
    SeenPacket seen;
    seen.time_ns = packet.time_ns;
    seen.cap_len = packet.cap_len;
    seen.orig_len = packet.orig_len;
    seen.link_type = packet.link_type;
    const uint8_t* p = packet.data;
    const uint32_t n = packet.cap_len;
    if (packet.link_type != 1 || n < 14 + 20 || p[12] != 0x08 || p[13] != 0x00) return seen;
    const uint8_t* ip = p + 14;
    const uint32_t ip_header = (ip[0] & 0x0f) * 4u;
    if ((ip[0] >> 4) != 4 || ip_header < 20 || 14 + ip_header > n) return seen;
    seen.ipv4 = true;
    char text[INET_ADDRSTRLEN];
    seen.source = inet_ntop(AF_INET, ip + 12, text, sizeof text);
    seen.destination = inet_ntop(AF_INET, ip + 16, text, sizeof text);
    seen.protocol = ip[9];
    const uint32_t ip_total = (uint32_t{ip[2]} << 8) | ip[3];
    const uint8_t* l4 = ip + ip_header;
    const uint32_t l4_available = n - 14 - ip_header;
    const uint32_t l4_length = ip_total > ip_header ? ip_total - ip_header : 0;
    if (l4_available < 8) return seen;
    seen.source_port = static_cast<uint16_t>((l4[0] << 8) | l4[1]);
    seen.destination_port = static_cast<uint16_t>((l4[2] << 8) | l4[3]);
    uint32_t header = 8;
    if (seen.protocol == 6) {
        if (l4_available < 20) return seen;
        header = (l4[12] >> 4) * 4u;
        seen.tcp_flags = l4[13];
    }
    if (header <= l4_available && header <= l4_length) {
        const uint32_t end = std::min(l4_available, l4_length);
        seen.payload.assign(reinterpret_cast<const char*>(l4 + header), end - header);
    }
    return seen;
}

inline std::string flagsText(uint8_t flags) {
    std::string text;
    auto add = [&](uint8_t bit, const char* name) {
        if ((flags & bit) == 0) return;
        if (!text.empty()) text += ",";
        text += name;
    };
    add(kSyn, "SYN");
    add(kFin, "FIN");
    add(kRst, "RST");
    add(kAck, "ACK");
    return text;
}

inline int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// Reads from the capture into `packets` until `done(packets)` or the deadline; false on timeout
// or error (then `problem` says which).
inline bool readUntil(LiveCapture& capture, std::vector<SeenPacket>& packets,
                      const std::function<bool(const std::vector<SeenPacket>&)>& done,
                      int timeout_ms, std::string& problem) {
    const int64_t deadline = nowMs() + timeout_ms;
    while (!done(packets)) {
        const int64_t left = deadline - nowMs();
        if (left <= 0) {
            problem = "timed out after " + std::to_string(timeout_ms) + " ms with " +
                      std::to_string(packets.size()) + " packets";
            return false;
        }
        const ReadStatus status = capture.readAvailable(
            [&](const CapturedPacket& packet) { packets.push_back(readPacket(packet)); },
            static_cast<int>(left));
        if (status == ReadStatus::Error) {
            problem = capture.error();
            return false;
        }
    }
    return true;
}

inline sockaddr_in loopback(uint16_t port, const char* address = "127.0.0.1") {
    sockaddr_in result{};
    result.sin_family = AF_INET;
    result.sin_port = htons(port);
    inet_pton(AF_INET, address, &result.sin_addr);
    return result;
}

inline uint16_t localPort(int fd) {
    sockaddr_in address{};
    socklen_t length = sizeof address;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return 0;
    return ntohs(address.sin_port);
}

// A socket bound to 127.0.0.1:port (0: any free port); -1 on failure.
inline int boundSocket(int type, uint16_t port) {
    const int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const sockaddr_in address = loopback(port);
    if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

inline int tcpListener(uint16_t port, int backlog = 16) {
    const int fd = boundSocket(SOCK_STREAM, port);
    if (fd >= 0 && listen(fd, backlog) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

inline int tcpConnect(uint16_t port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    const sockaddr_in address = loopback(port);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

inline bool sendUdp(int fd, uint16_t port, const std::string& payload) {
    const sockaddr_in address = loopback(port);
    return sendto(fd, payload.data(), payload.size(), 0,
                  reinterpret_cast<const sockaddr*>(&address),
                  sizeof address) == static_cast<ssize_t>(payload.size());
}

}  // namespace osilab::labnet::testing
