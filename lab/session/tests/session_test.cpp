// The Session model: loading real captures (mapped, not copied), damaged files keeping what was
// readable, cancel, and a reader thread that never sees a half-written packet.
#include "lab/session/session.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <thread>
#include <vector>

#include "lab/capture/capture_reader.h"
#include "lab/session/append_log.h"
#include "lab/session/session_loader.h"

namespace osilab::session {
namespace {

const std::string kCorpus = OSILAB_CORPUS;

std::shared_ptr<Session> loadAndWait(const std::string& path) {
    auto session = std::make_shared<Session>();
    auto loader = SessionLoader::loadFile(session, path);
    loader->wait();
    return session;
}

std::vector<uint8_t> readWhole(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every packet the session holds equals what a fresh reader of the same file returns.
void expectSameAsReader(const Session& session, const std::string& path) {
    auto opened = capture::openCapture(path);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    capture::CaptureReader& reader = *opened.value();
    capture::Record record;
    size_t i = 0;
    while (reader.next(record) == capture::ReadStatus::Ok) {
        if (record.kind != capture::Record::Kind::Packet) continue;
        ASSERT_LT(i, session.packetCount());
        const PacketIndex& p = session.packet(i);
        EXPECT_EQ(p.time_ns, record.packet.time_ns) << "packet " << i + 1;
        EXPECT_EQ(p.cap_len, record.packet.cap_len);
        EXPECT_EQ(p.orig_len, record.packet.orig_len);
        EXPECT_EQ(p.link_type, record.packet.link_type);
        const auto bytes = session.packetBytes(i);
        ASSERT_EQ(bytes.size(), record.packet.cap_len);
        EXPECT_EQ(std::memcmp(bytes.data(), record.packet.data, bytes.size()), 0)
            << "packet " << i + 1;
        ++i;
    }
    EXPECT_EQ(i, session.packetCount());
}

TEST(SessionLoad, PcapFileIsMappedNotCopied) {
    const std::string path = kCorpus + "/good/print-flags.pcap";
    auto session = loadAndWait(path);
    const LoadStatus status = session->status();
    EXPECT_EQ(status.state, LoadState::Finished) << status.message;
    EXPECT_EQ(status.format, "pcap");
    EXPECT_EQ(session->packetCount(), 10u);
    EXPECT_EQ(status.packets_copied, 0u);
    EXPECT_EQ(status.bytes_read, status.bytes_total);
    EXPECT_DOUBLE_EQ(status.fraction(), 1.0);
    for (size_t i = 0; i < session->packetCount(); ++i)
        EXPECT_FALSE(session->packet(i).flags & packetflag::kInArena);
    expectSameAsReader(*session, path);
}

TEST(SessionLoad, PcapngFileIsMappedAndKeepsComments) {
    const std::string path = kCorpus + "/good/print-flags-comments.pcapng";
    auto session = loadAndWait(path);
    const LoadStatus status = session->status();
    EXPECT_EQ(status.state, LoadState::Finished) << status.message;
    EXPECT_EQ(status.format, "pcapng");
    EXPECT_EQ(session->packetCount(), 10u);
    EXPECT_EQ(status.packets_copied, 0u);
    expectSameAsReader(*session, path);
    // editcap put comments on packets 1, 4, 6 and 8 (see the corpus SOURCES.md).
    for (size_t i : {0u, 3u, 5u, 7u}) {
        EXPECT_TRUE(session->packet(i).hasComment()) << "packet " << i + 1;
        const auto [first, last] = session->commentRange(i);
        EXPECT_EQ(last - first, 1u) << "packet " << i + 1;
    }
    EXPECT_FALSE(session->packet(1).hasComment());
    const auto [first, last] = session->commentRange(1);
    EXPECT_EQ(first, last);
    EXPECT_EQ(session->comments().size(), 4u);
}

// A lesson run saved by `osilab run tcp-server-client --save` (recorded here): its packets, the
// step narratives as packet comments, and the runner's step marks, socket calls and state
// snapshots as typed timeline events in file order.
TEST(SessionLoad, LessonRunKeepsStepsCallsAndStates) {
    const std::string path = std::string(OSILAB_TEST_DATA) + "/lesson-tcp-server-client.pcapng";
    auto session = loadAndWait(path);
    EXPECT_EQ(session->status().state, LoadState::Finished);
    EXPECT_EQ(session->packetCount(), 11u);
    EXPECT_EQ(session->status().packets_copied, 0u);
    expectSameAsReader(*session, path);
    size_t steps = 0, calls = 0, states = 0, unknown = 0;
    uint64_t last_position = 0;
    bool ordered = true;
    for (size_t i = 0; i < session->events().size(); ++i) {
        const TimelineEvent& e = session->events()[i];
        steps += e.kind == EventKind::StepMark;
        calls += e.kind == EventKind::SocketCall;
        states += e.kind == EventKind::StateSnapshot;
        unknown += e.kind == EventKind::Unknown;
        ordered &= e.packets_before >= last_position;
        last_position = e.packets_before;
    }
    EXPECT_GT(steps, 5u);
    EXPECT_GE(calls, steps);   // every step makes at least one call
    EXPECT_EQ(states, steps);  // a snapshot at each step's end
    EXPECT_EQ(unknown, 0u);
    EXPECT_TRUE(ordered);
    EXPECT_GT(session->comments().size(), 0u);  // the narrative rides on packet comments
    EXPECT_LE(last_position, session->packetCount());
}

TEST(SessionLoad, MixedLinkTypesKeepEachPacketsType) {
    const std::string path = kCorpus + "/good/mixed-linktypes.pcapng";
    auto session = loadAndWait(path);
    EXPECT_EQ(session->status().state, LoadState::Finished);
    EXPECT_EQ(session->packetCount(), 17u);
    bool ethernet = false, sll = false;
    for (size_t i = 0; i < session->packetCount(); ++i) {
        ethernet |= session->packet(i).link_type == 1;
        sll |= session->packet(i).link_type == 113;
    }
    EXPECT_TRUE(ethernet && sll);
    expectSameAsReader(*session, path);
}

TEST(SessionLoad, DamagedFileKeepsPacketsBeforeTheDamage) {
    const std::string path = kCorpus + "/bad/print-flags-trunc-data.pcap";
    auto session = loadAndWait(path);
    const LoadStatus status = session->status();
    EXPECT_EQ(status.state, LoadState::Damaged);
    EXPECT_NE(status.message.find("cut short"), std::string::npos) << status.message;
    // 402 bytes: the file header (24), packets 1 and 2 (16 + 74 each), packet 3 (16 + 66), then
    // 100 of the 268 bytes of packet 4; tshark also shows 3 packets.
    EXPECT_EQ(session->packetCount(), 3u);
    EXPECT_EQ(session->packet(0).cap_len, 74u);
}

TEST(SessionLoad, DamagedPcapngKeepsPacketsBeforeTheDamage) {
    auto session = loadAndWait(kCorpus + "/bad/print-flags-comments-trunc.pcapng");
    const LoadStatus status = session->status();
    EXPECT_EQ(status.state, LoadState::Damaged);
    EXPECT_FALSE(status.message.empty());
    EXPECT_GT(session->packetCount(), 0u);
    EXPECT_LT(session->packetCount(), 10u);
}

TEST(SessionLoad, MissingFileFailsWithAMessage) {
    auto session = loadAndWait("/nonexistent/capture.pcap");
    const LoadStatus status = session->status();
    EXPECT_EQ(status.state, LoadState::Failed);
    EXPECT_NE(status.message.find("/nonexistent/capture.pcap"), std::string::npos);
    EXPECT_EQ(session->packetCount(), 0u);
}

TEST(SessionLoad, BytesInMemoryAreCopiedIntoTheArena) {
    const std::string path = kCorpus + "/good/print-flags.pcap";
    auto opened = capture::openCaptureBuffer(readWhole(path), "print-flags.pcap");
    ASSERT_TRUE(opened.ok());
    auto session = std::make_shared<Session>();
    auto loader = SessionLoader::loadReader(session, std::move(opened).value(), "memory");
    loader->wait();
    EXPECT_EQ(session->status().state, LoadState::Finished);
    EXPECT_EQ(session->status().packets_copied, 10u);
    EXPECT_TRUE(session->packet(0).flags & packetflag::kInArena);
    expectSameAsReader(*session, path);
}

// A reader that hands out the same packet forever, slowly enough to cancel.
class EndlessReader final : public capture::CaptureReader {
public:
    capture::ReadStatus next(capture::Record& out) override {
        out.kind = capture::Record::Kind::Packet;
        out.packet.number = ++count_;
        out.packet.link_type = 1;
        out.packet.time_ns = int64_t(count_) * 1000;
        out.packet.cap_len = out.packet.orig_len = sizeof(frame_);
        out.packet.data = frame_;
        out.packet.comments.clear();
        if ((count_ & 1023) == 0) std::this_thread::yield();
        return capture::ReadStatus::Ok;
    }
    const std::string& error() const override { return error_; }
    const char* formatName() const override { return "test"; }
    uint64_t position() const override { return count_ * sizeof(frame_); }
    uint64_t size() const override { return 0; }

private:
    uint8_t frame_[60] = {};
    uint64_t count_ = 0;
    std::string error_;
};

TEST(SessionLoad, CancelStopsAndKeepsWhatWasRead) {
    auto session = std::make_shared<Session>();
    auto loader = SessionLoader::loadReader(session, std::make_unique<EndlessReader>(), "endless");
    while (session->packetCount() < 5000) std::this_thread::yield();
    EXPECT_LT(session->status().fraction(), 0.0);  // size unknown: no fraction
    loader->cancel();
    loader->wait();
    const size_t count = session->packetCount();
    EXPECT_GE(count, 5000u);
    EXPECT_EQ(session->status().state, LoadState::Cancelled);
    // Nothing is appended after the loader stopped, and every packet is whole.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(session->packetCount(), count);
    EXPECT_EQ(session->packet(count - 1).time_ns, int64_t(count) * 1000);
}

TEST(SessionLoad, DestroyingTheLoaderCancelsIt) {
    auto session = std::make_shared<Session>();
    {
        auto loader =
            SessionLoader::loadReader(session, std::make_unique<EndlessReader>(), "endless");
        while (session->packetCount() < 100) std::this_thread::yield();
    }
    EXPECT_EQ(session->status().state, LoadState::Cancelled);
}

// The reader thread checks every published packet while the loader appends: no packet is ever
// seen half-written (time and length always agree with its number).
TEST(SessionConcurrency, ReaderNeverSeesAHalfWrittenPacket) {
    auto session = std::make_shared<Session>();
    auto loader = SessionLoader::loadReader(session, std::make_unique<EndlessReader>(), "endless");
    size_t checked = 0;
    bool all_whole = true;
    while (checked < 300000) {
        const size_t n = session->packetCount();
        for (; checked < n; ++checked) {
            const PacketIndex& p = session->packet(checked);
            all_whole &= p.time_ns == int64_t(checked + 1) * 1000 && p.cap_len == 60 &&
                         session->packetBytes(checked).size() == 60;
        }
    }
    loader->cancel();
    loader->wait();
    EXPECT_TRUE(all_whole);
}

TEST(AppendLog, ConcurrentAppendAndReadAcrossChunks) {
    // Small chunks so the test crosses many chunk boundaries.
    AppendLog<uint64_t, 4, 1 << 16> log;
    constexpr uint64_t kCount = 200000;
    std::thread writer([&] {
        for (uint64_t i = 0; i < kCount; ++i) {
            log.push(i * 3 + 1);
            if (i % 7 == 0) log.publish();
        }
        log.publish();
    });
    uint64_t seen = 0;
    bool ordered = true;
    while (seen < kCount) {
        const size_t n = log.size();
        for (; seen < n; ++seen) ordered &= log[seen] == seen * 3 + 1;
    }
    writer.join();
    EXPECT_TRUE(ordered);
    EXPECT_EQ(log.size(), kCount);
}

TEST(AppendLog, RefusesToGrowPastItsCapacity) {
    AppendLog<int, 2, 2> log;  // 8 entries at most
    for (int i = 0; i < 8; ++i) EXPECT_TRUE(log.push(i));
    EXPECT_FALSE(log.push(8));
    log.publish();
    EXPECT_EQ(log.size(), 8u);
    EXPECT_EQ(log[7], 7);
}

TEST(AppendLog, DestroysWhatItHolds) {
    auto counter = std::make_shared<int>(0);
    {
        AppendLog<std::shared_ptr<int>, 3, 16> log;
        for (int i = 0; i < 20; ++i) log.push(counter);
        EXPECT_EQ(counter.use_count(), 21);
    }
    EXPECT_EQ(counter.use_count(), 1);
}

}  // namespace
}  // namespace osilab::session
