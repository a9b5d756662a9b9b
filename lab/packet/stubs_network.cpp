// TEMPORARY during parallel development: placeholders for the link/network dissectors until
// their real files exist. Delete this file once ethernet/sll/null/raw/arp/ipv4/ipv6/icmp exist.
#include "lab/packet/dissect_context.h"
namespace osilab::packet {
void dissectEthernet(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectVlan(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectLinuxSll(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectLinuxSll2(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectNull(DissectContext& c, uint32_t o, uint32_t e, bool) { dissectData(c, o, e); }
void dissectRawIp(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectEthertype(DissectContext& c, uint16_t, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectArp(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectIpv4(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectIpv6(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectIcmp(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectIcmpv6(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectIpProtocol(DissectContext& c, uint8_t, uint32_t o, uint32_t e) { dissectData(c, o, e); }
}  // namespace osilab::packet
