// IPv6 extension headers: hop-by-hop options, routing, fragment and destination options, each
// naming the next header, so a packet is a chain of headers walked one by one.
#pragma once

#include <cstdint>

#include "lab/packet/dissect_context.h"

namespace osilab::packet {

// True for the extension headers OSI Lab walks (0, 43, 44, 60).
bool isIpv6Extension(uint8_t next_header);

struct Ipv6Extension {
    bool ok = false;           // false: the header is cut or malformed (a problem was reported)
    uint8_t next = 0;          // the header after this one
    uint32_t length = 0;       // bytes of this header
    uint32_t final_dst = 0;    // routing header with segments left: where the packet finally goes
                               // (offset of a 16-byte address), else 0
    bool fragment = false;     // a fragment header: the fields below are set
    uint16_t frag_offset = 0;  // in 8-byte units
    bool more_fragments = false;
    uint32_t ident = 0;
};

// Adds the extension header of type `type` at `at` (within [at, end)) to the current IPv6 layer.
Ipv6Extension dissectIpv6Extension(DissectContext& ctx, uint8_t type, uint32_t at, uint32_t end);

// The Jumbo Payload option's length in a hop-by-hop header at `at`, or -1 when there is none.
int64_t findJumboLength(const ByteReader& bytes, uint32_t at, uint32_t end);

}  // namespace osilab::packet
