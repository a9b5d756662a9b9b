// Neighbour discovery options, the type-length-value list at the end of router and neighbour
// solicitations and advertisements and redirects.
#pragma once

#include <cstdint>
#include <string>

#include "lab/packet/dissect_context.h"

namespace osilab::packet {

// Adds the options in [begin, end) to the current ICMPv6 layer. When `info` is not null, the
// link-layer address options append " from <mac>" / " is at <mac>" to it, as tshark does.
void dissectNdOptions(DissectContext& ctx, uint32_t begin, uint32_t end, std::string* info);

}  // namespace osilab::packet
