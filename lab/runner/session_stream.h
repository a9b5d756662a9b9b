// The session stream of a run: pcapng with the packets (EPB), each step's narrative as a comment
// on the step's first packet, and OSI Lab records as Custom Blocks: step marks, socket calls and
// socket-state snapshots. Every block goes out whole in one write (PcapngWriter), so a killed run
// leaves a readable file.
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

#include "lab/capture/pcapng_writer.h"
#include "lab/common/result.h"
#include "lab/lesson/lesson.h"
#include "lab/runner/runner.h"

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

class SessionWriter {
public:
    explicit SessionWriter(capture::PcapngWriter writer) : writer_(std::move(writer)) {}
    // Section header and the capture's interface.
    Result<bool> begin(uint32_t link_type);
    // A finished step: its mark, its packets (the first carries the narrative), its calls, the
    // states at its end.
    Result<bool> writeStep(const lesson::Lesson& lesson, const StepRecord& record);
    Result<bool> writeCall(const lesson::Lesson& lesson, const CallRecord& call);

private:
    capture::PcapngWriter writer_;
    uint32_t interface_ = 0;
};

struct SessionPacket {
    int64_t time_ns = 0;
    uint32_t orig_len = 0;
    std::vector<uint8_t> bytes;
    std::vector<std::string> comments;
};

struct SessionContents {
    std::vector<SessionEvent> events;
    std::vector<SessionPacket> packets;
    std::string error;  // a damaged tail: everything before it is above
};

Result<SessionContents> readSession(const std::string& path);

}  // namespace osilab::runner
