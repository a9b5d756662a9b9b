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

    // The live stream, one block per call, in the order of session_events.h (the runner's
    // RunOptions::on_* callbacks give exactly that order). Not thread-safe: the runner
    // serialises its reports.
    Result<bool> writeRunStart(const lesson::Lesson& lesson, const std::string& network);
    Result<bool> writeStepStart(const lesson::Lesson& lesson, const lesson::Step& step,
                                int64_t start_ns);
    Result<bool> writeCall(const lesson::Lesson& lesson, const CallRecord& call);
    // The first packet of each step carries the step's narrative as comments (zh and en).
    Result<bool> writePacket(const lesson::Lesson& lesson, const PacketRecord& packet);
    Result<bool> writeStepEnd(const StepRecord& record);
    Result<bool> writeStates(const StateSnapshotEvent& states);

    // A finished step in the older form (mark with end_ns after the fact, calls, packets, TCP
    // states): what runs wrote before the live stream; kept so readers' tests can make such files.
    Result<bool> writeStep(const lesson::Lesson& lesson, const StepRecord& record);

private:
    Result<bool> writeEvent(const SessionEvent& event);

    capture::PcapngWriter writer_;
    uint32_t interface_ = 0;
    int commented_step_ = -1;  // the last step whose narrative rides on a packet
};

// The StepMark of a step at its start (end_ns 0), with its question.
StepMark stepMarkOf(const lesson::Lesson& lesson, const lesson::Step& step, int64_t start_ns);

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
