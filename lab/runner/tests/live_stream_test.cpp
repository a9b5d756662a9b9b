// The live session stream of a real run: the runner's reports, written by SessionWriter as they
// happen, read back by readSession, in the order session_events.h promises and with the same
// steps, calls and packets as the run's own records.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <utility>

#include "lab/labnet/tests/forked_child.h"
#include "lab/lesson/loader.h"
#include "lab/runner/runner.h"
#include "lab/runner/session_stream.h"

namespace osilab::runner {
namespace {

using labnet::testing::runInChild;

std::string at(size_t i) { return "record " + std::to_string(i) + ": "; }

// Runs `id` with every report going to `path`, then checks the file against the run.
std::string runAndCheck(const std::string& id, const std::string& path) {
    LABNET_ENTER_OR_SKIP(info);
    auto lesson = lesson::findLesson(OSILAB_LESSONS_DIR, id);
    LABNET_REQUIRE(lesson.ok(), lesson.error().message);
    const lesson::Lesson& l = lesson.value();
    auto file = capture::PcapngWriter::create(path);
    LABNET_REQUIRE(file.ok(), file.error().message);
    SessionWriter writer(std::move(file).value());
    std::string error;
    auto wrote = [&](const Result<bool>& ok) {
        if (!ok && error.empty()) error = ok.error().message;
    };
    wrote(writer.begin(1));
    wrote(writer.writeRunStart(l, "private"));
    RunOptions options;
    options.on_states = [&](const StateSnapshotEvent& s) { wrote(writer.writeStates(s)); };
    options.on_step_start = [&](const lesson::Step& s, int64_t ns) {
        wrote(writer.writeStepStart(l, s, ns));
    };
    options.on_call = [&](const CallRecord& c) { wrote(writer.writeCall(l, c)); };
    options.on_packet = [&](const PacketRecord& p) { wrote(writer.writePacket(l, p)); };
    options.after_step = [&](const StepRecord& r) { wrote(writer.writeStepEnd(r)); };
    auto result = runLesson(l, options);
    LABNET_REQUIRE(result.ok(), result.error().message);
    LABNET_REQUIRE(error.empty(), error);
    const RunResult& run = result.value();
    LABNET_REQUIRE(run.mismatches.empty(), "mismatches: " + run.mismatches[0].message);

    auto contents = readSession(path);
    LABNET_REQUIRE(contents.ok(), contents.error().message);
    const SessionContents& c = contents.value();
    LABNET_REQUIRE(c.error.empty(), c.error);
    const auto& ev = c.events;
    LABNET_REQUIRE(!ev.empty() && ev[0].kind == SessionEventKind::RunStart, "RunStart is not first");
    LABNET_REQUIRE(ev[0].run.lesson_id == id && ev[0].run.step_count == int(l.steps.size()),
                   "RunStart names another lesson");

    // Walk the records: before, mark, (calls/packets), end, after — step after step.
    size_t i = 1;
    size_t packets_in_steps = 0;
    std::map<std::pair<int, int64_t>, bool> started;  // (actor, start_ns) -> returned yet
    size_t returned_calls = 0;
    for (const StepRecord& record : run.steps) {
        const std::string step = "step " + std::to_string(record.step) + ": ";
        LABNET_REQUIRE(i + 1 < ev.size(), step + "records missing");
        LABNET_REQUIRE(ev[i].kind == SessionEventKind::StateSnapshot &&
                           ev[i].states.phase == "before" && ev[i].states.step == record.step,
                       at(i) + step + "no \"before\" snapshot first");
        LABNET_REQUIRE(ev[i + 1].kind == SessionEventKind::StepMark &&
                           ev[i + 1].step.step == record.step && ev[i + 1].step.end_ns == 0,
                       at(i + 1) + step + "no StepMark after the snapshot");
        LABNET_REQUIRE(ev[i + 1].step.start_ns == record.start_ns, step + "start time differs");
        const uint64_t first_packet = ev[i + 1].packets_before;
        size_t calls_here = 0;
        for (i += 2; i < ev.size() && ev[i].kind == SessionEventKind::SocketCall; ++i) {
            const CallRecord& call = ev[i].call;
            auto key = std::make_pair(call.actor, call.start_ns);
            if (!call.returned) {
                LABNET_REQUIRE(!started.count(key), at(i) + "a call started twice");
                started[key] = false;
            } else {
                LABNET_REQUIRE(started.count(key) && !started[key],
                               at(i) + "a call returned that never started: " + call.call);
                started[key] = true;
                ++calls_here;
                ++returned_calls;
            }
        }
        LABNET_REQUIRE(i + 1 < ev.size() && ev[i].kind == SessionEventKind::StepEnd &&
                           ev[i].step_end.step == record.step,
                       at(i) + step + "StepEnd missing after the calls");
        LABNET_REQUIRE(ev[i].step_end.call_pending == record.call_pending, step + "pending differs");
        // The step's packets lie between its mark and its end, and are exactly its record's.
        const uint64_t packets = ev[i].packets_before - first_packet;
        LABNET_REQUIRE(packets == record.packets.size(),
                       step + std::to_string(packets) + " packets in the file, " +
                           std::to_string(record.packets.size()) + " in the record");
        for (size_t p = 0; p < packets; ++p)
            LABNET_REQUIRE(c.packets[first_packet + p].time_ns == record.packets[p].time_ns,
                           step + "packet " + std::to_string(p) + " differs");
        packets_in_steps += packets;
        LABNET_REQUIRE(calls_here == record.calls.size(),
                       step + std::to_string(calls_here) + " calls returned in the file, " +
                           std::to_string(record.calls.size()) + " in the record");
        LABNET_REQUIRE(ev[i + 1].kind == SessionEventKind::StateSnapshot &&
                           ev[i + 1].states.phase == "after" && ev[i + 1].states.step == record.step,
                       at(i + 1) + step + "no \"after\" snapshot last");
        LABNET_REQUIRE(ev[i + 1].states == record.after, step + "the after snapshot differs");
        i += 2;
    }
    LABNET_REQUIRE(packets_in_steps == c.packets.size(),
                   std::to_string(c.packets.size() - packets_in_steps) + " packets outside steps");
    for (; i < ev.size(); ++i) {
        LABNET_REQUIRE(ev[i].kind == SessionEventKind::SocketCall && ev[i].call.returned,
                       at(i) + "only late returns may follow the last step");
        ++returned_calls;
    }
    LABNET_REQUIRE(returned_calls == l.steps.size(), std::to_string(returned_calls) +
                                                         " calls returned, lesson has " +
                                                         std::to_string(l.steps.size()));
    // The first packet of a step carries its narrative.
    LABNET_REQUIRE(!c.packets.empty() && c.packets[0].comments.size() == 2,
                   "the first packet has no narrative");
    return "";
}

TEST(LiveStream, RealRunIsWrittenInOrderWithEveryStepCallAndPacket) {
    const std::string path = ::testing::TempDir() + "live_stream_tcp.pcapng";
    LABNET_EXPECT_CHILD(runInChild([&] { return runAndCheck("tcp-server-client", path); }, 120'000));
    std::remove(path.c_str());
}

// A lesson with UDP and AF_UNIX sockets: their states are reported too.
TEST(LiveStream, SnapshotsCarryEverySocketWithDescriptorAndAddresses) {
    const std::string path = ::testing::TempDir() + "live_stream_udp.pcapng";
    LABNET_EXPECT_CHILD(runInChild(
        [&]() -> std::string {
            std::string failed = runAndCheck("udp-server-client", path);
            if (!failed.empty()) return failed;
            auto contents = readSession(path);
            LABNET_REQUIRE(contents.ok(), contents.error().message);
            bool bound_unconnected = false, closed = false;
            for (const auto& e : contents.value().events) {
                if (e.kind != SessionEventKind::StateSnapshot) continue;
                for (const auto& s : e.states.states) {
                    if (s.state == "UNCONNECTED" && s.fd >= 0 && !s.local.empty() &&
                        s.local.find(':') != std::string::npos)
                        bound_unconnected = true;
                    if (s.state == "CLOSED" && s.fd == -1) closed = true;
                }
            }
            LABNET_REQUIRE(bound_unconnected, "no bound UDP socket with fd and address");
            LABNET_REQUIRE(closed, "no closed socket with fd -1");
            return "";
        },
        120'000));
    std::remove(path.c_str());
}

}  // namespace
}  // namespace osilab::runner
