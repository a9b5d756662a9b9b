// One line per packet, close to tshark's default columns:
//     No.   Time        Source → Destination     Protocol Length Info
#pragma once

#include <cstdint>
#include <string>

#include "lab/packet/layer.h"

namespace osilab::cli {

void appendSummaryLine(std::string& out, uint64_t number, int64_t relative_ns,
                       const packet::Summary& summary, uint32_t frame_len);

// "1.234567": seconds with microseconds, sign kept for captures whose clock went backwards.
void appendSeconds(std::string& out, int64_t ns, int decimals = 6);

}  // namespace osilab::cli
