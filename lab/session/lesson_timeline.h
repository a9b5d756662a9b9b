// A lesson run as the teaching views read it: the run, its steps with their packets, the socket
// calls (pending until they return), every socket's state per step and the endpoints a ladder
// diagram draws lifelines for. Built from a Session's OSI Lab records (runner/session_events.h)
// and brought up to date by update() while a live run appends: the UI thread calls it each
// frame, and it only decodes what arrived since the last call.
//
// Reads both record orders: the live one (RunStart; per step "before" snapshot, StepMark, calls
// started/returned, packets, StepEnd, "after" snapshot) and the older one (StepMark with end_ns,
// calls, packets, "after" snapshot without descriptors or addresses).
//
// No UI code; one thread (the reader) owns it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lab/runner/session_events.h"
#include "lab/session/session.h"

namespace osilab::session {

// The run's RunStart record as read; step_count is announced, steps() grows to it during a live
// run.
struct LessonRunInfo : runner::RunStart {
    bool known = false;  // a RunStart record was read (older files have none)
};

struct LessonCall {
    int step = -1;           // the step that made the call
    int returned_step = -1;  // the step during which it returned; -1 while pending
    std::string actor;
    int actor_index = -1;
    std::string socket;  // "server.sk" when the call names a socket, else ""
    std::string call;    // "accept"
    std::string args;    // "sk"
    bool returned = false;
    bool timed_out = false;
    int64_t result = 0;
    std::string errno_name;
    std::string error_message;
    int64_t start_ns = 0;
    int64_t end_ns = 0;  // 0 while pending
    std::string data;
    std::string peer;
    uint64_t packets_at_start = 0;  // session packets before the call started (live order only)
    bool pending() const { return !returned; }
    bool failed() const { return returned && !errno_name.empty(); }
};

// "Up to the last step", for views that show a run up to a step (-1: none yet).
inline constexpr int kEveryStep = 1 << 30;

struct LessonStep {
    int step = -1;
    bool marked = false;  // the StepMark was read (a "before" snapshot can come first)
    bool ended = false;
    std::string actor, call;
    std::string say_zh, say_en;
    std::string python, c;
    int64_t start_ns = 0, end_ns = 0;
    bool call_pending = false;  // the step's own call had not returned when the step ended
    std::optional<runner::StepQuestion> ask;
    // Packets [first_packet, end_packet) of the session; while the step runs, end_packet
    // follows the session's packet count.
    uint64_t first_packet = 0, end_packet = 0;
    std::vector<size_t> calls_started;   // indexes into calls()
    std::vector<size_t> calls_returned;  // idem
    std::optional<std::vector<runner::SocketState>> before, after;
};

// One socket of the run over time.
struct LessonSocket {
    std::string name;           // "server.sk"
    int instance = 0;           // 1 for the second socket the lesson gave this name, …
    std::string actor;          // "server"
    int fd = -1;                // last descriptor seen (kept after it closes, for the table)
    std::string local, remote;  // last non-empty addresses seen
    // The socket's state after each step (index = step); nullopt where no snapshot listed it.
    std::vector<std::optional<runner::SocketState>> after_step;
    // First step whose snapshot lists the socket.
    int first_step = -1;
    // The state at the end of `step`, or the latest one before it; nullptr if none yet.
    const runner::SocketState* stateAt(int step) const;
};

// A lifeline of the ladder diagram: an actor's address, or the actor alone while its sockets
// have no address yet.
struct LessonEndpoint {
    std::string actor;    // "" when no record says whose address it is
    std::string address;  // "127.0.0.1:8898", "" for the actor alone
    bool operator==(const LessonEndpoint&) const = default;
};

class LessonTimeline {
public:
    LessonTimeline() = default;
    // Starts over for another session (nullptr: none).
    void reset(const Session* session);
    // Reads what the session gained since the last call; true if anything changed. Cheap (two
    // atomic loads) when nothing did.
    bool update();

    const Session* session() const { return session_; }
    // True once the session holds at least one OSI Lab record.
    bool isLesson() const { return lesson_; }
    const LessonRunInfo& run() const { return run_; }
    const std::vector<LessonStep>& steps() const { return steps_; }
    const std::vector<LessonCall>& calls() const { return calls_; }
    const std::vector<LessonSocket>& sockets() const { return sockets_; }
    const std::vector<LessonEndpoint>& endpoints() const { return endpoints_; }
    // The actors in the lesson's order (RunStart), then any other actor the records name.
    const std::vector<std::string>& actors() const { return actors_; }
    // Changes each time update() changes something (for caches in views).
    uint64_t version() const { return version_; }
    // Different after every reset(), even for a new session at the old one's address.
    uint64_t generation() const { return generation_; }
    // The step a packet belongs to: the last step marked before it; -1 before the first mark.
    int stepOfPacket(uint64_t packet) const;
    // The step running now (the last marked one not ended), -1 if none.
    int currentStep() const;
    // Whose address this is ("127.0.0.1:8898" → "server"), "" if unknown.
    std::string actorOfAddress(const std::string& address) const;
    // The endpoint a call's box goes on.
    int endpointOfCall(const LessonCall& call) const;
    // The socket a call used, "server.sk"; for socket() the one it created; "" if unknown.
    std::string socketOfCall(const LessonCall& call) const;
    // That socket's row in sockets() (the instance open at the call's step), or nullptr.
    const LessonSocket* socketInstanceOfCall(const LessonCall& call) const;
    // The endpoint index of an address (adding nothing); -1 if unknown.
    int endpointOfAddress(const std::string& address) const;
    // The ordered packet marks: packet index → address pair, filled by update() for TCP/UDP
    // packets ("127.0.0.1:40000", "127.0.0.1:8898").
    struct PacketEnds {
        std::string source, destination;
    };
    const std::vector<PacketEnds>& packetEnds() const { return packet_ends_; }

private:
    void apply(const runner::SessionEvent& event);
    void applySnapshot(const runner::StateSnapshotEvent& snapshot);
    LessonStep& stepAt(int step);
    LessonSocket& socketNamed(const std::string& name, int instance);
    void noteActor(const std::string& actor);
    void noteAddress(const std::string& address, const std::string& actor);
    void readPackets(uint64_t from, uint64_t to);
    void addEndpoint(const std::string& actor, const std::string& address);
    void rebuildEndpoints();

    const Session* session_ = nullptr;
    size_t events_read_ = 0;
    uint64_t packets_read_ = 0;
    bool lesson_ = false;
    uint64_t version_ = 0;
    uint64_t generation_ = 0;
    int open_step_ = -1;  // last marked step

    LessonRunInfo run_;
    std::vector<LessonStep> steps_;
    std::vector<LessonCall> calls_;
    std::vector<LessonSocket> sockets_;
    std::vector<std::string> actors_;
    std::vector<LessonEndpoint> endpoints_;
    std::vector<PacketEnds> packet_ends_;
    std::map<std::string, std::string> address_actor_;   // "127.0.0.1:8898" → "server"
    std::map<std::string, std::string> socket_address_;  // "server.sk" → first local address
    std::map<std::string, std::string> wildcard_actor_;  // "8898" → "server" (bound to 0.0.0.0)
    // Addresses no record names, attributed to the actor sending at that moment.
    std::map<std::string, std::string> guessed_;
};

}  // namespace osilab::session
