// IPv4 header options (record route, timestamp, router alert…), between byte 20 of the header
// and its header length.
#pragma once

#include <cstdint>

#include "lab/packet/dissect_context.h"

namespace osilab::packet {

// Adds the options in [begin, end) to the current IPv4 layer; reports malformed ones.
void dissectIpv4Options(DissectContext& ctx, uint32_t begin, uint32_t end);

}  // namespace osilab::packet
