// IP protocol numbers (the IPv4 Protocol field and the IPv6 Next Header field).
#pragma once

#include <cstdint>

namespace osilab::packet {

namespace ipproto {
inline constexpr uint8_t kHopByHop = 0, kIcmp = 1, kIpv4 = 4, kTcp = 6, kUdp = 17, kIpv6 = 41,
                         kRouting = 43, kFragment = 44, kEsp = 50, kAh = 51, kIcmpv6 = 58,
                         kNoNext = 59, kDestOptions = 60, kMobility = 135;
}  // namespace ipproto

// Wireshark's name for an IP protocol number ("TCP", "ICMPv6"…), or nullptr when we have none.
const char* ipProtocolName(uint8_t protocol);

// Names of the DSCP and ECN values in the IPv4 DS field and the IPv6 traffic class.
const char* ipDscpName(unsigned dscp);
const char* ipEcnName(unsigned ecn);

}  // namespace osilab::packet
