// How many bytes the IP layer says a transport segment has, even past the end of a capture
// cut short by the snapshot length (tcp.len and udp.length checks count those bytes, as
// tshark does). Internal to lab/packet.
#pragma once

#include <cstdint>

#include "lab/packet/dissect_context.h"

namespace osilab::packet {

// `end` is where the IP layer let the transport bytes end (clipped to the capture). Returns
// the end the IP length fields give: beyond `end` only when the capture cut this packet.
inline uint32_t reportedTransportEnd(const DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    if (end != b.size() || ctx.packet.orig_len <= ctx.packet.cap_len) return end;
    // The IP header sits just before `offset`; find it by its version, length and addresses
    // (the context carries the addresses, not the header's position).
    if (ctx.net_src.family == 4) {
        for (uint32_t ihl = 5; ihl <= 15; ++ihl) {
            if (offset < ihl * 4) break;
            const uint32_t p = offset - ihl * 4;
            if (b.u8(p) != (0x40 | ihl)) continue;
            bool same = true;
            for (uint32_t i = 0; i < 4; ++i) same = same && b.u8(p + 12 + i) == ctx.net_src.addr[i];
            const uint32_t total = b.u16(p + 2);
            if (same && total != 0) return p + total > end ? p + total : end;
        }
    } else if (ctx.net_src.family == 6) {
        // Extension headers may sit between the fixed header and the transport header.
        for (uint32_t back = 40; back <= 40 + 512 && back <= offset; back += 8) {
            const uint32_t p = offset - back;
            if ((b.u8(p) >> 4) != 6) continue;
            bool same = true;
            for (uint32_t i = 0; i < 16; ++i) same = same && b.u8(p + 8 + i) == ctx.net_src.addr[i];
            const uint32_t payload = b.u16(p + 4);
            if (same && payload != 0) return p + 40 + payload > end ? p + 40 + payload : end;
        }
    }
    // Not found: count every byte the link layer says was on the wire.
    return end + (ctx.packet.orig_len - ctx.packet.cap_len);
}

}  // namespace osilab::packet
