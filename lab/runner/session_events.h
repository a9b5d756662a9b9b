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

enum class SessionEventKind : uint8_t { StepMark = 1, SocketCall = 2, StateSnapshot = 3 };

struct StepMark {
    int step = -1;
    std::string actor;
    std::string call;
    std::string say_zh, say_en;
    std::string python, c;
    int64_t start_ns = 0;
    int64_t end_ns = 0;
    bool call_pending = false;
    bool operator==(const StepMark&) const = default;
};

struct StateSnapshotEvent {
    int step = -1;
    int64_t time_ns = 0;
    std::vector<std::pair<std::string, std::string>> states;  // {"server.sk", "LISTEN"}
    bool operator==(const StateSnapshotEvent&) const = default;
};

struct SessionEvent {
    SessionEventKind kind = SessionEventKind::StepMark;
    StepMark step;               // StepMark
    CallRecord call;             // SocketCall (actor is the actor's index)
    std::string call_actor;      // SocketCall: the actor's name
    StateSnapshotEvent states;   // StateSnapshot
    uint64_t packets_before = 0;  // filled by the reader
};

std::vector<uint8_t> encodeSessionEvent(const SessionEvent& event);
std::optional<SessionEvent> decodeSessionEvent(const uint8_t* data, size_t size);

}  // namespace osilab::runner
