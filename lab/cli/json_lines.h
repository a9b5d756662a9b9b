// `osilab show --json`: one JSON object per packet (JSON Lines), numbers as numbers and flags as
// booleans, so scripts and the tshark cross-check can read every field with its byte span.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lab/packet/layer.h"

namespace osilab::cli {

struct FrameFacts {
    uint64_t number = 0;
    int64_t time_ns = 0;
    uint32_t frame_len = 0;
    uint32_t cap_len = 0;
    uint32_t link_type = 0;
    const uint8_t* data = nullptr;
    const std::vector<std::string>* comments = nullptr;
};

void appendJsonString(std::string& out, std::string_view text);  // quoted, escaped, valid UTF-8
void appendPacketJson(std::string& out, const FrameFacts& frame, const packet::Dissection& d);

}  // namespace osilab::cli
