// Ethernet II and IEEE 802.3 frames (OSI layer 2). On Linux `lo` both MAC addresses are all
// zero: loopback has no wire and no neighbours, so nothing needs addressing at this layer.
#include <string>

#include "lab/packet/ethertype.h"

namespace osilab::packet {
namespace {

const FieldInfo kDst{"eth.dst", "Destination", "目的地址",
                     "MAC address of the network card this frame is for on the local link "
                     "(ff:ff:ff:ff:ff:ff = every card)",
                     "这一帧在本地链路上要交给的网卡的 MAC 地址(ff:ff:ff:ff:ff:ff 表示所有网卡)"};
const FieldInfo kDstLg{"eth.dst.lg", "LG bit", "LG 位",
                       "Set when the address was chosen by software (locally administered) rather "
                       "than burned in by the card's maker",
                       "置位表示地址由软件指定(本地管理),而不是厂商固化在网卡里的"};
const FieldInfo kDstIg{"eth.dst.ig", "IG bit", "IG 位",
                       "Set when the frame is for a group of cards (multicast or broadcast), clear "
                       "when it is for one card",
                       "置位表示发给一组网卡(组播或广播),清零表示只发给一块网卡"};
const FieldInfo kSrc{"eth.src", "Source", "源地址",
                     "MAC address of the network card that put this frame on the link",
                     "把这一帧发到链路上的网卡的 MAC 地址"};
const FieldInfo kSrcLg{"eth.src.lg", "LG bit", "LG 位",
                       "Set when the sender's address was chosen by software (locally "
                       "administered), e.g. a virtual machine or a veth device",
                       "置位表示发送方地址由软件指定(本地管理),例如虚拟机或 veth 设备"};
const FieldInfo kSrcIg{"eth.src.ig", "IG bit", "IG 位",
                       "Must be clear: a frame is always sent by one card, never by a group",
                       "必须为 0:帧总是由一块网卡发出,不可能由一组网卡发出"};
const FieldInfo kType{"eth.type",
                      "Type",
                      "类型",
                      "Which protocol the payload carries: 0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP",
                      "负载是哪种协议:0x0800 为 IPv4,0x86dd 为 IPv6,0x0806 为 ARP",
                      NumberBase::Hex4};
const FieldInfo kLen{
    "eth.len", "Length", "长度",
    "IEEE 802.3 frame: a value up to 1500 here is the payload length, not a type; "
    "an LLC header then says what the payload is",
    "IEEE 802.3 帧:这里不超过 1500 的值是负载长度而不是类型,负载由其后的 LLC 头说明"};
const FieldInfo kTrailer{"eth.trailer", "Trailer", "尾部",
                         "Bytes after the end of the packet inside this frame, often the frame "
                         "check sequence or hardware padding",
                         "帧中位于数据包结束之后的字节,通常是帧校验序列或硬件填充"};

// The caller checked that the 6 bytes at `at` were captured.
[[gnu::always_inline]] inline void addMacFields(FieldSink& fs, const ByteReader& b,
                                                const FieldInfo& mac, const FieldInfo& lg,
                                                const FieldInfo& ig, uint32_t at) {
    fs.addMac(mac, at);
    const uint8_t first = b.at8(at);
    fs.addBool(lg, at, at + 3, first & 0x02, 1);
    fs.addBool(ig, at, at + 3, first & 0x01, 1);
}

}  // namespace

// 17 characters straight into the string's existing capacity, not the general byte-by-byte
// formatter: ARP and unknown ethertypes show MAC addresses on every line.
void assignMac(std::string& out, const uint8_t* mac) {
    static constexpr char kHex[] = "0123456789abcdef";
    char buf[17];
    for (int i = 0; i < 6; ++i) {
        buf[i * 3] = kHex[mac[i] >> 4];
        buf[i * 3 + 1] = kHex[mac[i] & 0x0f];
        if (i < 5) buf[i * 3 + 2] = ':';
    }
    out.assign(buf, sizeof buf);
}

void dissectEthernet(DissectContext& ctx, uint32_t offset, uint32_t end) {
    if (end > ctx.bytes.size()) end = ctx.bytes.size();
    const uint32_t header_end = offset + 14;
    ctx.beginLayer(OsiLayer::DataLink, Protocol::Ethernet, offset,
                   end < header_end ? end : header_end);
    // `end` is clipped to the frame: what lies below it was captured.
    const bool whole = header_end <= end;
    FieldSink fs = ctx.fieldSink();
    if (fs.wanted() && offset + 6 <= end) addMacFields(fs, ctx.bytes, kDst, kDstLg, kDstIg, offset);
    if (fs.wanted() && offset + 12 <= end)
        addMacFields(fs, ctx.bytes, kSrc, kSrcLg, kSrcIg, offset + 6);
    if (ctx.ownsSummary()) {
        // ARP and unknown payloads keep the MAC addresses in the summary, as tshark shows them.
        ctx.out.summary.protocol = Protocol::Ethernet;
        if (offset + 12 <= end) {
            ctx.summary_mac_dst = offset;
            ctx.summary_mac_src = offset + 6;
        }
        // IPv4 and IPv6 always write their own Info text, so "Ethernet II" is not made for them.
        const uint16_t next = whole ? ctx.bytes.at16(offset + 12) : 0;
        if (next != ethertype::kIpv4 && next != ethertype::kIpv6)
            ctx.out.summary.info = "Ethernet II";
    }
    if (!whole) {
        ctx.problem(ProblemKind::Truncated, "The frame ends after " + std::to_string(end - offset) +
                                                " bytes, inside the 14-byte Ethernet header");
        return;
    }
    const uint16_t type = ctx.bytes.at16(offset + 12);
    if (type <= 1500) {
        // IEEE 802.3: a length, then an LLC header OSI Lab does not read; the payload is data.
        ctx.addUint(kLen, offset + 12, offset + 14, type);
        if (ctx.ownsSummary()) ctx.out.summary.info = "IEEE 802.3 Ethernet";
        uint32_t payload_end = end;
        if (header_end + type < end) {
            payload_end = header_end + type;
        } else if (header_end + type > end && ctx.packet.orig_len <= end) {
            ctx.problem(ProblemKind::Malformed, "The 802.3 length field says " +
                                                    std::to_string(type) +
                                                    " bytes follow, but the frame holds only " +
                                                    std::to_string(end - header_end));
        }
        dissectData(ctx, header_end, payload_end);
        return;
    }
    fs.addUint(kType, offset + 12, offset + 14, type, 0, ethertypeName(type));
    if (type < 1536) {
        ctx.problem(ProblemKind::Malformed,
                    "Type/length value " + std::to_string(type) +
                        " is neither a length (up to 1500) nor an ethertype (from 1536)");
        dissectData(ctx, header_end, end);
        return;
    }
    dissectEthertypeFramed(ctx, type, header_end, end, kTrailer);
}

}  // namespace osilab::packet
