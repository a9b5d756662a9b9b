// The ethertype table: which dissector reads the payload of an Ethernet, VLAN or Linux cooked
// frame, and where Ethernet padding and trailer bytes begin.
#include "lab/packet/ethertype.h"

namespace osilab::packet {
namespace {

const FieldInfo kPadding{"eth.padding", "Padding", "填充",
                         "Zero bytes the sender added because an Ethernet frame must be at least "
                         "60 bytes long (64 with the checksum); they carry nothing",
                         "以太网帧至少要 60 字节(加校验和 64 字节),发送方补上的无意义字节"};

// How many bytes the protocol behind `type` says it occupies, or `available` when it does not
// say (or says something impossible: then the protocol's own dissector reports it).
uint32_t claimedLength(const ByteReader& bytes, uint16_t type, uint32_t offset,
                       uint32_t available) {
    switch (type) {
        case ethertype::kIpv4: {
            if (!bytes.has(offset, 4)) return available;
            uint8_t version = bytes.at8(offset) >> 4;
            if (version == 6) {  // Wireshark reads it as IPv6 too (see ipv4.cpp)
                if (!bytes.has(offset, 6)) return available;
                uint32_t plen = bytes.at16(offset + 4);
                return plen == 0 ? available : 40 + plen;
            }
            uint32_t header = (bytes.at8(offset) & 0x0f) * 4u;
            uint32_t total = bytes.at16(offset + 2);
            // Total length 0 is what TSO / BIG TCP hands to the capture: the packet is as long as
            // the frame. A total below the header length is an error IPv4 itself reports.
            if (version != 4 || total == 0 || total < header) return available;
            return total;
        }
        case ethertype::kIpv6: {
            if (!bytes.has(offset, 6)) return available;
            uint32_t plen = bytes.at16(offset + 4);
            return plen == 0 ? available : 40 + plen;  // 0: jumbogram, sized by its HBH option
        }
        case ethertype::kArp:
        case ethertype::kRarp:
            if (!bytes.has(offset, 6)) return available;
            return 8 + 2u * bytes.u8(offset + 4) + 2u * bytes.u8(offset + 5);
        default: return available;
    }
}

}  // namespace

const char* ethertypeName(uint16_t type) {
    // Nearly every frame: before the switch's search through the sorted cases.
    if (type == ethertype::kIpv4) return "IPv4";
    if (type == ethertype::kIpv6) return "IPv6";
    switch (type) {
        case ethertype::kIpv4: return "IPv4";
        case ethertype::kArp: return "ARP";
        case ethertype::kRarp: return "RARP";
        case ethertype::kVlan: return "802.1Q Virtual LAN";
        case ethertype::kIpv6: return "IPv6";
        case ethertype::kQinQ: return "802.1ad Provider Bridge (Q-in-Q)";
        case ethertype::kQinQOld: return "QinQ: old non-standard 802.1ad";
        case 0x0842: return "Wake on LAN";
        case 0x22f0: return "IEEE 1722 Audio Video Bridging Transport Protocol";
        case 0x8847: return "MPLS label switched packet";
        case 0x8848: return "MPLS multicast label switched packet";
        case 0x8863: return "PPPoE Discovery";
        case 0x8864: return "PPPoE Session";
        case 0x888e: return "802.1X Authentication";
        case 0x88cc: return "802.1 Link Layer Discovery Protocol (LLDP)";
        case 0x88e5: return "802.1AE (MACsec)";
        case 0x88f7: return "PTPv2 over Ethernet (IEEE1588)";
        case 0x8809: return "Slow Protocols";
        case 0x9000: return "Configuration Test Protocol (loopback)";
        default: return nullptr;
    }
}

void dissectEthertype(DissectContext& ctx, uint16_t type, uint32_t offset, uint32_t end) {
    switch (type) {
        case ethertype::kIpv4: dissectIpv4(ctx, offset, end); break;
        case ethertype::kIpv6: dissectIpv6(ctx, offset, end); break;
        case ethertype::kArp:
        case ethertype::kRarp: dissectArp(ctx, offset, end); break;
        case ethertype::kVlan:
        case ethertype::kQinQ:
        case ethertype::kQinQOld: dissectVlan(ctx, offset, end); break;
        default: dissectData(ctx, offset, end); break;
    }
}

void dissectEthertypeFramed(DissectContext& ctx, uint16_t type, uint32_t offset, uint32_t end,
                            const FieldInfo& trailer) {
    uint32_t available = end > offset ? end - offset : 0;
    uint32_t claimed = claimedLength(ctx.bytes, type, offset, available);
    if (claimed >= available) {
        dissectEthertype(ctx, type, offset, end);
        return;
    }
    uint32_t payload_end = offset + claimed;
    // As Wireshark: the frame's length on the wire decides how much of the tail is padding
    // (frames shorter than 60 bytes are padded up to 60); the rest is trailer. Bytes the snap
    // length cut off count for the decision but cannot be shown.
    if (ctx.wantFields() && end == ctx.bytes.size()) {
        const uint32_t wire =
            ctx.packet.orig_len > ctx.bytes.size() ? ctx.packet.orig_len : ctx.bytes.size();
        uint32_t padding = 0;
        if (wire >= 60 && payload_end < 60) padding = 60 - payload_end;
        if (padding > end - payload_end) padding = end - payload_end;
        // Wireshark 4.0 only calls it padding when it is all zeros; otherwise it is all trailer.
        for (uint32_t i = 0; i < padding; ++i) {
            if (ctx.bytes.u8(payload_end + i) != 0) {
                padding = 0;
                break;
            }
        }
        if (padding) ctx.addBytes(kPadding, payload_end, payload_end + padding);
        if (payload_end + padding < end) ctx.addBytes(trailer, payload_end + padding, end);
    }
    dissectEthertype(ctx, type, offset, payload_end);
}

}  // namespace osilab::packet
