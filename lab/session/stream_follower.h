// Follow stream: the application bytes one TCP stream or UDP flow carried, in capture order,
// each piece marked with its direction (client → server or back), as Wireshark's "Follow TCP
// Stream" shows them. The stream's packets are dissected again in order (its own dissector,
// numbered from the stream), and each packet's payload is the bytes after its TCP/UDP header.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "lab/session/session.h"

namespace osilab::session {

struct StreamPiece {
    uint32_t packet = 0;  // 0-based packet index
    int direction = 0;    // 0: from the side that spoke first (client), 1: the other side
    std::string bytes;    // the payload as it was sent (binary safe)
};

struct FollowedStream {
    bool tcp = true;
    uint32_t index = 0;
    std::string client;  // "127.0.0.1:54552" (the side that sent the first packet)
    std::string server;
    std::vector<StreamPiece> pieces;
    uint64_t bytes[2] = {0, 0};
    bool cut = false;  // stopped at the size limit
};

// Collects at most `max_bytes` of payload. Retransmitted TCP segments appear again, as sent
// (OSI Lab shows what was on the wire; reassembly is not attempted).
FollowedStream followStream(const Session& session, bool tcp, uint32_t index,
                            size_t max_bytes = size_t{4} << 20);

// The two ends of a stream as its first packet shows them: {client, server}, "127.0.0.1:54552".
std::pair<std::string, std::string> streamEndpoints(const Session& session, bool tcp,
                                                    uint32_t index);

// The bytes as text for people: UTF-8 kept (Chinese included), other bytes and control
// characters except newline and tab shown as '.'.
std::string printableText(const std::string& bytes);

}  // namespace osilab::session
