// Raw IP link type: the frame starts with the IP header, so the version nibble is all there is
// to tell IPv4 from IPv6. There is no link-layer header to show.
#include <string>

#include "lab/packet/dissect_context.h"

namespace osilab::packet {

void dissectRawIp(DissectContext& ctx, uint32_t offset, uint32_t end) {
    if (end > ctx.bytes.size()) end = ctx.bytes.size();
    if (!ctx.bytes.has(offset, 1) || offset >= end) return;  // an empty frame has no layers
    const uint8_t version = ctx.bytes.u8(offset) >> 4;
    if (version == 4) {
        dissectIpv4(ctx, offset, end);
    } else if (version == 6) {
        dissectIpv6(ctx, offset, end);
    } else {
        dissectData(ctx, offset, end);
        ctx.problem(ProblemKind::Malformed,
                    "A raw IP packet must start with version 4 or 6, but this one says " +
                        std::to_string(version));
    }
}

}  // namespace osilab::packet
