// The datagram an ICMP or ICMPv6 error message quotes: the start of the packet that caused
// the error, so its sender can tell which packet (which socket) failed.
#pragma once

#include <cstdint>

#include "lab/packet/dissect_context.h"

namespace osilab::packet {

// Dissects the quoted IPv4 (or IPv6) header at [offset, end) and what follows it (usually the
// first 8 bytes of a TCP or UDP header) as fields nested in the current ICMP layer, under a
// heading per quoted protocol. The quote does not touch the summary, the conversations or
// the addresses passed up, and its length problems are dropped: a quote is cut short by design.
void dissectQuotedDatagram(DissectContext& ctx, uint32_t offset, uint32_t end, bool ipv6);

// True when the whole of the current layer's message, from `offset` to `end`, was captured:
// the IP header carrying it claims no more bytes than that. Only then can a checksum over the
// message be verified (Wireshark marks the others "unverified").
bool carriedWhole(const DissectContext& ctx, uint32_t end);

// The TTL or hop limit of the IP header that carries the current layer, for tshark-style
// Info text ("ttl=64"); -1 when the layer is not carried by IP.
int carryingHopLimit(const DissectContext& ctx);

}  // namespace osilab::packet
