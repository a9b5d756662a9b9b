// BSD loopback headers (OSI layer 2 in form, though loopback has no link): a 4-byte address
// family before the IP packet. DLT_NULL writes it in the byte order of the machine that
// captured, DLT_LOOP (OpenBSD) in network order.
#include <string>

#include "lab/packet/dissect_context.h"

namespace osilab::packet {
namespace {

const FieldInfo kFamily{"null.family", "Family", "地址族",
                        "Address family of the packet (2 = IPv4; 24, 28 or 30 = IPv6, depending "
                        "on the BSD), written by the capturing machine",
                        "数据包的地址族(2 为 IPv4;24、28 或 30 为 IPv6,取决于哪种 BSD),"
                        "由抓包的机器写入"};

const char* familyName(uint32_t family) {
    switch (family) {
        case 2: return "IP";
        case 7: return "OSI";
        case 23: return "IPX";
        case 24:
        case 28:
        case 30: return "IPv6";
        default: return nullptr;
    }
}

}  // namespace

void dissectNull(DissectContext& ctx, uint32_t offset, uint32_t end, bool network_order) {
    if (end > ctx.bytes.size()) end = ctx.bytes.size();
    ctx.beginLayer(OsiLayer::DataLink, Protocol::Null, offset, offset + 4 < end ? offset + 4 : end);
    if (ctx.ownsSummary()) {
        ctx.out.summary.protocol = Protocol::Null;
        ctx.out.summary.info = "Null/Loopback";
    }
    if (!ctx.bytes.has(offset, 4) || offset + 4 > end) {
        ctx.problem(ProblemKind::Truncated, "The packet ends inside the 4-byte loopback header");
        return;
    }
    uint32_t family = network_order ? ctx.bytes.u32(offset) : ctx.bytes.u32le(offset);
    // The capturing machine's byte order is not recorded; families are small numbers, so a
    // value with high bits set was written big-endian (Wireshark decides the same way).
    if (!network_order && (family & 0xffff0000u) != 0) family = ctx.bytes.u32(offset);
    ctx.addUint(kFamily, offset, offset + 4, family, 0, familyName(family));
    switch (family) {
        case 2: dissectIpv4(ctx, offset + 4, end); break;
        case 24:
        case 28:
        case 30: dissectIpv6(ctx, offset + 4, end); break;
        default: dissectData(ctx, offset + 4, end); break;
    }
}

}  // namespace osilab::packet
