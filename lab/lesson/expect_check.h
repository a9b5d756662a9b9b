// Checking what the kernel did against what a step expects. The runner observes (calls, packets,
// states) and fills the plain structs below; these functions only compare, so they are tested
// without sockets. An empty result means the step's claims hold.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lab/lesson/lesson.h"

namespace osilab::lesson {

// One captured packet of a step, reduced to what patterns look at.
struct ObservedPacket {
    std::optional<PacketKind> kind;  // nullopt: anything else (ARP, ICMP echo…), matches no pattern
    int ip_version = 4;
    uint8_t tcp_flags = 0;
    // Which lesson socket each end belongs to, from the runner's table of socket addresses:
    // first by the full 4-tuple of connected sockets (so a segment of an accepted connection is
    // the connection's, not the listener's), else by local address (listeners, UDP sockets).
    // actor -1 when the address is nobody's (a closed port).
    EndpointRef source;
    EndpointRef destination;
    std::string payload;  // transport payload bytes (TCP data, UDP data)
};

// How one call ended. For a pending call the runner fills it when the call returns (or when the
// lesson ends with the call still blocked: returned = false).
struct ObservedCall {
    bool returned = false;
    bool pending_at_step_end = false;  // still blocked when its own step ended
    int64_t result = 0;                // the return value (bytes for send/recv…)
    int error = 0;                     // errno, 0 when the call succeeded
    std::string data;                  // bytes received (recv, recvfrom)
    EndpointRef peer;                  // who is at the other end (accept, recvfrom)
};

struct Mismatch {
    std::string path;     // "/steps/5/expect/packets"
    std::string message;  // what was expected and what the kernel did, in English
};

std::vector<Mismatch> checkCall(const Lesson& lesson, const Step& step, const ObservedCall& call);
std::vector<Mismatch> checkPackets(const Lesson& lesson, const Step& step,
                                   const std::vector<ObservedPacket>& packets);
// state_of_socket: the state of every entry of Lesson::sockets at the end of the step
// (TcpState::Closed when the kernel has no socket for it).
std::vector<Mismatch> checkStates(const Lesson& lesson, const Step& step,
                                  const std::vector<TcpState>& state_of_socket);

bool matchesPattern(const PacketPattern& pattern, const ObservedPacket& packet);
std::string describePattern(const Lesson& lesson,
                            const PacketPattern& pattern);  // "client → server PSH,ACK"
std::string describePacket(const Lesson& lesson, const ObservedPacket& packet);
std::string describeEndpoint(const Lesson& lesson, const EndpointRef& endpoint);  // "server.conn"

}  // namespace osilab::lesson
