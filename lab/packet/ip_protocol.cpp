// The IP protocol table: which dissector reads what an IPv4 or IPv6 header carries.
#include "lab/packet/ip_protocol.h"

#include "lab/packet/dissect_context.h"

namespace osilab::packet {
namespace {

// IP inside IP (tunnels) nests dissectors; real tunnels stack two or three deep.
constexpr int kMaxIpHeaders = 4;

int ipHeadersSoFar(const Dissection& d) {
    int n = 0;
    for (const Layer& l : d.layers)
        if (l.protocol == Protocol::Ipv4 || l.protocol == Protocol::Ipv6) ++n;
    return n;
}

}  // namespace

const char* ipProtocolName(uint8_t protocol) {
    switch (protocol) {
        case 0: return "IPv6 Hop-by-Hop Option";
        case 1: return "ICMP";
        case 2: return "IGMP";
        case 3: return "GGP";
        case 4: return "IPIP";
        case 6: return "TCP";
        case 8: return "EGP";
        case 9: return "IGRP";
        case 12: return "PUP";
        case 17: return "UDP";
        case 27: return "RDP";
        case 33: return "DCCP";
        case 41: return "IPv6";
        case 43: return "Routing Header for IPv6";
        case 44: return "Fragment Header for IPv6";
        case 46: return "RSVP";
        case 47: return "GRE";
        case 50: return "ESP";
        case 51: return "AH";
        case 58: return "ICMPv6";
        case 59: return "IPv6 No Next Header";
        case 60: return "Destination Options for IPv6";
        case 88: return "EIGRP";
        case 89: return "OSPF IGP";
        case 103: return "PIM";
        case 108: return "IPComp";
        case 112: return "VRRP";
        case 115: return "L2TP";
        case 132: return "SCTP";
        case 135: return "Mobility Header";
        case 136: return "UDPLite";
        case 137: return "MPLS in IP";
        case 143: return "Ethernet";
        default: return nullptr;
    }
}

const char* ipDscpName(unsigned d) {
    switch (d) {
        case 0: return "Default";
        case 8: return "Class Selector 1";
        case 10: return "Assured Forwarding 11";
        case 12: return "Assured Forwarding 12";
        case 14: return "Assured Forwarding 13";
        case 16: return "Class Selector 2";
        case 18: return "Assured Forwarding 21";
        case 20: return "Assured Forwarding 22";
        case 22: return "Assured Forwarding 23";
        case 24: return "Class Selector 3";
        case 26: return "Assured Forwarding 31";
        case 28: return "Assured Forwarding 32";
        case 30: return "Assured Forwarding 33";
        case 32: return "Class Selector 4";
        case 34: return "Assured Forwarding 41";
        case 36: return "Assured Forwarding 42";
        case 38: return "Assured Forwarding 43";
        case 40: return "Class Selector 5";
        case 44: return "Voice Admit";
        case 46: return "Expedited Forwarding";
        case 48: return "Class Selector 6";
        case 56: return "Class Selector 7";
        default: return "Unknown";
    }
}

const char* ipEcnName(unsigned e) {
    static const char* const kNames[4] = {
        "Not ECN-Capable Transport", "ECN-Capable Transport codepoint '01'",
        "ECN-Capable Transport codepoint '10'", "Congestion Experienced"};
    return kNames[e & 3];
}

void dissectIpProtocol(DissectContext& ctx, uint8_t protocol, uint32_t offset, uint32_t end) {
    switch (protocol) {
        case ipproto::kIcmp: dissectIcmp(ctx, offset, end); return;
        case ipproto::kTcp: dissectTcp(ctx, offset, end); return;
        case ipproto::kUdp: dissectUdp(ctx, offset, end); return;
        case ipproto::kIcmpv6: dissectIcmpv6(ctx, offset, end); return;
        case ipproto::kIpv4:
        case ipproto::kIpv6:
            if (ipHeadersSoFar(ctx.out) < kMaxIpHeaders) {
                if (protocol == ipproto::kIpv4)
                    dissectIpv4(ctx, offset, end);
                else
                    dissectIpv6(ctx, offset, end);
                return;
            }
            break;
        default: break;
    }
    dissectData(ctx, offset, end);
}

}  // namespace osilab::packet
