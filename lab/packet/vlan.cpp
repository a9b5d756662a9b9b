// 802.1Q VLAN tags and 802.1ad (QinQ) service tags (OSI layer 2). A tag sits between the MAC
// addresses and the ethertype and puts the frame into one virtual LAN; providers stack a
// second tag outside the customer's one.
#include <string>

#include "lab/packet/ethertype.h"

namespace osilab::packet {
namespace {

// Wireshark names the fields of the two tag types differently (vlan.* and ieee8021ad.*).
struct TagFields {
    FieldInfo priority, dei, id, etype, trailer;
};

const TagFields kQ{
    {"vlan.priority", "Priority", "优先级",
     "Priority code point (0-7): which frames a busy switch should send first",
     "优先级代码(0-7):交换机繁忙时先转发哪些帧"},
    {"vlan.dei", "DEI", "DEI(可丢弃标志)",
     "Drop eligible indicator: set when this frame may be dropped first under congestion",
     "可丢弃指示:置位表示拥塞时可以优先丢弃这一帧"},
    {"vlan.id", "ID", "VLAN ID",
     "Which virtual LAN (1-4094) the frame belongs to; switches keep different VLANs apart",
     "这一帧属于哪个虚拟局域网(1-4094);交换机把不同 VLAN 的流量隔离开"},
    {"vlan.etype", "Type", "类型",
     "Ethertype of what follows the tag (0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP…)",
     "标签后面内容的以太类型(0x0800 IPv4、0x86dd IPv6、0x0806 ARP…)", NumberBase::Hex4},
    {"vlan.trailer", "Trailer", "尾部",
     "Bytes after the end of the packet inside this frame, often the frame check sequence",
     "帧中位于数据包结束之后的字节,通常是帧校验序列"},
};
const TagFields kAd{
    {"ieee8021ad.priority", "Priority", "优先级",
     "Priority code point (0-7) of the provider's service tag", "运营商服务标签的优先级代码(0-7)"},
    {"ieee8021ad.dei", "DEI", "DEI(可丢弃标志)",
     "Drop eligible indicator of the service tag: 1 = may be dropped first under congestion",
     "服务标签的可丢弃指示:1 表示拥塞时可以优先丢弃"},
    {"ieee8021ad.id", "ID", "服务 VLAN ID",
     "Service VLAN of the provider network; the customer's own tag follows inside",
     "运营商网络的服务 VLAN;客户自己的标签在它里面"},
    {"ieee8021ah.etype", "Type", "类型",
     "Ethertype of what follows the service tag, usually 0x8100 (the customer's tag)",
     "服务标签后面内容的以太类型,通常是 0x8100(客户的标签)", NumberBase::Hex4},
    {"ieee8021ah.trailer", "Trailer", "尾部",
     "Bytes after the end of the packet inside this frame, often the frame check sequence",
     "帧中位于数据包结束之后的字节,通常是帧校验序列"},
};

// Real networks stack at most two or three tags; a crafted frame could stack thousands.
constexpr int kMaxTags = 8;

const char* priorityName(unsigned pcp) {
    static const char* const kNames[8] = {"Best Effort (default)",
                                          "Background",
                                          "Excellent Effort",
                                          "Critical Applications",
                                          "Video, < 100ms latency and jitter",
                                          "Voice, < 10ms latency and jitter",
                                          "Internetwork Control",
                                          "Network Control"};
    return kNames[pcp & 7];
}

int tagsSoFar(const Dissection& d) {
    int n = 0;
    for (auto it = d.layers.rbegin(); it != d.layers.rend() && it->protocol == Protocol::Vlan; ++it)
        ++n;
    return n;
}

}  // namespace

void dissectVlan(DissectContext& ctx, uint32_t offset, uint32_t end) {
    if (end > ctx.bytes.size()) end = ctx.bytes.size();
    // The tag protocol identifier is the ethertype just before the tag.
    const uint16_t tpid = offset >= 2 ? ctx.bytes.u16(offset - 2) : ethertype::kVlan;
    const bool service_tag = tpid == ethertype::kQinQ;
    const TagFields& f = service_tag ? kAd : kQ;
    if (tagsSoFar(ctx.out) >= kMaxTags) {
        dissectData(ctx, offset, end);
        ctx.problem(ProblemKind::Malformed, "More than " + std::to_string(kMaxTags) +
                                                " VLAN tags in a row; the rest is shown as data");
        return;
    }
    ctx.beginLayer(OsiLayer::DataLink, Protocol::Vlan, offset, offset + 4 < end ? offset + 4 : end);
    if (!ctx.bytes.has(offset, 4) || offset + 4 > end) {
        ctx.problem(ProblemKind::Truncated, "The frame ends inside the 4-byte VLAN tag");
        return;
    }
    const uint16_t tci = ctx.bytes.u16(offset);
    const uint16_t type = ctx.bytes.u16(offset + 2);
    if (service_tag) {
        // Wireshark gives the 802.1ad priority and DEI a one-byte span.
        ctx.addUint(f.priority, offset, offset + 1, tci >> 13);
        ctx.addUint(f.dei, offset, offset + 1, (tci >> 12) & 1);
    } else {
        ctx.addUint(f.priority, offset, offset + 2, tci >> 13, 0, priorityName(tci >> 13));
        ctx.addBool(f.dei, offset, offset + 2, (tci >> 12) & 1);
    }
    ctx.addUint(f.id, offset, offset + 2, tci & 0x0fff);
    ctx.addUint(f.etype, offset + 2, offset + 4, type, 0, ethertypeName(type));
    if (type <= 1500) {
        // A length instead of a type: 802.3 with LLC inside the tag, which OSI Lab shows as data.
        dissectData(ctx, offset + 4, end);
        return;
    }
    dissectEthertypeFramed(ctx, type, offset + 4, end, f.trailer);
}

}  // namespace osilab::packet
