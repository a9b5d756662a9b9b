// ARP and RARP: how a host finds the MAC address behind an IPv4 address on its link (and,
// with RARP, the reverse). OSI Lab puts ARP at layer 2, the data link layer: its messages
// travel in link frames, never inside IP, and they exist only to make layer-2 delivery work.
// Wireshark's view is the same ("between 2 and 3"): it resolves layer-3 addresses but does
// not route.
#include <string>

#include "lab/packet/dissect_context.h"
#include "lab/packet/ethertype.h"
#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

const FieldInfo kHwType{"arp.hw.type", "Hardware type", "硬件类型",
                        "Kind of link the addresses belong to (1 = Ethernet)",
                        "地址所属的链路类型(1 为以太网)"};
const FieldInfo kProtoType{"arp.proto.type",
                           "Protocol type",
                           "协议类型",
                           "Kind of network address being resolved, as an ethertype (0x0800 = "
                           "IPv4)",
                           "要解析的网络地址类型,用以太类型表示(0x0800 为 IPv4)",
                           NumberBase::Hex4};
const FieldInfo kHwSize{"arp.hw.size", "Hardware size", "硬件地址长度",
                        "Length of a hardware address in bytes (6 for a MAC address)",
                        "硬件地址的字节数(MAC 地址为 6)"};
const FieldInfo kProtoSize{"arp.proto.size", "Protocol size", "协议地址长度",
                           "Length of a network address in bytes (4 for IPv4)",
                           "网络地址的字节数(IPv4 为 4)"};
const FieldInfo kOpcode{
    "arp.opcode", "Opcode", "操作码",
    "1 = request (who has this IP?), 2 = reply (it is at this MAC); 3 and 4 "
    "are the RARP versions",
    "1 为请求(谁有这个 IP?),2 为应答(它在这个 MAC);3 和 4 是 RARP 的请求和应答"};
const FieldInfo kGratuitous{
    "arp.isgratuitous", "Is gratuitous", "是否为免费 ARP",
    "Sender and target IP are the same: a host announcing its own "
    "address (after boot or a change), not asking anything",
    "发送方与目标 IP 相同:主机在宣告自己的地址(开机或地址变化后),并不是在询问"};
const FieldInfo kSrcMac{"arp.src.hw_mac", "Sender MAC address", "发送方 MAC 地址",
                        "MAC address of the host sending this message",
                        "发送这条消息的主机的 MAC 地址"};
const FieldInfo kSrcHw{"arp.src.hw", "Sender hardware address", "发送方硬件地址",
                       "Hardware address of the sender, in a format other than a MAC address",
                       "发送方的硬件地址(不是 MAC 地址格式)"};
const FieldInfo kSrcIpv4{"arp.src.proto_ipv4", "Sender IP address", "发送方 IP 地址",
                         "IPv4 address of the host sending this message",
                         "发送这条消息的主机的 IPv4 地址"};
const FieldInfo kSrcProto{"arp.src.proto", "Sender protocol address", "发送方协议地址",
                          "Network address of the sender, in a format other than IPv4",
                          "发送方的网络地址(不是 IPv4 格式)"};
const FieldInfo kDstMac{"arp.dst.hw_mac", "Target MAC address", "目标 MAC 地址",
                        "MAC address of the host asked about; all zero in a request, because "
                        "that is what the sender wants to learn",
                        "被询问主机的 MAC 地址;请求中全为 0,因为这正是发送方想知道的"};
const FieldInfo kDstHw{"arp.dst.hw", "Target hardware address", "目标硬件地址",
                       "Hardware address of the target, in a format other than a MAC address",
                       "目标的硬件地址(不是 MAC 地址格式)"};
const FieldInfo kDstIpv4{"arp.dst.proto_ipv4", "Target IP address", "目标 IP 地址",
                         "IPv4 address whose MAC address is wanted (or given, in a reply)",
                         "想要查询(或在应答中告知)其 MAC 地址的 IPv4 地址"};
const FieldInfo kDstProto{"arp.dst.proto", "Target protocol address", "目标协议地址",
                          "Network address of the target, in a format other than IPv4",
                          "目标的网络地址(不是 IPv4 格式)"};

const char* opcodeName(uint16_t op) {
    switch (op) {
        case 1: return "request";
        case 2: return "reply";
        case 3: return "reverse request";
        case 4: return "reverse reply";
        case 5: return "DRARP-Request";
        case 6: return "DRARP-Reply";
        case 7: return "DRARP-Error";
        case 8: return "inverse request";
        case 9: return "inverse reply";
        case 10: return "ARP-NAK";
        default: return nullptr;
    }
}

const char* hwTypeName(uint16_t t) {
    switch (t) {
        case 1: return "Ethernet";
        case 6: return "IEEE 802";
        case 32: return "InfiniBand";
        default: return nullptr;
    }
}

struct Layout {
    uint32_t sha, spa, tha, tpa;  // offsets of the four addresses
    uint8_t hlen, plen;
    bool mac, ipv4;  // addresses are a MAC / an IPv4 address
};

// An address as tshark writes it in the Info column.
void appendAddress(std::string& out, const ByteReader& bytes, uint32_t at, uint8_t len, bool mac,
                   bool ipv4) {
    if (len == 0) {
        out.append("<No address>");
    } else if (mac) {
        appendMac(out, bytes.data() + at);
    } else if (ipv4) {
        appendIpv4(out, bytes.u32(at));
    } else {
        appendColonHex(out, bytes.data() + at, len);
    }
}

void setInfo(DissectContext& ctx, uint16_t op, const Layout& a, bool gratuitous) {
    Summary& s = ctx.out.summary;
    s.info.clear();
    const ByteReader& b = ctx.bytes;
    auto hw = [&](uint32_t at) { appendAddress(s.info, b, at, a.hlen, a.mac, false); };
    auto pr = [&](uint32_t at) { appendAddress(s.info, b, at, a.plen, false, a.ipv4); };
    if (gratuitous) {
        s.info.append("Gratuitous ARP for ");
        pr(a.spa);
        s.info.append(op == 1 ? " (Request)" : " (Reply)");
        return;
    }
    switch (op) {
        case 1:
            s.info.append("Who has ");
            pr(a.tpa);
            s.info.append("? Tell ");
            pr(a.spa);
            break;
        case 2:
            pr(a.spa);
            s.info.append(" is at ");
            hw(a.sha);
            break;
        case 3:
            s.info.append("Who is ");
            hw(a.tha);
            s.info.append("? Tell ");
            hw(a.sha);
            break;
        case 4:
            hw(a.tha);
            s.info.append(" is at ");
            pr(a.tpa);
            break;
        default:
            s.info.append("Unknown ARP opcode 0x");
            appendHex(s.info, op, 4);
            break;
    }
}

}  // namespace

void dissectArp(DissectContext& ctx, uint32_t offset, uint32_t end) {
    if (end > ctx.bytes.size()) end = ctx.bytes.size();
    const ByteReader& b = ctx.bytes;
    ctx.beginLayer(OsiLayer::DataLink, Protocol::Arp, offset, end);
    if (ctx.ownsSummary()) ctx.out.summary.protocol = Protocol::Arp;
    if (!b.has(offset, 8) || offset + 8 > end) {
        ctx.problem(ProblemKind::Truncated,
                    "The packet ends inside the 8-byte fixed part of the ARP message");
        return;
    }
    const uint16_t hw_type = b.u16(offset);
    const uint16_t proto_type = b.u16(offset + 2);
    Layout a;
    a.hlen = b.u8(offset + 4);
    a.plen = b.u8(offset + 5);
    const uint16_t op = b.u16(offset + 6);
    a.sha = offset + 8;
    a.spa = a.sha + a.hlen;
    a.tha = a.spa + a.plen;
    a.tpa = a.tha + a.hlen;
    const uint32_t msg_end = a.tpa + a.plen;
    a.mac = (hw_type == 1 || hw_type == 6) && a.hlen == 6;
    a.ipv4 = (proto_type == ethertype::kIpv4) && a.plen == 4;
    ctx.setLayerEnd(msg_end < end ? msg_end : end);

    ctx.addUint(kHwType, offset, offset + 2, hw_type, 0, hwTypeName(hw_type));
    ctx.addUint(kProtoType, offset + 2, offset + 4, proto_type, 0, ethertypeName(proto_type));
    ctx.addUint(kHwSize, offset + 4, offset + 5, a.hlen);
    ctx.addUint(kProtoSize, offset + 5, offset + 6, a.plen);
    ctx.addUint(kOpcode, offset + 6, offset + 8, op, 0, opcodeName(op));
    const bool complete = b.has(offset, msg_end - offset) && msg_end <= end;
    const bool gratuitous =
        complete && (op == 1 || op == 2) && a.ipv4 && b.u32(a.spa) == b.u32(a.tpa);
    if (gratuitous) ctx.addBool(kGratuitous, offset, offset, true);
    // Each address only if all of its bytes are there.
    auto addHw = [&](const FieldInfo& mac, const FieldInfo& raw, uint32_t at) {
        if (a.hlen == 0 || !b.has(at, a.hlen) || at + a.hlen > end) return;
        if (a.mac)
            ctx.addMac(mac, at);
        else
            ctx.addBytes(raw, at, at + a.hlen);
    };
    auto addProto = [&](const FieldInfo& ipv4, const FieldInfo& raw, uint32_t at) {
        if (a.plen == 0 || !b.has(at, a.plen) || at + a.plen > end) return;
        if (a.ipv4)
            ctx.addIpv4(ipv4, at);
        else
            ctx.addBytes(raw, at, at + a.plen);
    };
    addHw(kSrcMac, kSrcHw, a.sha);
    addProto(kSrcIpv4, kSrcProto, a.spa);
    addHw(kDstMac, kDstHw, a.tha);
    addProto(kDstIpv4, kDstProto, a.tpa);
    if (!complete) {
        ctx.problem(ProblemKind::Truncated,
                    "The ARP message needs " + std::to_string(msg_end - offset) +
                        " bytes for its addresses, but only " + std::to_string(end - offset) +
                        " are in the packet");
        return;
    }
    if (ctx.ownsSummary()) setInfo(ctx, op, a, gratuitous);
}

}  // namespace osilab::packet
