// Test-only: dissects the transport layer of a captured frame directly, with the addresses the
// IP layer would have found, so transport and application tests do not depend on the link and
// network dissectors. The full path (Dissector over the whole frame) is tested beside it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "lab/packet/dissect_context.h"
#include "lab/packet/field_text.h"
#include "lab/packet/tests/test_pcap.h"

namespace osilab::packet::testing {

inline std::string testData(const char* name) {
    return std::string(OSILAB_TEST_DATA) + "/" + name;
}
inline std::string corpus(const char* name) {
    return std::string(OSILAB_CORPUS) + "/" + name;
}

struct TransportSpan {
    uint8_t protocol = 0;  // 6 TCP, 17 UDP
    uint32_t begin = 0, end = 0;
    Endpoint src, dst;
};

// Finds the transport header of an Ethernet (with VLAN tags), BSD loopback, Linux cooked or raw
// IP frame carrying IPv4 or IPv6 without extension headers.
inline TransportSpan findTransport(const TestCapture& cap, size_t index) {
    const std::vector<uint8_t>& f = cap.packets.at(index).bytes;
    auto be16 = [&](size_t o) { return o + 2 <= f.size() ? uint16_t(f[o] << 8 | f[o + 1]) : 0; };
    uint32_t ip = 0;
    switch (cap.link_type) {
        case linktype::kEthernet: {
            ip = 14;
            uint16_t type = be16(12);
            while ((type == 0x8100 || type == 0x88a8) && ip + 4 <= f.size()) {
                type = be16(ip + 2);
                ip += 4;
            }
            break;
        }
        case linktype::kNull: ip = 4; break;
        case linktype::kLinuxSll: ip = 16; break;
        case linktype::kLinuxSll2: ip = 20; break;
        default: ip = 0; break;
    }
    TransportSpan t;
    if (ip >= f.size()) return t;
    if ((f[ip] >> 4) == 4 && ip + 20 <= f.size()) {
        uint32_t ihl = (f[ip] & 0xf) * 4u, total = be16(ip + 2);
        t.protocol = f[ip + 9];
        t.begin = ip + ihl;
        t.end = std::min<uint32_t>(ip + (total ? total : uint32_t(f.size()) - ip), f.size());
        t.src.family = t.dst.family = 4;
        std::memcpy(t.src.addr.data(), &f[ip + 12], 4);
        std::memcpy(t.dst.addr.data(), &f[ip + 16], 4);
    } else if ((f[ip] >> 4) == 6 && ip + 40 <= f.size()) {
        t.protocol = f[ip + 6];
        t.begin = ip + 40;
        t.end = std::min<uint32_t>(t.begin + be16(ip + 4), f.size());
        t.src.family = t.dst.family = 6;
        std::memcpy(t.src.addr.data(), &f[ip + 8], 16);
        std::memcpy(t.dst.addr.data(), &f[ip + 24], 16);
    }
    return t;
}

// Dissects frame `index` from its transport header on, as the IP layer would call it.
inline void dissectTransport(const TestCapture& cap, size_t index, Conversations* conversations,
                             Dissection& out, bool fields = true) {
    const PacketView view = cap.view(index);
    DissectOptions options;
    options.fields = fields;
    out.clear();
    DissectContext ctx(view, options, out, conversations);
    const TransportSpan t = findTransport(cap, index);
    ctx.net_src = t.src;
    ctx.net_dst = t.dst;
    if (t.protocol == 6)
        dissectTcp(ctx, t.begin, t.end);
    else if (t.protocol == 17)
        dissectUdp(ctx, t.begin, t.end);
}

// Runs a whole capture through dissectTransport with one tracker; `out[i]` is frame i + 1.
inline std::vector<Dissection> dissectAllTransport(const TestCapture& cap,
                                                   Conversations& conversations) {
    std::vector<Dissection> out(cap.packets.size());
    for (size_t i = 0; i < cap.packets.size(); ++i)
        dissectTransport(cap, i, &conversations, out[i]);
    return out;
}

// A field's display text ("0x0012 (SYN, ACK)", "www.example.com"…).
inline std::string show(const TestCapture& cap, size_t index, const Dissection& d, const Field* f) {
    if (!f) return "<missing>";
    const TestPacket& p = cap.packets.at(index);
    return fieldShow(d, *f, p.bytes.data(), static_cast<uint32_t>(p.bytes.size()), 100000);
}

// A field's value as text (FieldValue::text for strings, the number otherwise).
inline std::string value(const TestCapture& cap, size_t index, const Dissection& d,
                         const Field* f) {
    if (!f) return "<missing>";
    const TestPacket& p = cap.packets.at(index);
    FieldValue v = fieldValue(d, *f, p.bytes.data(), static_cast<uint32_t>(p.bytes.size()));
    if (v.type == FieldValue::Type::String) return v.text;
    return std::to_string(v.number);
}

inline uint64_t number(const Dissection& d, const char* name, int nth = 0) {
    const Field* f = findField(d, name, nth);
    EXPECT_NE(f, nullptr) << name;
    return f ? f->number : ~uint64_t(0);
}

inline bool hasProblem(const Dissection& d, ProblemKind kind) {
    for (const Problem& p : d.problems)
        if (p.kind == kind) return true;
    return false;
}

}  // namespace osilab::packet::testing
