// IPv4 (OSI layer 3): addresses that name hosts across networks, the TTL that keeps packets
// from looping forever, fragmentation, and which transport protocol rides inside.
#include <cstring>
#include <string>

#include "lab/packet/dissect_context.h"
#include "lab/packet/internet_checksum.h"
#include "lab/packet/ip_protocol.h"
#include "lab/packet/ipv4_options.h"
#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

const FieldInfo kVersion{"ip.version", "Version", "版本", "IP version: 4 here (IPv6 packets say 6)",
                         "IP 版本号:这里是 4(IPv6 包写 6)"};
const FieldInfo kHdrLen{"ip.hdr_len", "Header Length", "首部长度",
                        "Length of this header in bytes: 20, or up to 60 with options (the field "
                        "counts 4-byte words)",
                        "本首部的字节数:20,带选项时最多 60(字段本身以 4 字节为单位)"};
const FieldInfo kDsField{"ip.dsfield",
                         "Differentiated Services Field",
                         "区分服务字段",
                         "Traffic class byte: DSCP (how to queue it) and ECN (congestion marks)",
                         "流量类别字节:DSCP(如何排队)和 ECN(拥塞标记)",
                         NumberBase::Hex2};
const FieldInfo kDscp{
    "ip.dsfield.dscp", "Differentiated Services Codepoint", "区分服务代码点",
    "Asks routers for a kind of service, e.g. 46 = expedited (voice), 0 = default",
    "请求路由器提供某种服务,例如 46 为加速转发(语音),0 为默认"};
const FieldInfo kEcn{"ip.dsfield.ecn", "Explicit Congestion Notification", "显式拥塞通知",
                     "Lets a congested router mark the packet (3) instead of dropping it",
                     "让拥塞的路由器给包打标记(3)而不是丢弃它"};
const FieldInfo kLen{"ip.len", "Total Length", "总长度",
                     "Bytes in the whole packet, header and payload (at most 65535)",
                     "整个包(首部加负载)的字节数(最多 65535)"};
const FieldInfo kId{"ip.id",
                    "Identification",
                    "标识",
                    "Number shared by all fragments of one packet, so the receiver can reassemble "
                    "them",
                    "同一个包的所有分片共用的编号,接收方据此重组",
                    NumberBase::Hex4};
const FieldInfo kFlags{"ip.flags",
                       "Flags",
                       "标志",
                       "Fragmentation flags: reserved, don't fragment, more fragments",
                       "分片标志:保留位、不分片、更多分片",
                       NumberBase::Hex2};
const FieldInfo kFlagRb{"ip.flags.rb", "Reserved bit", "保留位",
                        "Must be 0 (RFC 3514 jokingly calls it the evil bit)",
                        "必须为 0(RFC 3514 开玩笑地称之为“邪恶位”)"};
const FieldInfo kFlagDf{"ip.flags.df", "Don't fragment", "不分片",
                        "Routers must drop the packet rather than split it (used to discover the "
                        "path MTU)",
                        "路由器宁可丢弃也不能拆分这个包(用于探测路径 MTU)"};
const FieldInfo kFlagMf{"ip.flags.mf", "More fragments", "更多分片",
                        "More fragments of the same packet follow this one",
                        "同一个包后面还有更多分片"};
const FieldInfo kFragOffset{"ip.frag_offset", "Fragment Offset", "片偏移",
                            "Where this fragment's data belongs in the original packet, in units "
                            "of 8 bytes",
                            "这个分片的数据在原始包中的位置,以 8 字节为单位"};
const FieldInfo kTtl{"ip.ttl", "Time to Live", "生存时间",
                     "How many more routers may forward this packet; each one subtracts 1, and at "
                     "0 it is dropped",
                     "数据包还能经过多少个路由器;每经过一个减 1,减到 0 就被丢弃"};
const FieldInfo kProto{"ip.proto", "Protocol", "协议",
                       "Which protocol the payload belongs to: 1 ICMP, 6 TCP, 17 UDP",
                       "负载属于哪个协议:1 为 ICMP,6 为 TCP,17 为 UDP"};
const FieldInfo kChecksum{"ip.checksum",
                          "Header Checksum",
                          "首部校验和",
                          "Checksum over this header only; every router recomputes it because "
                          "the TTL changes",
                          "只覆盖本首部的校验和;由于 TTL 会变,每个路由器都要重新计算",
                          NumberBase::Hex4};
const FieldInfo kSrc{"ip.src", "Source Address", "源地址",
                     "IPv4 address of the host that sent the packet",
                     "发送这个包的主机的 IPv4 地址"};
const FieldInfo kDst{"ip.dst", "Destination Address", "目的地址",
                     "IPv4 address of the host the packet is for",
                     "这个包要送达的主机的 IPv4 地址"};

const char* flagsName(unsigned f) {
    static const char* const kNames[8] = {nullptr,
                                          "More fragments",
                                          "Don't fragment",
                                          "Don't fragment, More fragments",
                                          "Reserved bit",
                                          "Reserved bit, More fragments",
                                          "Reserved bit, Don't fragment",
                                          "Reserved bit, Don't fragment, More fragments"};
    return kNames[f & 7];
}

void appendProtocol(std::string& out, uint8_t proto) {
    const char* name = ipProtocolName(proto);
    out.append(name ? name : "Unknown");
    out.append(" (");
    appendUint(out, proto);
    out.push_back(')');
}

// A bad header the rest of the packet cannot be read past: the layer keeps `shown` bytes, the
// rest of the packet becomes data (from the IP header's start when nothing could be read, as
// Wireshark shows it).
// `info` is tshark's Info text, e.g. "Bogus IP length (19, less than header length 20)":
// `what` then the two numbers.
void stop(DissectContext& ctx, uint32_t offset, uint32_t shown, uint32_t end, std::string message,
          const char* what, uint32_t a, const char* middle, uint32_t b, const char* tail) {
    ctx.setLayerEnd(offset + shown < end ? offset + shown : end);
    ctx.problem(ProblemKind::Malformed, std::move(message));
    if (ctx.ownsSummary()) {
        std::string& info = ctx.out.summary.info;
        info.assign(what);
        appendUint(info, a);
        info.append(middle);
        if (b) appendUint(info, b);
        info.append(tail);
    }
    dissectData(ctx, offset + shown < end ? offset + shown : end, end);
}

}  // namespace

void dissectIpv4(DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    if (end > b.size()) end = b.size();
    if (offset < end && (b.at8(offset) >> 4) == 6) {
        // Wireshark's "ip" dissector reads by the version nibble, so a mislabelled IPv6
        // packet is still shown as IPv6; we do the same and say so.
        const uint32_t index = static_cast<uint32_t>(ctx.out.layers.size());
        dissectIpv6(ctx, offset, end);
        if (index < ctx.out.layers.size()) {
            ctx.out.layers[index].has_problem = true;
            ctx.out.problems.push_back(
                {index, ProblemKind::Unusual,
                 "The lower layer announced IPv4, but the version field says 6; shown as IPv6"});
        }
        return;
    }
    ctx.beginLayer(OsiLayer::Network, Protocol::Ipv4, offset, end);
    FieldSink fs = ctx.fieldSink();
    if (ctx.ownsSummary()) {
        ctx.out.summary.protocol = Protocol::Ipv4;
        // The Info text "IPv4" is written only where it stays (a cut header): every other
        // path writes its own, and building text that is overwritten costs the summary path.
    }
    if (offset >= end) {
        if (ctx.ownsSummary()) ctx.out.summary.info.assign("IPv4");
        ctx.problem(ProblemKind::Truncated, "The packet ends where the IPv4 header should start");
        return;
    }
    const uint8_t first = b.at8(offset);
    const uint32_t version = first >> 4, hlen = (first & 0x0f) * 4u;
    fs.addUint(kVersion, offset, offset + 1, version);
    if (version != 4) {
        stop(ctx, offset, 0, end,
             "The version field says " + std::to_string(version) +
                 ", but an IPv4 header must say 4; the bytes are shown as data",
             "Bogus IPv4 version (", version, ", must be 4)", 0, "");
        return;
    }
    fs.addUint(kHdrLen, offset, offset + 1, hlen);
    if (hlen < 20) {
        stop(ctx, offset, hlen, end,
             "The header length says " + std::to_string(hlen) +
                 " bytes, but an IPv4 header is at least 20 bytes long",
             "Bogus IP header length (", hlen, ", must be at least 20)", 0, "");
        return;
    }
    // Fields one by one, each only if its bytes were captured: a cut header still shows what
    // it has. `end` is clipped to the frame, so [at, at + n) below it can be read unchecked;
    // a whole fixed header (nearly every packet) answers every check at once.
    const bool fixed_header = end - offset >= 20;
    auto have = [&](uint32_t at, uint32_t n) { return fixed_header || at + n <= end; };
    const uint32_t total = have(offset + 2, 2) ? b.at16(offset + 2) : 0;
    if (have(offset + 1, 1)) {
        const uint8_t ds = b.at8(offset + 1);
        fs.addUint(kDsField, offset + 1, offset + 2, ds);
        fs.addUint(kDscp, offset + 1, offset + 2, ds >> 2, 1, ipDscpName(ds >> 2));
        fs.addUint(kEcn, offset + 1, offset + 2, ds & 3, 1, ipEcnName(ds & 3));
    }
    if (have(offset + 2, 2)) {
        // Total length 0 (TSO / BIG TCP, see below): Wireshark shows the captured length.
        fs.addUint(kLen, offset + 2, offset + 4, total != 0 ? total : end - offset);
        if (total != 0 && total < hlen) {
            stop(ctx, offset, hlen, end,
                 "Total length " + std::to_string(total) + " is smaller than the header alone (" +
                     std::to_string(hlen) + " bytes)",
                 "Bogus IP length (", total, ", less than header length ", hlen, ")");
            return;
        }
    }
    const uint16_t frag = have(offset + 6, 2) ? b.at16(offset + 6) : 0;
    if (have(offset + 4, 2)) fs.addUint(kId, offset + 4, offset + 6, b.at16(offset + 4));
    if (have(offset + 6, 1)) {
        const unsigned flags = b.at8(offset + 6) >> 5;
        fs.addUint(kFlags, offset + 6, offset + 7, flags, 0, flagsName(flags));
        fs.addBool(kFlagRb, offset + 6, offset + 7, flags & 4, 1);
        fs.addBool(kFlagDf, offset + 6, offset + 7, flags & 2, 1);
        fs.addBool(kFlagMf, offset + 6, offset + 7, flags & 1, 1);
    }
    if (have(offset + 6, 2)) fs.addUint(kFragOffset, offset + 6, offset + 8, frag & 0x1fff);
    if (have(offset + 8, 1)) fs.addUint(kTtl, offset + 8, offset + 9, b.at8(offset + 8));
    const uint8_t proto = have(offset + 9, 1) ? b.at8(offset + 9) : 0;
    if (have(offset + 9, 1))
        fs.addUint(kProto, offset + 9, offset + 10, proto, 0, ipProtocolName(proto));
    if (have(offset + 10, 2)) fs.addUint(kChecksum, offset + 10, offset + 12, b.at16(offset + 10));
    if (have(offset + 12, 4)) {
        const uint32_t src = b.at32(offset + 12);
        fs.add(kSrc, FieldKind::Ipv4, offset + 12, offset + 16, src);
        if (ctx.ownsSummary()) {
            ctx.out.summary.source.clear();
            appendIpv4(ctx.out.summary.source, src);
            ctx.summary_mac_src = DissectContext::kNoMac;
        }
    }
    if (have(offset + 16, 4)) {
        const uint32_t dst = b.at32(offset + 16);
        fs.add(kDst, FieldKind::Ipv4, offset + 16, offset + 20, dst);
        if (ctx.ownsSummary()) {
            ctx.out.summary.destination.clear();
            appendIpv4(ctx.out.summary.destination, dst);
            ctx.summary_mac_dst = DissectContext::kNoMac;
        }
    }
    if (hlen > end - offset) {
        if (ctx.ownsSummary()) ctx.out.summary.info.assign("IPv4");
        ctx.setLayerEnd(end);
        ctx.problem(ProblemKind::Truncated,
                    "The packet ends after " + std::to_string(end - offset) +
                        " bytes, inside the " + std::to_string(hlen) + "-byte IPv4 header");
        return;
    }
    ctx.setLayerEnd(offset + hlen);
    if (hlen > 20) dissectIpv4Options(ctx, offset + 20, offset + hlen);

    // How far the payload reaches. Total length 0 is what TSO and Linux BIG TCP hand to the
    // capture (the NIC or GSO splits the segment later); Wireshark then uses the captured
    // length, and so do we.
    uint32_t payload_end = end;
    // When the lower layer passed the whole frame, bytes cut by the snap length still count.
    const uint32_t reported_end =
        (end == b.size() && ctx.packet.orig_len > end) ? ctx.packet.orig_len : end;
    if (total == 0) {
        ctx.problem(
            ProblemKind::Unusual,
            "Total length is 0: the kernel handed this packet to the capture before "
            "segmentation offload (TSO / BIG TCP) filled it in; the captured length is used");
    } else if (offset + total > reported_end) {
        ctx.problem(ProblemKind::Malformed, "Total length says " + std::to_string(total) +
                                                " bytes, but the packet has only " +
                                                std::to_string(reported_end - offset));
    } else if (offset + total < end) {
        payload_end = offset + total;
    }
    if (total != 0) {
        if (!checksumVerifies(b.data() + offset, hlen)) {
            const uint64_t sum = checksumAdd(0, b.data() + offset, hlen);
            uint16_t field = b.at16(offset + 10);
            uint16_t expect = static_cast<uint16_t>(~checksumFold(sum - field));
            std::string msg;
            msg.reserve(128);
            msg.append("The header checksum is 0x");
            appendHex(msg, field, 4);
            msg.append(" but the header adds up to 0x");
            appendHex(msg, expect, 4);
            msg.append("; a damaged header, or one written by a tool that left it out");
            ctx.problem(ProblemKind::Unusual, std::move(msg));
        }
    }

    // Addresses for the transport layer (checksums, conversations).
    ctx.net_src.family = 4;
    ctx.net_dst.family = 4;
    std::memcpy(ctx.net_src.addr.data(), b.data() + offset + 12, 4);
    std::memcpy(ctx.net_dst.addr.data(), b.data() + offset + 16, 4);

    const uint32_t frag_offset = frag & 0x1fff;
    const bool more = frag & 0x2000;
    if (more || frag_offset != 0) {
        ctx.fragment = true;
        std::string msg;
        msg.reserve(160);  // one allocation for the whole message
        msg.append("This is a fragment of a larger datagram (ID 0x");
        appendHex(msg, b.u16(offset + 4), 4);
        msg.append(", data from byte ");
        appendUint(msg, frag_offset * 8);
        msg.append(more ? ", more fragments follow" : ", the last fragment");
        msg.append("); OSI Lab does not reassemble fragments");
        ctx.problem(ProblemKind::Unusual, std::move(msg));
        if (frag_offset != 0) {
            // Only the first fragment starts with the transport header.
            if (ctx.ownsSummary()) {
                std::string& info = ctx.out.summary.info;
                info.assign("Fragmented IP protocol (proto=");
                const char* name = ipProtocolName(proto);
                info.append(name ? name : "Unknown");
                info.push_back(' ');
                appendUint(info, proto);
                info.append(", off=");
                appendUint(info, frag_offset * 8);
                info.append(", ID=");
                appendHex(info, b.u16(offset + 4), 4);
                info.push_back(')');
            }
            dissectData(ctx, offset + hlen, payload_end);
            return;
        }
    }
    // TCP and UDP always write their own Info text over ours ("TCP (6)"), so it is not made.
    if (ctx.ownsSummary() && proto != ipproto::kTcp && proto != ipproto::kUdp) {
        ctx.out.summary.info.clear();
        appendProtocol(ctx.out.summary.info, proto);
    }
    dissectIpProtocol(ctx, proto, offset + hlen, payload_end);
}

}  // namespace osilab::packet
