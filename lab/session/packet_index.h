// What the session keeps per packet: 32 bytes, whatever the packet's size. Everything a list row
// shows beyond these (addresses, Info) is made again on demand by dissecting the packet's bytes,
// which stay in the mapped file (or the byte arena) — the way to hold a million packets in a
// few tens of megabytes.
#pragma once

#include <cstdint>

#include "lab/packet/layer.h"

namespace osilab::session {

namespace packetflag {
inline constexpr uint8_t kInArena = 0x01;  // data_offset is a ByteArena position, not a file one
inline constexpr uint8_t kTcp = 0x02;      // conversation is a tcp.stream index
inline constexpr uint8_t kUdp = 0x04;      // conversation is a udp.stream index
inline constexpr uint8_t kProblem = 0x08;  // the dissector found a problem (truncated, malformed…)
inline constexpr uint8_t kHasComment = 0x10;  // pcapng comments (a lesson step's narrative)
}  // namespace packetflag

struct PacketIndex {
    int64_t time_ns = 0;       // since the Unix epoch
    uint64_t data_offset = 0;  // where the captured bytes are (see packetflag::kInArena)
    uint32_t cap_len = 0;
    uint32_t orig_len = 0;
    uint32_t conversation = 0;  // tcp.stream or udp.stream, when a flag says which
    uint16_t link_type = 0;     // LINKTYPE_* (pcapng stores it in 16 bits too)
    packet::Protocol protocol = packet::Protocol::Data;  // the Protocol column
    uint8_t flags = 0;

    bool isTcp() const { return (flags & packetflag::kTcp) != 0; }
    bool isUdp() const { return (flags & packetflag::kUdp) != 0; }
    bool hasProblem() const { return (flags & packetflag::kProblem) != 0; }
    bool hasComment() const { return (flags & packetflag::kHasComment) != 0; }
};
static_assert(sizeof(PacketIndex) == 32, "keep the per-packet index small: a million of them");

}  // namespace osilab::session
