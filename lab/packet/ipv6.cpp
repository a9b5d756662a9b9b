// IPv6 (OSI layer 3): 128-bit addresses, a fixed 40-byte header, and optional extension headers
// chained through the Next Header field.
#include <cstring>
#include <string>

#include "lab/packet/dissect_context.h"
#include "lab/packet/ip_protocol.h"
#include "lab/packet/ipv6_extensions.h"
#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

const FieldInfo kVersion{"ipv6.version", "Version", "版本", "IP version: 6 here",
                         "IP 版本号:这里是 6"};
const FieldInfo kTclass{"ipv6.tclass",
                        "Traffic Class",
                        "流量类别",
                        "The IPv6 version of IPv4's DS field: DSCP (how to queue) and ECN",
                        "相当于 IPv4 的区分服务字段:DSCP(如何排队)和 ECN",
                        NumberBase::Hex8};
const FieldInfo kDscp{
    "ipv6.tclass.dscp", "Differentiated Services Codepoint", "区分服务代码点",
    "Asks routers for a kind of service, e.g. 46 = expedited (voice), 0 = default",
    "请求路由器提供某种服务,例如 46 为加速转发(语音),0 为默认"};
const FieldInfo kEcn{"ipv6.tclass.ecn", "Explicit Congestion Notification", "显式拥塞通知",
                     "Lets a congested router mark the packet (3) instead of dropping it",
                     "让拥塞的路由器给包打标记(3)而不是丢弃它"};
const FieldInfo kFlow{"ipv6.flow",
                      "Flow Label",
                      "流标签",
                      "Number the sender gives to packets of one flow, so routers can keep them "
                      "on one path",
                      "发送方给同一流的包打上的编号,让路由器把它们保持在同一路径上",
                      NumberBase::Hex6};
const FieldInfo kPlen{"ipv6.plen", "Payload Length", "载荷长度",
                      "Bytes after this 40-byte header, extension headers included (0 = "
                      "jumbogram)",
                      "这个 40 字节首部之后的字节数,包括扩展首部(0 表示超大报文)"};
const FieldInfo kNxt{"ipv6.nxt", "Next Header", "下一个首部",
                     "Which header follows: 6 TCP, 17 UDP, 58 ICMPv6, or an extension header",
                     "后面跟的是哪种首部:6 TCP,17 UDP,58 ICMPv6,或扩展首部"};
const FieldInfo kHlim{"ipv6.hlim", "Hop Limit", "跳数限制",
                      "How many more routers may forward this packet; each subtracts 1 (IPv4 "
                      "calls it TTL)",
                      "数据包还能经过多少个路由器;每经过一个减 1(IPv4 中叫 TTL)"};
const FieldInfo kSrc{"ipv6.src", "Source Address", "源地址",
                     "IPv6 address of the host that sent the packet",
                     "发送这个包的主机的 IPv6 地址"};
const FieldInfo kDst{"ipv6.dst", "Destination Address", "目的地址",
                     "IPv6 address of the host the packet is for (or the next stop, with a "
                     "routing header)",
                     "这个包要送达的主机的 IPv6 地址(有路由首部时是下一站)"};
const FieldInfo kSrcSlaac{
    "ipv6.src_slaac_mac", "Source SLAAC MAC", "源 SLAAC MAC",
    "The MAC address this source address was built from (ff:fe in the "
    "middle shows SLAAC's EUI-64 form)",
    "生成这个源地址所用的 MAC 地址(中间的 ff:fe 表明是 SLAAC 的 EUI-64 形式)"};
const FieldInfo kDstSlaac{"ipv6.dst_slaac_mac", "Destination SLAAC MAC", "目的 SLAAC MAC",
                          "The MAC address this destination address was built from (EUI-64)",
                          "生成这个目的地址所用的 MAC 地址(EUI-64)"};

// A chain longer than this is an attack, not a packet (Linux stops far earlier); each
// header is at least 8 bytes, so the walk is bounded by the packet length too.
constexpr int kMaxExtensionHeaders = 256;

// An EUI-64 interface identifier (…xx:xxff:fexx:xxxx) was made from a MAC address.
void addSlaac(DissectContext& ctx, const FieldInfo& info, uint32_t addr) {
    const ByteReader& b = ctx.bytes;
    // Wireshark only calls it SLAAC when the flipped universal/local bit gives a universal
    // (maker-assigned) MAC address.
    if (b.u8(addr + 11) != 0xff || b.u8(addr + 12) != 0xfe || !(b.u8(addr + 8) & 0x02) ||
        !ctx.wantFields())
        return;
    uint8_t mac[6] = {static_cast<uint8_t>(b.u8(addr + 8) ^ 0x02),
                      b.u8(addr + 9),
                      b.u8(addr + 10),
                      b.u8(addr + 13),
                      b.u8(addr + 14),
                      b.u8(addr + 15)};
    std::string text;
    appendMac(text, mac);
    ctx.addOwnedText(info, addr + 8, addr + 16, std::move(text));
}

void setAddress(std::string& out, const ByteReader& b, uint32_t at) {
    out.clear();
    appendIpv6(out, b.data() + at);
}

void appendProtocol(std::string& out, uint8_t proto) {
    const char* name = ipProtocolName(proto);
    out.append(name ? name : "Unknown");
    out.append(" (");
    appendUint(out, proto);
    out.push_back(')');
}

}  // namespace

void dissectIpv6(DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    if (end > b.size()) end = b.size();
    ctx.beginLayer(OsiLayer::Network, Protocol::Ipv6, offset, end);
    if (ctx.ownsSummary()) {
        ctx.out.summary.protocol = Protocol::Ipv6;
        ctx.out.summary.info = "IPv6";
    }
    if (offset >= end) {
        ctx.problem(ProblemKind::Truncated, "The packet ends where the IPv6 header should start");
        return;
    }
    const uint32_t version = b.at8(offset) >> 4;
    ctx.addUint(kVersion, offset, offset + 1, version);
    if (version != 6) {
        ctx.setLayerEnd(offset + 1);
        ctx.problem(ProblemKind::Malformed,
                    "The version field says " + std::to_string(version) +
                        ", but an IPv6 header must say 6; the bytes are shown as data");
        if (ctx.ownsSummary()) {
            std::string& info = ctx.out.summary.info;
            info.assign("Bogus IPv6 version (");
            appendUint(info, version);
            info.append(", must be 6)");
        }
        dissectData(ctx, offset, end);  // from the header's start, as Wireshark shows it
        return;
    }
    // `end` is clipped to the frame, so [at, at + n) below it can be read unchecked; a whole
    // fixed header (nearly every packet) answers every check at once.
    const bool fixed_header = end - offset >= 40;
    auto have = [&](uint32_t at, uint32_t n) { return fixed_header || at + n <= end; };
    FieldSink fs = ctx.fieldSink();
    if (have(offset, 4)) {
        const uint32_t word = b.at32(offset);
        const uint32_t tclass = (word >> 20) & 0xff;
        fs.addUint(kTclass, offset, offset + 4, tclass);
        fs.addUint(kDscp, offset, offset + 4, tclass >> 2, 1, ipDscpName(tclass >> 2));
        fs.addUint(kEcn, offset, offset + 4, tclass & 3, 1, ipEcnName(tclass & 3));
        fs.addUint(kFlow, offset + 1, offset + 4, word & 0xfffff);
    }
    const uint32_t plen = have(offset + 4, 2) ? b.at16(offset + 4) : 0;
    const uint8_t first_next = have(offset + 6, 1) ? b.at8(offset + 6) : 0;
    if (have(offset + 4, 2)) fs.addUint(kPlen, offset + 4, offset + 6, plen);
    if (have(offset + 6, 1))
        fs.addUint(kNxt, offset + 6, offset + 7, first_next, 0, ipProtocolName(first_next));
    if (have(offset + 7, 1)) fs.addUint(kHlim, offset + 7, offset + 8, b.at8(offset + 7));
    if (have(offset + 8, 16)) {
        fs.addIpv6(kSrc, offset + 8);
        if (ctx.ownsSummary()) {
            setAddress(ctx.out.summary.source, b, offset + 8);
            ctx.summary_mac_src = DissectContext::kNoMac;
        }
    }
    if (have(offset + 24, 16)) {
        fs.addIpv6(kDst, offset + 24);
        if (ctx.ownsSummary()) {
            setAddress(ctx.out.summary.destination, b, offset + 24);
            ctx.summary_mac_dst = DissectContext::kNoMac;
        }
    }
    if (!fixed_header) {
        ctx.problem(ProblemKind::Truncated, "The packet ends after " +
                                                std::to_string(end - offset) +
                                                " bytes, inside the 40-byte IPv6 header");
        return;
    }
    addSlaac(ctx, kSrcSlaac, offset + 8);
    addSlaac(ctx, kDstSlaac, offset + 24);

    // Where the payload ends. When the lower layer passed the whole frame, bytes cut by the
    // snap length still count as part of the packet.
    const uint32_t reported_end =
        (end == b.size() && ctx.packet.orig_len > end) ? ctx.packet.orig_len : end;
    const uint32_t header_end = offset + 40;
    uint64_t claimed = plen;
    if (plen == 0) {
        const int64_t jumbo =
            first_next == ipproto::kHopByHop ? findJumboLength(b, header_end, end) : -1;
        if (jumbo < 0) {
            ctx.setLayerEnd(header_end);
            ctx.problem(ProblemKind::Malformed,
                        "Payload length is 0 but there is no Jumbo Payload option. Linux BIG "
                        "TCP and segmentation offload hand such packets to the capture; "
                        "Wireshark reads the payload as empty, so it is shown as data");
            dissectData(ctx, header_end, end);
            return;
        }
        claimed = static_cast<uint64_t>(jumbo);
    }
    uint32_t payload_end = end;
    if (header_end + claimed > reported_end) {
        ctx.problem(ProblemKind::Malformed,
                    "Payload length says " + std::to_string(claimed) +
                        " bytes follow the header, but the packet has only " +
                        std::to_string(reported_end - header_end));
    } else if (header_end + claimed < end) {
        payload_end = static_cast<uint32_t>(header_end + claimed);
    }

    // Addresses for the transport layer; a routing header may change the destination below.
    ctx.net_src.family = 6;
    ctx.net_dst.family = 6;
    std::memcpy(ctx.net_src.addr.data(), b.data() + offset + 8, 16);
    std::memcpy(ctx.net_dst.addr.data(), b.data() + offset + 24, 16);

    uint8_t next = first_next;
    uint32_t p = header_end;
    for (int count = 0; isIpv6Extension(next); ++count) {
        if (count == kMaxExtensionHeaders) {
            ctx.setLayerEnd(p);
            ctx.problem(ProblemKind::Malformed,
                        "More than " + std::to_string(kMaxExtensionHeaders) +
                            " extension headers in a row; the rest is shown as data");
            dissectData(ctx, p, payload_end);
            return;
        }
        const Ipv6Extension ext = dissectIpv6Extension(ctx, next, p, payload_end);
        if (!ext.ok) {
            ctx.setLayerEnd(payload_end);
            return;
        }
        if (ext.final_dst) {
            // Type 0/2/4 routing: the packet's real destination is at the end of the route, and
            // that is the address transport checksums use (and tshark's Destination column).
            for (int i = 0; i < 16; ++i) ctx.net_dst.addr[i] = b.u8(ext.final_dst + i);
            if (ctx.ownsSummary()) {
                setAddress(ctx.out.summary.destination, b, ext.final_dst);
                ctx.summary_mac_dst = DissectContext::kNoMac;
            }
        }
        p += ext.length;
        next = ext.next;
        if (ext.fragment && (ext.frag_offset != 0 || ext.more_fragments)) {
            ctx.fragment = true;
            std::string msg;
            msg.reserve(160);  // one allocation for the whole message
            msg.append("This is a fragment of a larger datagram (ID 0x");
            appendHex(msg, ext.ident, 8);
            msg.append(", data from byte ");
            appendUint(msg, ext.frag_offset * 8u);
            msg.append(ext.more_fragments ? ", more fragments follow" : ", the last fragment");
            msg.append("); OSI Lab does not reassemble fragments");
            ctx.problem(ProblemKind::Unusual, std::move(msg));
            if (ext.frag_offset != 0) {
                ctx.setLayerEnd(p);
                if (ctx.ownsSummary()) {
                    std::string& info = ctx.out.summary.info;
                    info.assign("IPv6 fragment (off=");
                    appendUint(info, ext.frag_offset * 8u);
                    info.append(ext.more_fragments ? " more=y ident=0x" : " more=n ident=0x");
                    appendHex(info, ext.ident, 8);
                    info.append(" nxt=");
                    appendUint(info, next);
                    info.push_back(')');
                }
                dissectData(ctx, p, payload_end);
                return;
            }
        }
    }
    ctx.setLayerEnd(p);
    // TCP and UDP always write their own Info text over ours ("TCP (6)"), so it is not made.
    if (ctx.ownsSummary() && next != ipproto::kTcp && next != ipproto::kUdp) {
        ctx.out.summary.info.clear();
        if (next == ipproto::kNoNext)
            ctx.out.summary.info.append("IPv6 no next header");
        else
            appendProtocol(ctx.out.summary.info, next);
    }
    if (next == ipproto::kNoNext) {
        dissectData(ctx, p, payload_end);
        return;
    }
    dissectIpProtocol(ctx, next, p, payload_end);
}

}  // namespace osilab::packet
