// The capture's TCP streams and UDP flows as a table (Wireshark's Conversations): per stream its
// first and last packet, packet and byte counts. Built from the session's 32-byte packet index
// alone, incrementally, so it follows a capture that is still loading and costs nothing per
// packet beyond a counter; endpoints are read from the stream's first packet when shown.
#pragma once

#include <cstdint>
#include <vector>

#include "lab/session/session.h"

namespace osilab::session {

struct ConversationRow {
    bool tcp = true;
    uint32_t index = 0;         // tcp.stream / udp.stream
    uint32_t first_packet = 0;  // 0-based packet indexes
    uint32_t last_packet = 0;
    uint64_t packets = 0;
    uint64_t bytes = 0;  // on the wire (orig_len), both directions
};

class ConversationTable {
public:
    // Takes in the packets the session published since the last call. Cheap when nothing is new.
    void update(const Session& session);

    const std::vector<ConversationRow>& tcp() const { return tcp_; }
    const std::vector<ConversationRow>& udp() const { return udp_; }
    size_t scanned() const { return scanned_; }

private:
    std::vector<ConversationRow> tcp_;
    std::vector<ConversationRow> udp_;
    size_t scanned_ = 0;
};

}  // namespace osilab::session
