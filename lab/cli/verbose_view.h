// `osilab show -V`: every layer of a packet with its fields, grouped by OSI layer from 7 down to
// 1, naming the layers that are empty and why.
#pragma once

#include <string>

#include "lab/cli/json_lines.h"
#include "lab/cli/language.h"
#include "lab/packet/conversations.h"
#include "lab/packet/dissector.h"

namespace osilab::cli {

void appendPacketVerbose(std::string& out, const FrameFacts& frame, int64_t relative_ns,
                         const packet::Dissection& d, const packet::Conversations& conversations,
                         Language lang);

// "2005-07-06 03:57:35.938066000 UTC"
std::string formatUtc(int64_t time_ns);

}  // namespace osilab::cli
