// Ethertype dispatch shared by the link layers (Ethernet, 802.1Q/802.1ad, Linux cooked capture).
#pragma once

#include <cstdint>

#include "lab/packet/dissect_context.h"

namespace osilab::packet {

namespace ethertype {
inline constexpr uint16_t kIpv4 = 0x0800;
inline constexpr uint16_t kArp = 0x0806;
inline constexpr uint16_t kRarp = 0x8035;
inline constexpr uint16_t kVlan = 0x8100;  // 802.1Q customer tag
inline constexpr uint16_t kIpv6 = 0x86dd;
inline constexpr uint16_t kQinQ = 0x88a8;     // 802.1ad service tag
inline constexpr uint16_t kQinQOld = 0x9100;  // pre-standard QinQ, still seen on switches
}  // namespace ethertype

// Wireshark's name for an ethertype ("IPv4", "ARP"…), or nullptr when we have none.
const char* ethertypeName(uint16_t type);

// Like dissectEthertype, for an Ethernet-framed payload: the bytes between the end of what the
// upper protocol says it uses and `end` are Ethernet padding (up to the 60-byte minimum frame)
// and trailer, added to the current (Ethernet or VLAN) layer as eth.padding and `trailer`.
void dissectEthertypeFramed(DissectContext& ctx, uint16_t type, uint32_t offset, uint32_t end,
                            const FieldInfo& trailer);

}  // namespace osilab::packet
