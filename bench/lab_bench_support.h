// What both lab benchmarks need: the clocks, a minimal reader for the Ethernet/IPv4/TCP/UDP
// packets of the lab network's lo, and percentiles of a set of durations.
#pragma once

#include <time.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "lab/labnet/live_capture.h"

namespace osilab::bench {

// The packets' clock: libpcap stamps them with CLOCK_REALTIME.
inline int64_t realtimeNs() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

inline int64_t monotonicNs() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

inline constexpr uint8_t kTcpFin = 0x01;
inline constexpr uint8_t kTcpSyn = 0x02;
inline constexpr uint8_t kTcpAck = 0x10;

// The fields a benchmark matches packets by; protocol 0 when the packet is not IPv4 TCP/UDP.
struct PacketKey {
    uint8_t protocol = 0;  // 6 TCP, 17 UDP
    uint16_t source_port = 0;
    uint16_t destination_port = 0;
    uint8_t tcp_flags = 0;
    std::string payload;
};

inline PacketKey readKey(const labnet::CapturedPacket& packet) {
    PacketKey key;
    const uint8_t* p = packet.data;
    const uint32_t n = packet.cap_len;
    // lo is Ethernet (link type 1) with EtherType IPv4 for everything the benchmarks send.
    if (packet.link_type != 1 || n < 14 + 20 || p[12] != 0x08 || p[13] != 0x00) return key;
    const uint8_t* ip = p + 14;
    const uint32_t ip_header = (ip[0] & 0x0fu) * 4u;
    if ((ip[0] >> 4) != 4 || ip_header < 20 || 14 + ip_header + 8 > n) return key;
    const uint32_t ip_total = (uint32_t{ip[2]} << 8) | ip[3];
    const uint8_t* l4 = ip + ip_header;
    const uint32_t available = n - 14 - ip_header;
    const uint32_t length = std::min(available, ip_total > ip_header ? ip_total - ip_header : 0);
    uint32_t header = 8;
    if (ip[9] == 6) {
        if (available < 20) return key;
        header = (l4[12] >> 4) * 4u;
        key.tcp_flags = l4[13];
    } else if (ip[9] != 17) {
        return key;
    }
    key.protocol = ip[9];
    key.source_port = static_cast<uint16_t>((l4[0] << 8) | l4[1]);
    key.destination_port = static_cast<uint16_t>((l4[2] << 8) | l4[3]);
    if (header <= length) {
        key.payload.assign(reinterpret_cast<const char*>(l4 + header), length - header);
    }
    return key;
}

// Median, 90th percentile and maximum of durations in nanoseconds (nearest rank).
struct Spread {
    size_t count = 0;
    int64_t median_ns = 0;
    int64_t p90_ns = 0;
    int64_t max_ns = 0;
};

inline Spread spreadOf(std::vector<int64_t> values) {
    Spread spread;
    spread.count = values.size();
    if (values.empty()) return spread;
    std::sort(values.begin(), values.end());
    auto rank = [&](double fraction) {
        const size_t index = static_cast<size_t>(fraction * static_cast<double>(values.size()));
        return values[std::min(values.size() - 1, index)];
    };
    spread.median_ns = rank(0.5);
    spread.p90_ns = rank(0.9);
    spread.max_ns = values.back();
    return spread;
}

}  // namespace osilab::bench
