// The ladder diagram's geometry and its SVG, from real lesson runs recorded with the `osilab`
// CLI (skipped without the lab network unless OSILAB_REQUIRE_LABNET is set). No window needed:
// the layout model is plain data, measured with the estimated text widths the SVG export uses.
#include "visualizer/teaching/ladder_layout.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "lab/session/session_loader.h"
#include "lab/session/tests/record_lesson.h"
#include "visualizer/teaching/ladder_export.h"
#include "visualizer/teaching/tcp_state_inference.h"

namespace osilab::viewer {
namespace {

struct Loaded {
    std::shared_ptr<session::Session> session;
    session::LessonTimeline timeline;
    std::unique_ptr<session::Redissector> packets;
};

std::unique_ptr<Loaded> load(const std::string& path) {
    auto l = std::make_unique<Loaded>();
    l->session = std::make_shared<session::Session>();
    session::SessionLoader::loadFile(l->session, path)->wait();
    l->timeline.reset(l->session.get());
    l->timeline.update();
    l->packets = std::make_unique<session::Redissector>(*l->session);
    return l;
}

int lifelineOf(const LadderLayout& layout, const std::string& actor) {
    for (size_t i = 0; i < layout.lifelines.size(); ++i)
        if (layout.lifelines[i].actor == actor) return int(i);
    return -1;
}

bool hasState(const LadderLayout& layout, int lifeline, const std::string& text) {
    return std::any_of(layout.states.begin(), layout.states.end(), [&](const LadderStateLabel& s) {
        return s.lifeline == lifeline && s.text == text;
    });
}

TEST(LadderLayout, TcpServerClientHandshakeDataAndTeardown) {
    OSILAB_RECORD_LESSON_OR_SKIP(rec, "tcp-server-client");
    auto l = load(rec.path);
    ASSERT_TRUE(l->timeline.isLesson());
    const LadderLayout layout = layoutLadder(l->timeline, *l->packets, LadderStyle{});

    ASSERT_EQ(layout.lifelines.size(), 2u);
    const int server = lifelineOf(layout, "server"), client = lifelineOf(layout, "client");
    ASSERT_EQ(server, 0);
    ASSERT_EQ(client, 1);
    EXPECT_EQ(layout.lifelines[0].address, "127.0.0.1:8898");
    EXPECT_LT(layout.lifelines[0].x, layout.lifelines[1].x);
    ASSERT_EQ(layout.steps.size(), 14u);
    EXPECT_NE(layout.steps[5].title.find("connect"), std::string::npos);

    // Every TCP packet is an arrow, in capture order, top to bottom.
    size_t tcp = 0;
    for (size_t i = 0; i < l->session->packetCount(); ++i) tcp += l->session->packet(i).isTcp();
    ASSERT_EQ(layout.arrows.size(), tcp);
    for (size_t i = 1; i < layout.arrows.size(); ++i) {
        EXPECT_LT(layout.arrows[i - 1].packet, layout.arrows[i].packet);
        EXPECT_LT(layout.arrows[i - 1].y0, layout.arrows[i].y0);
    }
    // The handshake: relative numbers as Wireshark shows them.
    const LadderArrow& syn = layout.arrows[0];
    EXPECT_EQ(syn.label, "SYN  Seq=0 Len=0");
    EXPECT_EQ(syn.from, client);
    EXPECT_EQ(syn.to, server);
    EXPECT_EQ(layout.arrows[1].label, "SYN, ACK  Seq=0 Ack=1 Len=0");
    EXPECT_EQ(layout.arrows[1].from, server);
    EXPECT_EQ(layout.arrows[2].label, "ACK  Seq=1 Ack=1 Len=0");
    // send("hello") from the client.
    EXPECT_EQ(layout.arrows[3].label, "PSH, ACK  Seq=1 Ack=1 Len=5");
    EXPECT_GT(syn.y0, layout.steps[5].y0);
    EXPECT_LT(syn.y1, layout.steps[5].y1);

    // accept: one bar from step 4 down to after the handshake.
    const LadderCallBox* accept = nullptr;
    for (const LadderCallBox& c : layout.calls)
        if (c.label == "accept(sk)") accept = &c;
    ASSERT_NE(accept, nullptr);
    EXPECT_EQ(accept->lifeline, server);
    EXPECT_FALSE(accept->pending);
    EXPECT_LT(accept->y0, syn.y0);
    EXPECT_GT(accept->y1, syn.y0);
    EXPECT_EQ(accept->result.substr(0, 4), "→ ");

    // TCP states where they change.
    EXPECT_TRUE(hasState(layout, server, "sk LISTEN"));
    EXPECT_TRUE(hasState(layout, client, "sk ESTABLISHED"));
    EXPECT_TRUE(hasState(layout, client, "sk TIME-WAIT")) << "the client closed first";

    // Picking: the middle of an arrow finds it.
    const LadderArrow& data = layout.arrows[3];
    EXPECT_EQ(layout.arrowAt((data.x0 + data.x1) / 2, (data.y0 + data.y1) / 2, 4), 3);
    EXPECT_EQ(layout.arrowOfPacket(data.packet), 3);
    EXPECT_EQ(layout.arrowAt(-100, -100, 4), -1);

    // The SVG is written from the same model.
    const std::string svg = ladderSvg(layout);
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    for (const char* text : {"127.0.0.1:8898", "SYN, ACK  Seq=0 Ack=1 Len=0", "sk LISTEN",
                             "sk TIME-WAIT", "accept(sk)", "</svg>"})
        EXPECT_NE(svg.find(text), std::string::npos) << text;
}

TEST(LadderLayout, StepsRevealedSoFarAndPendingCall) {
    OSILAB_RECORD_LESSON_OR_SKIP(rec, "tcp-server-client");
    auto l = load(rec.path);
    LadderStyle style;
    style.last_step = 3;  // accept, before any client
    const LadderLayout layout = layoutLadder(l->timeline, *l->packets, style);
    EXPECT_EQ(layout.steps.size(), 4u);
    EXPECT_TRUE(layout.arrows.empty());
    const LadderCallBox& accept = layout.calls.back();
    EXPECT_EQ(accept.label, "accept(sk)");
    EXPECT_TRUE(accept.pending) << "drawn open until it returns";
    EXPECT_EQ(accept.result, "…");
    EXPECT_GT(accept.y1, layout.steps.back().y1 - 1) << "the open bar reaches the bottom";

    // A bigger text makes a bigger diagram (zoom follows the text size).
    LadderStyle big = style;
    big.font_size = 32;
    const LadderLayout zoomed = layoutLadder(l->timeline, *l->packets, big);
    EXPECT_NEAR(zoomed.height, layout.height * 2, layout.height * 0.05);
    EXPECT_GT(zoomed.width, layout.width * 1.5f);
}

// The states of one lifeline, top to bottom, as "text" or "text*" when inferred.
std::vector<std::string> statesOf(const LadderLayout& layout, int lifeline) {
    std::vector<std::string> out;
    for (const LadderStateLabel& s : layout.states)
        if (s.lifeline == lifeline) out.push_back(s.text + (s.inferred ? "*" : ""));
    return out;
}

TEST(LadderLayout, StatesBetweenSnapshotsFollowTheSegments) {
    OSILAB_RECORD_LESSON_OR_SKIP(rec, "tcp-server-client");
    auto l = load(rec.path);
    const LadderLayout layout = layoutLadder(l->timeline, *l->packets, LadderStyle{});
    const int server = lifelineOf(layout, "server"), client = lifelineOf(layout, "client");
    ASSERT_GE(server, 0);
    ASSERT_GE(client, 0);
    // The client connects and closes first: every state of RFC 9293's diagram on its side, the
    // short-lived ones from the segments, then TIME-WAIT confirmed by the kernel's snapshot
    // (it is already shown, so the snapshot adds no label).
    EXPECT_EQ(statesOf(layout, client),
              (std::vector<std::string>{"sk SYN-SENT*", "sk ESTABLISHED*", "sk FIN-WAIT-1*",
                                        "sk FIN-WAIT-2*", "sk TIME-WAIT*"}));
    // The server: the listener from the kernel; the new connection exists before accept()
    // names it (SYN-RECV, ESTABLISHED unnamed), then the passive close; last the kernel sees
    // the listener closed.
    const std::vector<std::string> server_states = statesOf(layout, server);
    const std::vector<std::string> expected = {"sk LISTEN",       "SYN-RECV*",
                                               "ESTABLISHED*",    "conn ESTABLISHED",
                                               "conn CLOSE-WAIT*", "conn LAST-ACK*",
                                               "conn CLOSED*",    "sk CLOSED"};
    EXPECT_EQ(server_states, expected);
    // Each inferred label sits under the arrow that caused it.
    for (const LadderStateLabel& s : layout.states) {
        if (!s.inferred) continue;
        const auto above = std::find_if(layout.arrows.rbegin(), layout.arrows.rend(),
                                        [&](const LadderArrow& a) { return a.y1 < s.y; });
        ASSERT_NE(above, layout.arrows.rend()) << s.text;
    }
}

TEST(LadderLayout, InferenceAgreesWithTheKernelAtEveryStep) {
    // At each step's end, what the segments say must be what sock_diag said: the inference is
    // checked against the kernel on every lesson with TCP.
    for (const char* lesson : {"tcp-server-client", "so-reuseaddr", "tcp-vs-udp", "cs-bs"}) {
        OSILAB_RECORD_LESSON_OR_SKIP(rec, lesson);
        auto l = load(rec.path);
        TcpStateInference inference;
        packet::Dissection d;
        size_t compared = 0, moved = 0;  // moved: the segments changed the state in the step
        for (const session::LessonStep& step : l->timeline.steps()) {
            if (step.before)
                for (const runner::SocketState& s : *step.before)
                    if (!s.local.empty() && !s.remote.empty())
                        inference.observe(s.local, s.remote, s.state);
            TcpStateInference at_start = inference;
            for (uint64_t p = step.first_packet; p < step.end_packet; ++p) {
                const auto& ends = l->timeline.packetEnds()[size_t(p)];
                if (ends.source.empty() || !l->session->packet(size_t(p)).isTcp()) continue;
                l->packets->dissect(size_t(p), {.fields = true}, d);
                TcpSegmentFacts f;
                for (const packet::Field& field : d.fields) {
                    const std::string name = field.info ? field.info->name : "";
                    if (name == "tcp.flags") {
                        f.fin = field.number & 1;
                        f.syn = field.number & 2;
                        f.rst = field.number & 4;
                        f.ack = field.number & 0x10;
                    }
                    if (name == "tcp.seq") f.seq = field.number;
                    if (name == "tcp.ack") f.ack_number = field.number;
                    if (name == "tcp.len") f.len = field.number;
                }
                inference.segment(ends.source, ends.destination, f);
            }
            if (!step.after) continue;
            for (const runner::SocketState& s : *step.after) {
                const std::string inferred = inference.stateOf(s.local, s.remote);
                if (s.local.empty() || s.remote.empty() || inferred.empty()) continue;
                // The kernel names a socket without a connection CLOSE; one whose file is
                // closed and gone is CLOSED in the snapshot.
                const bool closed = (s.state == "CLOSE" || s.state == "CLOSED");
                EXPECT_TRUE(inferred == s.state || (closed && inferred == "CLOSED"))
                    << lesson << " step " << step.step + 1 << " " << s.socket << ": kernel "
                    << s.state << ", from the segments " << inferred;
                ++compared;
                moved += at_start.stateOf(s.local, s.remote) != inferred;
            }
        }
        EXPECT_GT(compared, 0u) << lesson;
        EXPECT_GT(moved, 0u) << lesson;
    }
}

TEST(TcpStateInference, ResetAndSimultaneousClose) {
    TcpStateInference t;
    t.observe("a:1", "b:2", "ESTABLISHED");
    t.observe("b:2", "a:1", "ESTABLISHED");
    // Both send FIN before seeing the other's: CLOSING on both sides, then TIME-WAIT.
    TcpSegmentFacts fin_a{.ack = true, .fin = true, .seq = 10, .ack_number = 20};
    TcpSegmentFacts fin_b{.ack = true, .fin = true, .seq = 20, .ack_number = 10};
    auto c = t.segment("a:1", "b:2", fin_a);
    EXPECT_EQ(t.stateOf("a:1", "b:2"), "FIN-WAIT-1");
    EXPECT_EQ(t.stateOf("b:2", "a:1"), "CLOSE-WAIT");
    // (A reader that sees b's FIN cross a's on the wire: b had already sent it.)
    t.observe("b:2", "a:1", "FIN-WAIT-1");
    fin_b.ack_number = 10;  // does not cover a's FIN (11)
    t.segment("b:2", "a:1", fin_b);
    EXPECT_EQ(t.stateOf("a:1", "b:2"), "CLOSING");
    t.segment("b:2", "a:1", TcpSegmentFacts{.ack = true, .seq = 21, .ack_number = 11});
    EXPECT_EQ(t.stateOf("a:1", "b:2"), "TIME-WAIT");
    // A reset closes both ends.
    TcpStateInference r;
    r.observe("a:1", "b:2", "ESTABLISHED");
    r.observe("b:2", "a:1", "ESTABLISHED");
    c = r.segment("b:2", "a:1", TcpSegmentFacts{.rst = true});
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].local, "b:2");
    EXPECT_EQ(r.stateOf("a:1", "b:2"), "CLOSED");
    EXPECT_EQ(r.stateOf("b:2", "a:1"), "CLOSED");
}

TEST(LadderLayout, NothingBeforeTheFirstStep) {
    OSILAB_RECORD_LESSON_OR_SKIP(rec, "tcp-server-client");
    auto l = load(rec.path);
    LadderStyle style;
    style.last_step = -1;  // a recorded run at "step 0 of 14"
    const LadderLayout layout = layoutLadder(l->timeline, *l->packets, style);
    EXPECT_TRUE(layout.steps.empty());
    EXPECT_TRUE(layout.calls.empty());
    EXPECT_TRUE(layout.arrows.empty());
    EXPECT_TRUE(layout.states.empty());
    EXPECT_EQ(layoutLadder(l->timeline, *l->packets, LadderStyle{}).steps.size(), 14u);
}

TEST(LadderLayout, UdpChatDatagramsBetweenFourActors) {
    OSILAB_RECORD_LESSON_OR_SKIP(rec, "udp-chat");
    auto l = load(rec.path);
    const LadderLayout layout = layoutLadder(l->timeline, *l->packets, LadderStyle{.zh = true});
    ASSERT_EQ(layout.lifelines.size(), 4u);
    EXPECT_EQ(layout.steps[0].title.rfind("第 1 步", 0), 0u);
    ASSERT_FALSE(layout.arrows.empty());
    for (const LadderArrow& a : layout.arrows) {
        EXPECT_FALSE(a.tcp);
        EXPECT_EQ(a.label.rfind("UDP  Len=", 0), 0u) << a.label;
        // Every datagram goes between the server and one of the others.
        EXPECT_TRUE((a.from == 0) != (a.to == 0)) << a.label;
    }
    // alice's "LOGIN alice": 11 bytes.
    EXPECT_EQ(layout.arrows[0].label, "UDP  Len=11");
    EXPECT_EQ(layout.lifelines[size_t(layout.arrows[0].from)].actor, "alice");
}

}  // namespace
}  // namespace osilab::viewer
