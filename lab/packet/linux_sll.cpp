// Linux "cooked" capture headers, v1 (16 bytes) and v2 (20 bytes) (OSI layer 2). Capturing on
// the "any" device gives no real link header, so the kernel writes this pseudo-header instead:
// where the packet went or came from, the link type, and the ethertype.
#include <string>

#include "lab/packet/ethertype.h"

namespace osilab::packet {
namespace {

const FieldInfo kPktType{"sll.pkttype", "Packet type", "包类型",
                         "Which way the packet went: 0 to us, 1 broadcast, 2 multicast, 3 to "
                         "another host, 4 sent by us",
                         "包的走向:0 发给本机,1 广播,2 组播,3 发给别的主机,4 本机发出"};
const FieldInfo kHaType{"sll.hatype", "Link-layer address type", "链路层地址类型",
                        "ARPHRD_ type of the interface (1 Ethernet, 772 loopback, 512 PPP…)",
                        "接口的 ARPHRD_ 类型(1 以太网,772 环回,512 PPP…)"};
const FieldInfo kHaLen{"sll.halen", "Link-layer address length", "链路层地址长度",
                       "How many bytes of the 8-byte address field hold the sender's address",
                       "8 字节地址字段中有多少字节是发送方地址"};
const FieldInfo kSrcEth{"sll.src.eth", "Source", "源地址",
                        "MAC address of the sender (all zero on loopback)",
                        "发送方的 MAC 地址(环回接口上全为 0)"};
const FieldInfo kSrcIpv4{"sll.src.ipv4", "Source", "源地址",
                         "IPv4 address of the tunnel's sender (GRE over IP)",
                         "隧道发送方的 IPv4 地址(GRE over IP)"};
const FieldInfo kSrcOther{"sll.src.other", "Source", "源地址",
                          "Link-layer address of the sender, in a format OSI Lab does not decode",
                          "发送方的链路层地址(OSI Lab 不解析这种格式)"};
const FieldInfo kUnused{"sll.unused", "Unused", "未使用",
                        "The rest of the 8-byte address field, not used by this address",
                        "8 字节地址字段中没有用到的部分"};
const FieldInfo kEtype{"sll.etype",
                       "Protocol",
                       "协议",
                       "Ethertype of the payload (0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP)",
                       "负载的以太类型(0x0800 IPv4,0x86dd IPv6,0x0806 ARP)",
                       NumberBase::Hex4};
const FieldInfo kGreType{"sll.gretype",
                         "Protocol",
                         "协议",
                         "Protocol carried by the GRE tunnel, as an ethertype",
                         "GRE 隧道承载的协议,用以太类型表示",
                         NumberBase::Hex4};
const FieldInfo kLtype{"sll.ltype",
                       "Protocol",
                       "协议",
                       "A Linux-internal protocol number (below 1536), e.g. 4 = 802.2 LLC",
                       "Linux 内部协议号(小于 1536),例如 4 表示 802.2 LLC",
                       NumberBase::Hex4};
const FieldInfo kIfIndex{"sll.ifindex", "Interface index", "接口索引",
                         "Number of the network interface the packet was seen on (see `ip link`)",
                         "看到这个包的网络接口编号(见 `ip link`)"};

constexpr uint16_t kArphrdEther = 1, kArphrdIeee802 = 6, kArphrdLoopback = 772, kArphrdIpGre = 778,
                   kArphrdNetlink = 824;

const char* pktTypeName(uint16_t t) {
    switch (t) {
        case 0: return "Unicast to us";
        case 1: return "Broadcast";
        case 2: return "Multicast";
        case 3: return "Unicast to another host";
        case 4: return "Sent by us";
        default: return nullptr;
    }
}

const char* haTypeName(uint16_t t) {
    switch (t) {
        case kArphrdEther: return "Ethernet";
        case kArphrdIeee802: return "IEEE 802";
        case 512: return "PPP";
        case kArphrdLoopback: return "Loopback";
        case 776: return "IPv6-in-IPv4";
        case kArphrdIpGre: return "GRE over IP";
        case kArphrdNetlink: return "Netlink";
        case 65534: return "None";
        default: return nullptr;
    }
}

// The 8-byte address field at `at`, of which `halen` bytes are used.
void addAddress(DissectContext& ctx, uint16_t hatype, uint32_t halen, uint32_t at) {
    if ((hatype == kArphrdEther || hatype == kArphrdIeee802 || hatype == kArphrdLoopback) &&
        halen == 6) {
        ctx.addMac(kSrcEth, at);
    } else if (hatype == kArphrdIpGre && halen == 4) {
        ctx.addIpv4(kSrcIpv4, at);
    } else if (halen > 0) {
        ctx.addBytes(kSrcOther, at, at + (halen > 8 ? 8 : halen));
    }
    if (halen < 8) ctx.addBytes(kUnused, at + halen, at + 8);
}

// The protocol field at `at`; true when it is an ethertype the ethertype table can follow.
bool addProtocol(DissectContext& ctx, uint16_t hatype, uint16_t protocol, uint32_t at) {
    if (hatype == kArphrdIpGre) {
        ctx.addUint(kGreType, at, at + 2, protocol, 0, ethertypeName(protocol));
        return true;
    }
    if (hatype == kArphrdNetlink || protocol < 1536) {
        ctx.addUint(kLtype, at, at + 2, protocol);
        return false;
    }
    ctx.addUint(kEtype, at, at + 2, protocol, 0, ethertypeName(protocol));
    return true;
}

void dissectPayload(DissectContext& ctx, bool is_ethertype, uint16_t protocol, uint32_t offset,
                    uint32_t end) {
    if (is_ethertype)
        dissectEthertype(ctx, protocol, offset, end);
    else
        dissectData(ctx, offset, end);
}

bool startLayer(DissectContext& ctx, Protocol protocol, uint32_t offset, uint32_t end,
                uint32_t header, const char* info) {
    ctx.beginLayer(OsiLayer::DataLink, protocol, offset,
                   offset + header < end ? offset + header : end);
    if (ctx.ownsSummary()) {
        ctx.out.summary.protocol = protocol;
        ctx.out.summary.info = info;
    }
    if (ctx.bytes.has(offset, header) && offset + header <= end) return true;
    ctx.problem(ProblemKind::Truncated, "The packet ends inside the " + std::to_string(header) +
                                            "-byte Linux cooked capture header");
    return false;
}

}  // namespace

void dissectLinuxSll(DissectContext& ctx, uint32_t offset, uint32_t end) {
    if (end > ctx.bytes.size()) end = ctx.bytes.size();
    if (!startLayer(ctx, Protocol::LinuxSll, offset, end, 16, "Linux cooked capture v1")) return;
    const uint16_t pkttype = ctx.bytes.u16(offset);
    const uint16_t hatype = ctx.bytes.u16(offset + 2);
    const uint16_t halen = ctx.bytes.u16(offset + 4);
    ctx.addUint(kPktType, offset, offset + 2, pkttype, 0, pktTypeName(pkttype));
    ctx.addUint(kHaType, offset + 2, offset + 4, hatype, 0, haTypeName(hatype));
    ctx.addUint(kHaLen, offset + 4, offset + 6, halen);
    addAddress(ctx, hatype, halen, offset + 6);
    const uint16_t protocol = ctx.bytes.u16(offset + 14);
    dissectPayload(ctx, addProtocol(ctx, hatype, protocol, offset + 14), protocol, offset + 16,
                   end);
}

void dissectLinuxSll2(DissectContext& ctx, uint32_t offset, uint32_t end) {
    if (end > ctx.bytes.size()) end = ctx.bytes.size();
    if (!startLayer(ctx, Protocol::LinuxSll2, offset, end, 20, "Linux cooked capture v2")) return;
    const uint16_t protocol = ctx.bytes.u16(offset);
    const uint16_t hatype = ctx.bytes.u16(offset + 8);
    const uint8_t pkttype = ctx.bytes.u8(offset + 10);
    const uint8_t halen = ctx.bytes.u8(offset + 11);
    // The protocol comes first in v2, and Wireshark lists it first.
    const bool is_ethertype = addProtocol(ctx, hatype, protocol, offset);
    ctx.addUint(kIfIndex, offset + 4, offset + 8, ctx.bytes.u32(offset + 4));
    ctx.addUint(kHaType, offset + 8, offset + 10, hatype, 0, haTypeName(hatype));
    ctx.addUint(kPktType, offset + 10, offset + 11, pkttype, 0, pktTypeName(pkttype));
    ctx.addUint(kHaLen, offset + 11, offset + 12, halen);
    addAddress(ctx, hatype, halen, offset + 12);
    dissectPayload(ctx, is_ethertype, protocol, offset + 20, end);
}

}  // namespace osilab::packet
