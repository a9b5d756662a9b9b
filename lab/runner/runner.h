// The lesson runner: executes a lesson's socket calls for real, one thread per actor, while a
// capture thread reads the lab network's loopback, and checks every expectation against what the
// kernel did. The semantics are those of lessons/README.md ("How a lesson runs"), ported from
// lab/lesson/tools/reference_check.py.
//
// The process must already be in the network the lesson should use (labnet::enterPrivateNetwork()
// before any thread was started, or labnet::useHostNetwork()). runLesson() starts its threads and
// joins them all before it returns, closing every socket it opened: stopped, failed or finished,
// nothing is left behind.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lab/common/result.h"
#include "lab/lesson/expect_check.h"
#include "lab/lesson/lesson.h"
#include "lab/runner/call_record.h"
#include "lab/runner/session_events.h"

namespace osilab::runner {

// One captured packet, with the step it belongs to and what the checker sees of it.
struct PacketRecord {
    int step = -1;  // the step running when it was captured; -1 between steps
    int64_t time_ns = 0;  // CLOCK_REALTIME
    uint32_t link_type = 1;
    uint32_t orig_len = 0;
    std::vector<uint8_t> bytes;
    lesson::ObservedPacket observed;
};

struct SocketStateRecord {
    int socket = -1;  // index into Lesson::sockets
    lesson::TcpState state = lesson::TcpState::Closed;
};

struct StepRecord {
    int step = -1;
    int64_t start_ns = 0;
    int64_t end_ns = 0;
    bool call_pending = false;          // the step's own call was still blocked at its end
    std::vector<CallRecord> calls;      // calls that returned during this step (its own first)
    std::vector<PacketRecord> packets;  // captured during this step
    std::vector<SocketStateRecord> states;  // TCP sockets the lesson created so far, at step end
    StateSnapshotEvent before, after;       // every socket created so far, at start and end
    std::vector<lesson::Mismatch> mismatches;  // found at this step's end
};

// Live reports. The runner calls them from its own threads (main, actors, capture) as things
// happen, never two at once (one mutex serialises them), in the order of session_events.h:
//   on_states(before), on_step_start, then on_call / on_packet as they happen (a call's start
//   with returned=false, its return with returned=true, after the packets it caused when
//   on_packet is set too), after_step, on_states(after).
// A packet reported between a step's on_step_start and its after_step has that step's number
// and is in that StepRecord; packets between steps (e.g. while --step waits) have step -1.
// A call's return is in the StepRecord of the step it returned in if it was reported before
// that step's after_step; later returns (after the last step, or unblocked by a stop) are
// reported too. Callbacks must not call back into the runner; a slow one slows the run.
struct RunOptions {
    int settle_ms = 150;  // at least 100 (see lessons/README.md)
    int call_timeout_ms = 5000;  // <= 0: wait without a timeout (a real browser, --net host)
    std::string capture_filter;  // BPF; empty: everything on lo
    std::string capture_interface = "lo";
    // Steps of this actor are skipped (host_browser: a real browser plays it) and expectations
    // that depend on it are not checked.
    int skip_actor = -1;
    // Called before each step; returning false stops the run (the `stop` of --step).
    std::function<bool(const lesson::Step&)> before_step;
    std::function<void(const StateSnapshotEvent&)> on_states;
    std::function<void(const lesson::Step&, int64_t start_ns)> on_step_start;
    std::function<void(const CallRecord&)> on_call;
    std::function<void(const PacketRecord&)> on_packet;  // observed is not filled in yet
    // Called when a step ended, with its record complete (packets with observed facts).
    std::function<void(const StepRecord&)> after_step;
    // Set from anywhere to stop the run as soon as possible.
    const std::atomic<bool>* stop = nullptr;
};

struct RunResult {
    std::vector<StepRecord> steps;
    std::vector<lesson::Mismatch> mismatches;  // every mismatch, in the order found
    std::vector<CallRecord> late_calls;        // pending calls that returned after the last step
    bool stopped = false;
    uint32_t link_type = 1;
    uint64_t packets_dropped = 0;  // libpcap's drop counter at the end
};

// Runs the lesson in the current network. An Error only when the run could not start (capture
// refused, threads); expectation failures are RunResult::mismatches.
Result<RunResult> runLesson(const lesson::Lesson& lesson, const RunOptions& options = {});

}  // namespace osilab::runner
