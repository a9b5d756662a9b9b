// OSI Lab's own records in a session stream, as pcapng Custom Blocks: step marks, socket calls
// and socket-state snapshots, and their encoding. Kept apart from the runner so that readers
// (`osilab show`, the viewer) decode them without linking the lab network code.
//
// Record format (custom block data; pcapng pads it to 4 bytes, so it carries its own length):
//   "OSLB" | version u8 (1) | kind u8 (1 step, 2 call, 3 states) | 0 u16 | length u32 (big endian)
//   | `length` bytes of UTF-8 JSON (the fields of the structs below).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lab/runner/call_record.h"

namespace osilab::runner {

// IANA's Private Enterprise Number for documentation (RFC 5612) until OSI Lab registers its own.
inline constexpr uint32_t kOsilabPen = 32473;
inline constexpr uint8_t kSessionFormatVersion = 1;

// A run's records, in the order the runner writes them (live, as they happen):
//   RunStart                     once, first: which lesson, so a replay can name it
//   per step: StateSnapshot("before"), StepMark (the step begins), then as they happen
//             SocketCall with returned=false (a call started; it may stay pending across
//             steps), the packets, SocketCall with returned=true (the same call returned:
//             same actor and start_ns; after the packets the call put on the wire before it
//             returned, since the runner reads the capture first), then StepEnd and
//             StateSnapshot("after").
// Between a step's StateSnapshot("after") and the next step's "before" may come packets that
// belong to no step (captured while `--step` waited) and returns of calls pending from earlier
// steps; after the last step, late returns (and, in a stopped run, calls unblocked by the stop).
// A stopped or killed run may end anywhere, e.g. after a StepMark without its StepEnd.
// Readers must accept files without RunStart, StepEnd or "before" snapshots (older runs): there
// a StepMark carries end_ns/call_pending and was written after its step's packets.
enum class SessionEventKind : uint8_t {
    StepMark = 1,
    SocketCall = 2,
    StateSnapshot = 3,
    StepEnd = 4,
    RunStart = 5,
};

struct RunStart {
    std::string lesson_id;  // "tcp-server-client"
    std::string title_zh, title_en;
    std::string summary_zh, summary_en;
    int step_count = 0;
    std::vector<std::string> actors;  // names, in the lesson's order (a call's actor_index)
    std::string network;              // "private" or "host"
    bool operator==(const RunStart&) const = default;
};

// The question a step asks before it runs (lesson::Question), carried so a replay asks it too.
struct StepQuestion {
    std::string text_zh, text_en;
    std::vector<std::pair<std::string, std::string>> choices;  // {zh, en}
    int answer = -1;  // index into choices, -1 for an open question
    bool operator==(const StepQuestion&) const = default;
};

struct StepMark {
    int step = -1;
    std::string actor;
    std::string call;
    std::string say_zh, say_en;
    std::string python, c;
    int64_t start_ns = 0;
    int64_t end_ns = 0;         // 0 when written at the step's start (then see StepEnd)
    bool call_pending = false;  // idem
    std::optional<StepQuestion> ask;
    bool operator==(const StepMark&) const = default;
};

struct StepEnd {
    int step = -1;
    int64_t end_ns = 0;
    bool call_pending = false;  // the step's own call was still blocked when it ended
    bool operator==(const StepEnd&) const = default;
};

// One socket of the run as sock_diag (or, for AF_UNIX, the runner) saw it. A snapshot lists
// every socket the lesson created so far, closed ones included, in Lesson::sockets order.
// `state`:
//   TCP     the kernel's state as `ss` names it (lesson::tcpStateName): "LISTEN", "SYN-SENT",
//           "ESTABLISHED", "FIN-WAIT-2", "TIME-WAIT"…; "CLOSED" for a socket only created or
//           bound (the kernel's TCP_CLOSE, fd >= 0) and for one the kernel no longer has (fd -1)
//   UDP     "UNCONNECTED" or "CONNECTED" (UDP has no states; connect() only fixes the peer;
//           `ss` says UNCONN/ESTAB), "CLOSED" once closed
//   AF_UNIX "LISTEN", "CONNECTED", "UNCONNECTED" (from the calls that succeeded), "CLOSED"
struct SocketState {
    std::string socket;  // "server.sk": actor, dot, the lesson's name for the socket
    std::string state;   // see above
    int fd = -1;         // the descriptor in the runner, -1 once closed or not yet created
    std::string local;   // "127.0.0.1:8898", "[::1]:8898"; empty when unknown (and for AF_UNIX)
    std::string remote;  // empty when unconnected
    bool operator==(const SocketState&) const = default;
};

struct StateSnapshotEvent {
    int step = -1;
    int64_t time_ns = 0;
    std::string phase = "after";  // "before" or "after" the step
    std::vector<SocketState> states;
    bool operator==(const StateSnapshotEvent&) const = default;
};

struct SessionEvent {
    SessionEventKind kind = SessionEventKind::StepMark;
    StepMark step;               // StepMark
    CallRecord call;             // SocketCall (actor is the actor's index)
    std::string call_actor;      // SocketCall: the actor's name
    StateSnapshotEvent states;   // StateSnapshot
    StepEnd step_end;            // StepEnd
    RunStart run;                // RunStart
    uint64_t packets_before = 0;  // filled by the reader
};

std::vector<uint8_t> encodeSessionEvent(const SessionEvent& event);
// The record's JSON object as stored in the block (UTF-8, compact), e.g. for `osilab show --json`.
std::string sessionEventJson(const SessionEvent& event);
// "run_start", "step", "call", "states", "step_end": the record's kind for people and JSON.
const char* sessionEventKindName(SessionEventKind kind);
std::optional<SessionEvent> decodeSessionEvent(const uint8_t* data, size_t size);
// The record's kind from its header alone (no JSON parsed): for a reader that only waits for a
// kind, such as the viewer waiting for a step's end. nullopt if it is not one of our records.
std::optional<SessionEventKind> peekSessionEventKind(const uint8_t* data, size_t size);

}  // namespace osilab::runner
