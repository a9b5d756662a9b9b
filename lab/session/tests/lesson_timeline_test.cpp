// The lesson timeline of real runs: each test records a lesson with the `osilab` CLI in a
// private network of its own and reads the file back, once whole and once record by record as
// a live run would append it. Without the lab network (a sandbox refusing user namespaces) the
// tests skip, unless OSILAB_REQUIRE_LABNET is set (CI: there the lab network must work).
#include "lab/session/lesson_timeline.h"

#include <gtest/gtest.h>

#include <string>

#include "lab/capture/capture_reader.h"
#include "lab/packet/dissector.h"
#include "lab/session/session.h"
#include "lab/session/session_loader.h"
#include "lab/session/tests/record_lesson.h"

namespace osilab::session {
namespace {

std::shared_ptr<Session> load(const std::string& path) {
    auto session = std::make_shared<Session>();
    SessionLoader::loadFile(session, path)->wait();
    return session;
}

const runner::SocketState* findState(const std::optional<std::vector<runner::SocketState>>& states,
                                     const std::string& socket) {
    if (!states) return nullptr;
    for (const auto& s : *states)
        if (s.socket == socket) return &s;
    return nullptr;
}

// Appends one capture record to a session the way the loader does.
class ManualFeed {
public:
    explicit ManualFeed(Session& session) : session_(session) {}
    void add(capture::Record& record) {
        if (record.kind == capture::Record::Kind::Custom) {
            TimelineEvent event;
            event.packets_before = record.custom.packets_before;
            event.pen = record.custom.pen;
            event.data = record.custom.data;
            session_.appendEvent(std::move(event));
            return;
        }
        const capture::PacketRecord& p = record.packet;
        packet::PacketView view{p.link_type, p.data,    p.cap_len,
                                p.orig_len,  p.time_ns, packets_ + 1};
        dissector_.dissect(view, {.fields = false}, d_);
        PacketIndex index;
        index.time_ns = p.time_ns;
        index.cap_len = p.cap_len;
        index.orig_len = p.orig_len;
        index.link_type = uint16_t(p.link_type);
        index.protocol = d_.summary.protocol;
        if (d_.conversation != packet::ConversationKind::None) {
            index.flags |= d_.conversation == packet::ConversationKind::TcpStream
                               ? packetflag::kTcp
                               : packetflag::kUdp;
            index.conversation = d_.conversation_index;
        }
        session_.appendPacket(index, p.data, std::nullopt, p.comments);
        ++packets_;
    }

private:
    Session& session_;
    packet::Dissector dissector_;
    packet::Dissection d_;
    uint32_t packets_ = 0;
};

TEST(LessonTimeline, CaptureWithoutLessonRecordsIsNoLesson) {
    auto session = load(std::string(OSILAB_CAPTURES) + "/http-get-loopback.pcap");
    ASSERT_GT(session->packetCount(), 0u);
    LessonTimeline timeline;
    timeline.reset(session.get());
    EXPECT_FALSE(timeline.update());
    EXPECT_FALSE(timeline.isLesson());
    EXPECT_TRUE(timeline.steps().empty());
    EXPECT_TRUE(timeline.endpoints().empty());
}

TEST(LessonTimeline, TcpServerClientRun) {
    OSILAB_RECORD_LESSON_OR_SKIP(rec, "tcp-server-client");
    auto session = load(rec.path);
    LessonTimeline t;
    t.reset(session.get());
    ASSERT_TRUE(t.update());
    ASSERT_TRUE(t.isLesson());
    EXPECT_FALSE(t.update()) << "nothing new: nothing changes";

    ASSERT_EQ(t.steps().size(), 14u);
    for (const LessonStep& s : t.steps()) {
        EXPECT_TRUE(s.marked) << s.step;
        EXPECT_TRUE(s.ended) << s.step;
        EXPECT_LE(s.first_packet, s.end_packet);
        EXPECT_TRUE(s.after.has_value()) << s.step;
    }
    EXPECT_EQ(t.steps()[3].call, "accept");
    EXPECT_TRUE(t.steps()[3].call_pending) << "accept blocks until the client connects";
    EXPECT_EQ(t.steps()[0].end_packet - t.steps()[0].first_packet, 0u) << "socket(): no packet";
    // connect: the three-way handshake.
    const LessonStep& connect = t.steps()[5];
    EXPECT_EQ(connect.call, "connect");
    EXPECT_GE(connect.end_packet - connect.first_packet, 3u);
    EXPECT_EQ(t.stepOfPacket(connect.first_packet), 5);

    // accept started in step 3, returned during the connect step.
    const LessonCall* accept = nullptr;
    for (const LessonCall& c : t.calls())
        if (c.call == "accept") accept = &c;
    ASSERT_NE(accept, nullptr);
    EXPECT_EQ(accept->step, 3);
    EXPECT_TRUE(accept->returned);
    EXPECT_GE(accept->returned_step, 5);
    EXPECT_EQ(accept->actor, "server");
    EXPECT_EQ(accept->socket, "server.sk");

    // Socket table: the listening socket, the accepted one and the client's.
    const LessonSocket* listening = nullptr;
    const LessonSocket* client = nullptr;
    for (const LessonSocket& s : t.sockets()) {
        if (s.name == "server.sk") listening = &s;
        if (s.name == "client.sk") client = &s;
    }
    ASSERT_NE(listening, nullptr);
    ASSERT_NE(client, nullptr);
    EXPECT_EQ(listening->actor, "server");
    ASSERT_NE(listening->stateAt(2), nullptr);
    EXPECT_EQ(listening->stateAt(2)->state, "LISTEN");
    ASSERT_NE(client->stateAt(5), nullptr);
    EXPECT_EQ(client->stateAt(5)->state, "ESTABLISHED");
    ASSERT_NE(client->stateAt(13), nullptr);
    EXPECT_EQ(client->stateAt(13)->state, "TIME-WAIT") << "the client closed first";
    EXPECT_EQ(findState(t.steps()[2].after, "server.sk")->state, "LISTEN");

    // Lifelines: one per actor's address, the server's first (the lesson's order).
    ASSERT_GE(t.endpoints().size(), 2u);
    EXPECT_EQ(t.endpoints()[0].actor, "server");
    EXPECT_EQ(t.endpoints()[0].address, "127.0.0.1:8898");
    EXPECT_EQ(t.endpoints()[1].actor, "client");
    EXPECT_NE(t.endpoints()[1].address.find("127.0.0.1:"), std::string::npos);
    // Every TCP packet goes between the two lifelines.
    size_t tcp = 0;
    for (size_t i = 0; i < session->packetCount(); ++i) {
        if (!session->packet(i).isTcp()) continue;
        ++tcp;
        const auto& ends = t.packetEnds()[i];
        EXPECT_GE(t.endpointOfAddress(ends.source), 0) << ends.source;
        EXPECT_GE(t.endpointOfAddress(ends.destination), 0) << ends.destination;
        EXPECT_NE(t.actorOfAddress(ends.source), t.actorOfAddress(ends.destination));
    }
    EXPECT_GE(tcp, 10u);
    // Each call has a lifeline of its own actor.
    for (const LessonCall& c : t.calls()) {
        const int e = t.endpointOfCall(c);
        ASSERT_GE(e, 0) << c.call;
        EXPECT_EQ(t.endpoints()[size_t(e)].actor, c.actor) << c.call;
    }
}

TEST(LessonTimeline, GrowingSessionEndsAsTheWholeFile) {
    OSILAB_RECORD_LESSON_OR_SKIP(rec, "tcp-server-client");
    auto whole = load(rec.path);
    LessonTimeline expected;
    expected.reset(whole.get());
    expected.update();

    // Record by record, as a live run appends, with the UI's update() in between.
    Session growing;
    LessonTimeline live;
    live.reset(&growing);
    ManualFeed feed(growing);
    auto reader = capture::openCapture(rec.path);
    ASSERT_TRUE(reader);
    capture::Record record;
    bool saw_pending_accept = false;
    while (reader.value()->next(record) == capture::ReadStatus::Ok) {
        feed.add(record);
        live.update();
        for (const LessonCall& c : live.calls())
            if (c.call == "accept" && c.pending()) saw_pending_accept = true;
        if (live.currentStep() >= 0)
            EXPECT_EQ(live.steps()[size_t(live.currentStep())].end_packet, growing.packetCount());
    }
    EXPECT_TRUE(saw_pending_accept) << "the accept is pending while the client has not connected";
    ASSERT_EQ(live.steps().size(), expected.steps().size());
    for (size_t i = 0; i < live.steps().size(); ++i) {
        EXPECT_EQ(live.steps()[i].first_packet, expected.steps()[i].first_packet) << i;
        EXPECT_EQ(live.steps()[i].end_packet, expected.steps()[i].end_packet) << i;
        EXPECT_EQ(live.steps()[i].calls_returned, expected.steps()[i].calls_returned) << i;
    }
    EXPECT_EQ(live.calls().size(), expected.calls().size());
    EXPECT_EQ(live.endpoints(), expected.endpoints());
    EXPECT_EQ(live.sockets().size(), expected.sockets().size());
}

// A recorded run rewritten in the order the first runner wrote (a StepMark with end_ns, the
// step's calls, its packets, an "after" snapshot without descriptors or addresses; no RunStart,
// StepEnd, "before" snapshot or call-start record), fed record by record.
class OlderOrder {
public:
    explicit OlderOrder(const std::string& path) {
        auto reader = capture::openCapture(path);
        if (!reader) return;
        capture::Record r;
        while (reader.value()->next(r) == capture::ReadStatus::Ok) {
            Item item;
            if (r.kind == capture::Record::Kind::Packet) {
                item.packet = r.packet;
                item.bytes.assign(r.packet.data, r.packet.data + r.packet.cap_len);
            } else {
                auto e = runner::decodeSessionEvent(r.custom.data.data(), r.custom.data.size());
                if (!e) continue;
                item.event = std::move(*e);
            }
            items_.push_back(std::move(item));
        }
    }

    void feedInto(Session& session) {
        ManualFeed feed(session);
        // Per step: the mark, then calls/packets until the next step's "before" snapshot.
        size_t i = 0;
        while (i < items_.size()) {
            if (!items_[i].event || items_[i].event->kind != runner::SessionEventKind::StepMark) {
                ++i;
                continue;
            }
            runner::SessionEvent mark = *items_[i].event;
            std::vector<runner::SessionEvent> calls;
            std::vector<size_t> packets;
            std::optional<runner::SessionEvent> after;
            size_t j = i + 1;
            for (; j < items_.size(); ++j) {
                const Item& it = items_[j];
                if (!it.event) {
                    packets.push_back(j);
                    continue;
                }
                const runner::SessionEvent& e = *it.event;
                if (e.kind == runner::SessionEventKind::StepMark) break;
                if (e.kind == runner::SessionEventKind::StateSnapshot && e.states.phase == "before")
                    break;
                if (e.kind == runner::SessionEventKind::StepEnd) {
                    mark.step.end_ns = e.step_end.end_ns;
                    mark.step.call_pending = e.step_end.call_pending;
                } else if (e.kind == runner::SessionEventKind::StateSnapshot) {
                    after = e;
                    for (auto& s : after->states.states) {
                        s.fd = -1;
                        s.local.clear();
                        s.remote.clear();
                    }
                } else if (e.kind == runner::SessionEventKind::SocketCall) {
                    // Only returns, and starts of calls still blocked at the step's end.
                    bool returns_later = false;
                    if (!e.call.returned) {
                        returns_later = true;
                        for (size_t k = j + 1; k < items_.size(); ++k) {
                            const auto& o = items_[k].event;
                            if (o && o->kind == runner::SessionEventKind::StepMark) break;
                            if (o && o->kind == runner::SessionEventKind::SocketCall &&
                                o->call.returned && o->call.start_ns == e.call.start_ns &&
                                o->call_actor == e.call_actor)
                                returns_later = false;
                        }
                    }
                    if (e.call.returned || returns_later) calls.push_back(e);
                }
            }
            emit(session, mark);
            for (const auto& c : calls) emit(session, c);
            for (size_t p : packets) {
                capture::Record r;
                r.kind = capture::Record::Kind::Packet;
                r.packet = items_[p].packet;
                r.packet.data = items_[p].bytes.data();
                feed.add(r);
                ++packets_;
            }
            if (after) emit(session, *after);
            i = j;
        }
    }

private:
    struct Item {
        std::optional<runner::SessionEvent> event;
        capture::PacketRecord packet;
        std::vector<uint8_t> bytes;
    };
    void emit(Session& session, const runner::SessionEvent& e) {
        TimelineEvent event;
        event.pen = runner::kOsilabPen;
        event.packets_before = packets_;
        event.data = runner::encodeSessionEvent(e);
        session.appendEvent(std::move(event));
    }
    std::vector<Item> items_;
    uint64_t packets_ = 0;
};

TEST(LessonTimeline, OlderRecordOrderGivesTheSameSteps) {
    OSILAB_RECORD_LESSON_OR_SKIP(rec, "tcp-server-client");
    auto whole = load(rec.path);
    LessonTimeline expected;
    expected.reset(whole.get());
    expected.update();

    Session older;
    OlderOrder(rec.path).feedInto(older);
    ASSERT_EQ(older.packetCount(), whole->packetCount());
    LessonTimeline t;
    t.reset(&older);
    t.update();
    ASSERT_TRUE(t.isLesson());
    EXPECT_FALSE(t.run().known);
    ASSERT_EQ(t.steps().size(), 14u);
    for (size_t i = 0; i < t.steps().size(); ++i) {
        EXPECT_TRUE(t.steps()[i].ended) << i;
        EXPECT_EQ(t.steps()[i].end_packet - t.steps()[i].first_packet,
                  expected.steps()[i].end_packet - expected.steps()[i].first_packet)
            << "step " << i;
    }
    EXPECT_TRUE(t.steps()[3].call_pending);
    // accept: recorded pending in its step, returned in connect's.
    const LessonCall* accept = nullptr;
    for (const LessonCall& c : t.calls())
        if (c.call == "accept") accept = &c;
    ASSERT_NE(accept, nullptr);
    EXPECT_EQ(accept->step, 3);
    EXPECT_EQ(accept->returned_step, 5);
    // Without addresses in the snapshots, bind's argument names the server and the sender at
    // connect time the client.
    ASSERT_EQ(t.endpoints().size(), 2u);
    EXPECT_EQ(t.endpoints()[0], (LessonEndpoint{"server", "127.0.0.1:8898"}));
    EXPECT_EQ(t.endpoints()[1], expected.endpoints()[1]);
    for (size_t i = 0; i < older.packetCount(); ++i) {
        const auto& ends = t.packetEnds()[i];
        EXPECT_NE(t.actorOfAddress(ends.source), "") << i;
        EXPECT_NE(t.actorOfAddress(ends.source), t.actorOfAddress(ends.destination)) << i;
    }
    for (const LessonCall& c : t.calls()) {
        const int e = t.endpointOfCall(c);
        ASSERT_GE(e, 0) << c.call;
        EXPECT_EQ(t.endpoints()[size_t(e)].actor, c.actor) << c.call;
    }
    const LessonSocket* listening = nullptr;
    for (const LessonSocket& s : t.sockets())
        if (s.name == "server.sk") listening = &s;
    ASSERT_NE(listening, nullptr);
    ASSERT_NE(listening->stateAt(2), nullptr);
    EXPECT_EQ(listening->stateAt(2)->state, "LISTEN");
}

TEST(LessonTimeline, UdpChatHasALifelinePerActor) {
    OSILAB_RECORD_LESSON_OR_SKIP(rec, "udp-chat");
    auto session = load(rec.path);
    LessonTimeline t;
    t.reset(session.get());
    t.update();
    ASSERT_EQ(t.steps().size(), 34u);
    std::vector<std::string> actors;
    for (const LessonEndpoint& e : t.endpoints()) {
        EXPECT_FALSE(e.address.empty()) << e.actor << ": every actor sent a datagram";
        actors.push_back(e.actor);
    }
    EXPECT_EQ(actors, (std::vector<std::string>{"server", "alice", "bob", "carol"}));
    // alice's first sendto: one datagram from alice to the server.
    const LessonStep& login = t.steps()[3];
    ASSERT_EQ(login.end_packet - login.first_packet, 1u);
    const auto& ends = t.packetEnds()[login.first_packet];
    EXPECT_EQ(t.actorOfAddress(ends.source), "alice");
    EXPECT_EQ(t.actorOfAddress(ends.destination), "server");
}

}  // namespace
}  // namespace osilab::session
