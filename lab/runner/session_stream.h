// The session stream of a run: pcapng with the packets (EPB), each step's narrative as a comment
// on the step's first packet, and OSI Lab records as Custom Blocks: step marks, socket calls and
// socket-state snapshots. Every block goes out whole in one write (PcapngWriter), so a killed run
// leaves a readable file.
// The records' format is in session_events.h.
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
#include "lab/runner/session_events.h"

namespace osilab::runner {

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
