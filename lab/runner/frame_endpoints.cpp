#include "lab/runner/frame_endpoints.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace osilab::runner {

bool Endpoint::wildcard() const {
    size_t n = family == AF_INET ? 4 : 16;
    return std::all_of(ip.begin(), ip.begin() + n, [](uint8_t b) { return b == 0; });
}

std::string Endpoint::hostText() const {
    char buffer[INET6_ADDRSTRLEN] = {};
    if (family == 0 || !inet_ntop(family, ip.data(), buffer, sizeof buffer)) return "?";
    return buffer;
}

std::string Endpoint::text() const {
    if (family == AF_INET6) return "[" + hostText() + "]:" + std::to_string(port);
    return hostText() + ":" + std::to_string(port);
}

Endpoint endpointFromSockaddr(const sockaddr* address, socklen_t length) {
    Endpoint e;
    if (address->sa_family == AF_INET && length >= sizeof(sockaddr_in)) {
        auto* in = reinterpret_cast<const sockaddr_in*>(address);
        e.family = AF_INET;
        std::memcpy(e.ip.data(), &in->sin_addr, 4);
        e.port = ntohs(in->sin_port);
    } else if (address->sa_family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
        auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
        e.family = AF_INET6;
        std::memcpy(e.ip.data(), &in6->sin6_addr, 16);
        e.port = ntohs(in6->sin6_port);
    }
    return e;
}

namespace {

uint16_t be16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

}  // namespace

FrameFacts frameFacts(uint32_t link_type, const uint8_t* data, uint32_t size) {
    FrameFacts facts;
    const uint8_t* p = data;
    uint32_t n = size;
    int version = 0;
    if (link_type == 1) {
        if (n < 14) return facts;
        uint16_t ethertype = be16(p + 12);
        version = ethertype == 0x0800 ? 4 : ethertype == 0x86DD ? 6 : 0;
        p += 14;
        n -= 14;
    } else if (link_type == 101 && n > 0) {
        version = p[0] >> 4;
    }
    uint8_t proto = 0;
    const uint8_t* l4 = nullptr;
    uint32_t l4_len = 0;
    if (version == 4) {
        if (n < 20) return facts;
        uint32_t ihl = (p[0] & 15u) * 4;
        uint32_t total = std::min<uint32_t>(be16(p + 2), n);
        if (ihl < 20 || total < ihl) return facts;
        proto = p[9];
        facts.source.family = facts.destination.family = AF_INET;
        std::memcpy(facts.source.ip.data(), p + 12, 4);
        std::memcpy(facts.destination.ip.data(), p + 16, 4);
        l4 = p + ihl;
        l4_len = total - ihl;
    } else if (version == 6) {
        if (n < 40) return facts;
        proto = p[6];
        facts.source.family = facts.destination.family = AF_INET6;
        std::memcpy(facts.source.ip.data(), p + 8, 16);
        std::memcpy(facts.destination.ip.data(), p + 24, 16);
        l4 = p + 40;
        l4_len = std::min<uint32_t>(be16(p + 4), n - 40);
    } else {
        return facts;
    }
    facts.observed.ip_version = version;
    if (proto == 6 && l4_len >= 20) {
        uint32_t offset = (l4[12] >> 4) * 4u;
        if (offset < 20 || offset > l4_len) return facts;
        facts.observed.kind = lesson::PacketKind::Tcp;
        facts.observed.tcp_flags = l4[13];
        facts.source.port = be16(l4);
        facts.destination.port = be16(l4 + 2);
        facts.observed.payload.assign(reinterpret_cast<const char*>(l4 + offset), l4_len - offset);
    } else if (proto == 17 && l4_len >= 8) {
        facts.observed.kind = lesson::PacketKind::Udp;
        facts.source.port = be16(l4);
        facts.destination.port = be16(l4 + 2);
        facts.observed.payload.assign(reinterpret_cast<const char*>(l4 + 8), l4_len - 8);
    } else if ((proto == 1 && l4_len >= 2 && l4[0] == 3 && l4[1] == 3) ||
               (proto == 58 && l4_len >= 2 && l4[0] == 1 && l4[1] == 4)) {
        facts.observed.kind = lesson::PacketKind::IcmpPortUnreachable;
        facts.source.port = facts.destination.port = 0;
    }
    if (!facts.observed.kind || *facts.observed.kind == lesson::PacketKind::IcmpPortUnreachable) {
        facts.source = facts.destination = Endpoint{};
    }
    return facts;
}

}  // namespace osilab::runner
