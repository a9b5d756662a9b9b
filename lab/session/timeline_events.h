// The session's records besides packets, in capture order. A lesson run's session stream carries
// socket calls, step marks and socket-state snapshots as pcapng custom blocks under OSI Lab's
// Private Enterprise Number; the session keeps every custom block as it came, tagged with its
// kind, and the typed views of each kind are decoded from these records (the block format is
// the lesson runner's, see lab/lesson).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace osilab::session {

enum class EventKind : uint8_t {
    Unknown,        // a custom block of another vendor, or one this build does not know
    SocketCall,     // a call an actor made (socket, bind, connect, send…), with its result
    StepMark,       // a lesson step begins
    StateSnapshot,  // TCP states of the run's sockets (sock_diag) around a step
};

struct TimelineEvent {
    EventKind kind = EventKind::Unknown;
    uint64_t packets_before = 0;  // how many packets precede it: where it sits on the timeline
    uint32_t pen = 0;             // Private Enterprise Number of the block
    std::vector<uint8_t> data;    // the block's custom data, as read
};

// A pcapng comment attached to a packet (our lesson streams put each step's narrative there).
struct PacketComment {
    uint64_t packet = 0;  // 0-based packet index
    std::string text;
};

}  // namespace osilab::session
