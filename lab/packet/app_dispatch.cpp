// Which application protocol a transport payload carries: DNS by its well-known ports, HTTP by
// its first bytes (so a lesson's server on any port is recognised), otherwise plain data.
#include "lab/packet/dissect_context.h"

namespace osilab::packet {
namespace {

bool isDnsPort(uint16_t port) {
    return port == 53 || port == 5353;
}

}  // namespace

void dissectUdpPayload(DissectContext& ctx, uint16_t src_port, uint16_t dst_port, uint32_t offset,
                       uint32_t end) {
    if (offset >= end) return;
    if (isDnsPort(src_port) || isDnsPort(dst_port)) {
        dissectDns(ctx, offset, end, /*over_tcp=*/false);
        return;
    }
    dissectData(ctx, offset, end);
}

void dissectTcpPayload(DissectContext& ctx, uint16_t src_port, uint16_t dst_port, uint32_t offset,
                       uint32_t end) {
    if (offset >= end) return;
    if (isDnsPort(src_port) || isDnsPort(dst_port)) {
        dissectDns(ctx, offset, end, /*over_tcp=*/true);
        return;
    }
    if (looksLikeHttp(ctx.bytes, offset, end)) {
        dissectHttp(ctx, offset, end);
        return;
    }
    dissectData(ctx, offset, end);
}

}  // namespace osilab::packet
