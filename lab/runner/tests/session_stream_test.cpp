// The session stream round trip: what the writer puts in a pcapng file the reader gives back.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "lab/lesson/loader.h"
#include "lab/runner/session_stream.h"

namespace osilab::runner {
namespace {

TEST(SessionStream, EventEncodingRoundTrips) {
    SessionEvent call;
    call.kind = SessionEventKind::SocketCall;
    call.call_actor = "client";
    call.call = {3, 1, "connect", "sk, 127.0.0.1:8898", true, false, -1, 111, "ECONNREFUSED",
                 "Connection refused", 10, 20, "数据", "127.0.0.1:8898"};
    auto bytes = encodeSessionEvent(call);
    bytes.resize((bytes.size() + 3) / 4 * 4, 0);  // as pcapng hands it back
    auto back = decodeSessionEvent(bytes.data(), bytes.size());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->call_actor, "client");
    EXPECT_EQ(back->call.errno_name, "ECONNREFUSED");
    EXPECT_EQ(back->call.data, "数据");
    EXPECT_EQ(back->call.result, -1);
    EXPECT_FALSE(decodeSessionEvent(bytes.data(), 11));
    bytes[4] = 99;  // an unknown version is not guessed at
    EXPECT_FALSE(decodeSessionEvent(bytes.data(), bytes.size()));
}

// Every kind of record comes back field for field, the optional parts included.
TEST(SessionStream, EveryEventKindRoundTrips) {
    std::vector<SessionEvent> events(4);
    events[0].kind = SessionEventKind::RunStart;
    events[0].run = {"udp-chat", "UDP 聊天", "UDP chat", "摘要", "summary", 7, {"server", "alice"},
                     "private"};
    events[1].kind = SessionEventKind::StepMark;
    events[1].step.step = 2;
    events[1].step.actor = "alice";
    events[1].step.call = "sendto";
    events[1].step.say_zh = "发送";
    events[1].step.start_ns = 5;
    events[1].step.ask = StepQuestion{"会有几个包？", "How many packets?", {{"一", "one"}, {"二", "two"}}, 0};
    events[2].kind = SessionEventKind::StateSnapshot;
    events[2].states.step = 2;
    events[2].states.phase = "before";
    events[2].states.states = {{"server.sk", "LISTEN", 3, "127.0.0.1:8898", ""}};
    events[3].kind = SessionEventKind::StepEnd;
    events[3].step_end = {2, 99, true};
    for (const SessionEvent& e : events) {
        auto bytes = encodeSessionEvent(e);
        auto back = decodeSessionEvent(bytes.data(), bytes.size());
        ASSERT_TRUE(back) << int(e.kind);
        EXPECT_EQ(back->kind, e.kind);
        EXPECT_EQ(back->run, e.run);
        EXPECT_EQ(back->step, e.step);
        EXPECT_EQ(back->states, e.states);
        EXPECT_EQ(back->step_end, e.step_end);
    }
}

// A snapshot written before the optional fields existed still reads, with their defaults.
TEST(SessionStream, OlderSnapshotWithoutOptionalFieldsReads) {
    const std::string json = R"({"step":1,"time_ns":7,"states":[{"socket":"c.sk","state":"SYN-SENT"}]})";
    std::vector<uint8_t> bytes{'O', 'S', 'L', 'B', 1, 3, 0, 0, 0, 0, 0, uint8_t(json.size())};
    bytes.insert(bytes.end(), json.begin(), json.end());
    auto back = decodeSessionEvent(bytes.data(), bytes.size());
    ASSERT_TRUE(back);
    ASSERT_EQ(back->states.states.size(), 1u);
    EXPECT_EQ(back->states.phase, "after");
    EXPECT_EQ(back->states.states[0].state, "SYN-SENT");
    EXPECT_EQ(back->states.states[0].fd, -1);
}

TEST(SessionStream, FileRoundTrip) {
    auto lesson = lesson::findLesson(OSILAB_LESSONS_DIR, "tcp-server-client");
    ASSERT_TRUE(lesson.ok()) << lesson.error().message;
    const std::string path = ::testing::TempDir() + "session_stream_test.pcapng";
    StepRecord step;
    step.step = 5;
    step.start_ns = 1'700'000'000'000'000'000;
    step.end_ns = step.start_ns + 150'000'000;
    CallRecord call;
    call.step = 5;
    call.actor = 1;
    call.call = "connect";
    call.args = "sk, 127.0.0.1:8898";
    call.returned = true;
    step.calls.push_back(call);
    PacketRecord packet;
    packet.time_ns = step.start_ns + 1000;
    packet.bytes = std::vector<uint8_t>(54, 0);
    packet.orig_len = 54;
    step.packets.push_back(packet);
    step.packets.push_back(packet);
    step.states.push_back({0, lesson::TcpState::Listen});
    {
        auto file = capture::PcapngWriter::create(path);
        ASSERT_TRUE(file.ok()) << file.error().message;
        SessionWriter writer(std::move(file).value());
        ASSERT_TRUE(writer.begin(1).ok());
        ASSERT_TRUE(writer.writeStep(lesson.value(), step).ok());
    }
    auto contents = readSession(path);
    ASSERT_TRUE(contents.ok()) << contents.error().message;
    const auto& c = contents.value();
    EXPECT_TRUE(c.error.empty()) << c.error;
    ASSERT_EQ(c.packets.size(), 2u);
    EXPECT_EQ(c.packets[0].time_ns, packet.time_ns);
    ASSERT_EQ(c.packets[0].comments.size(), 2u);
    EXPECT_NE(c.packets[0].comments[0].find(lesson.value().steps[5].say.en), std::string::npos);
    EXPECT_TRUE(c.packets[1].comments.empty());
    ASSERT_EQ(c.events.size(), 3u);
    EXPECT_EQ(c.events[0].kind, SessionEventKind::StepMark);
    EXPECT_EQ(c.events[0].step.step, 5);
    EXPECT_EQ(c.events[0].step.start_ns, step.start_ns);
    EXPECT_EQ(c.events[0].step.python, lesson.value().steps[5].code.python);
    EXPECT_EQ(c.events[1].kind, SessionEventKind::SocketCall);
    EXPECT_EQ(c.events[1].call.args, call.args);
    EXPECT_EQ(c.events[1].call_actor, "client");
    EXPECT_EQ(c.events[2].kind, SessionEventKind::StateSnapshot);
    EXPECT_EQ(c.events[2].packets_before, 2u);
    ASSERT_EQ(c.events[2].states.states.size(), 1u);
    EXPECT_EQ(c.events[2].states.states[0].state, "LISTEN");
    std::remove(path.c_str());
}

// Files of both generations read: one written whole step by step after the fact (before the
// live stream: no RunStart, marks with end_ns, after-only snapshots) and a live recording.
TEST(SessionStream, ReadsOlderAndLiveFiles) {
    auto old_file = readSession(OSILAB_SOURCE_DIR "/lab/session/tests/data/lesson-tcp-server-client.pcapng");
    ASSERT_TRUE(old_file.ok()) << old_file.error().message;
    EXPECT_TRUE(old_file.value().error.empty());
    EXPECT_EQ(old_file.value().packets.size(), 11u);
    size_t old_marks = 0;
    for (const auto& e : old_file.value().events) {
        EXPECT_NE(e.kind, SessionEventKind::RunStart);
        if (e.kind == SessionEventKind::StepMark) {
            ++old_marks;
            EXPECT_GT(e.step.end_ns, e.step.start_ns);
        }
    }
    EXPECT_EQ(old_marks, 14u);

    auto live = readSession(OSILAB_SOURCE_DIR "/captures/tcp-server-client.pcapng");
    ASSERT_TRUE(live.ok()) << live.error().message;
    const auto& events = live.value().events;
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].kind, SessionEventKind::RunStart);
    EXPECT_EQ(events[0].run.lesson_id, "tcp-server-client");
    size_t marks = 0, ends = 0, before = 0, after = 0;
    for (const auto& e : events) {
        marks += e.kind == SessionEventKind::StepMark;
        ends += e.kind == SessionEventKind::StepEnd;
        before += e.kind == SessionEventKind::StateSnapshot && e.states.phase == "before";
        after += e.kind == SessionEventKind::StateSnapshot && e.states.phase == "after";
        if (e.kind == SessionEventKind::StepMark) {
            EXPECT_EQ(e.step.end_ns, 0);
        }
    }
    EXPECT_EQ(marks, 14u);
    EXPECT_EQ(ends, 14u);
    EXPECT_EQ(before, 14u);
    EXPECT_EQ(after, 14u);
}

}  // namespace
}  // namespace osilab::runner
