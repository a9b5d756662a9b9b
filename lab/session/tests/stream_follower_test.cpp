// Conversations and Follow stream over interleaved-streams.pcap: three TCP connections to port
// 9000 whose packets interleave, each sending "hello N 你好" and getting "echo:hello N 你好" back,
// then two UDP flows to port 9001 sending "ping I.K" and getting "re:ping I.K".
#include "lab/session/stream_follower.h"

#include <gtest/gtest.h>

#include "lab/session/conversation_table.h"
#include "lab/session/session_loader.h"

namespace osilab::session {
namespace {

std::shared_ptr<Session> interleaved() {
    auto session = std::make_shared<Session>();
    SessionLoader::loadFile(session, OSILAB_TEST_DATA "/interleaved-streams.pcap")->wait();
    return session;
}

TEST(ConversationTable, CountsEveryStreamAndFlow) {
    auto session = interleaved();
    ConversationTable table;
    table.update(*session);
    ASSERT_EQ(table.tcp().size(), 3u);
    ASSERT_EQ(table.udp().size(), 2u);
    // tshark -z conv,tcp: stream 2 is packets 7-9, 20, 21, 26-30 (10 packets).
    EXPECT_EQ(table.tcp()[2].packets, 10u);
    EXPECT_EQ(table.tcp()[2].first_packet, 6u);
    EXPECT_EQ(table.tcp()[2].last_packet, 29u);
    EXPECT_EQ(table.udp()[1].packets, 4u);
    EXPECT_EQ(table.scanned(), 38u);
    table.update(*session);  // nothing new: unchanged
    EXPECT_EQ(table.tcp()[2].packets, 10u);
}

TEST(StreamFollower, TcpStreamShowsBothDirectionsInOrder) {
    auto session = interleaved();
    const FollowedStream s = followStream(*session, true, 1);
    EXPECT_EQ(s.client, "127.0.0.1:54554");
    EXPECT_EQ(s.server, "127.0.0.1:9000");
    ASSERT_EQ(s.pieces.size(), 2u);
    EXPECT_EQ(s.pieces[0].direction, 0);
    EXPECT_EQ(s.pieces[0].bytes, "hello 1 你好");
    EXPECT_EQ(s.pieces[0].packet, 14u);  // packet 15
    EXPECT_EQ(s.pieces[1].direction, 1);
    EXPECT_EQ(s.pieces[1].bytes, "echo:hello 1 你好");
    EXPECT_EQ(s.bytes[0], 14u);
    EXPECT_EQ(s.bytes[1], 19u);
    EXPECT_FALSE(s.cut);
}

TEST(StreamFollower, EndpointsComeFromTheFirstPacket) {
    auto session = interleaved();
    const auto [client, server] = streamEndpoints(*session, true, 2);
    EXPECT_EQ(client, "127.0.0.1:54564");
    EXPECT_EQ(server, "127.0.0.1:9000");
    EXPECT_EQ(streamEndpoints(*session, false, 1).first, "127.0.0.1:39261");
}

TEST(StreamFollower, UdpFlowAndLimit) {
    auto session = interleaved();
    const FollowedStream s = followStream(*session, false, 0);
    ASSERT_EQ(s.pieces.size(), 4u);
    EXPECT_EQ(s.pieces[0].bytes, "ping 0.0");
    EXPECT_EQ(s.pieces[1].bytes, "re:ping 0.0");
    EXPECT_EQ(s.pieces[1].direction, 1);
    const FollowedStream cut = followStream(*session, false, 0, 10);
    EXPECT_TRUE(cut.cut);
    EXPECT_EQ(cut.bytes[0] + cut.bytes[1], 10u);
    EXPECT_TRUE(followStream(*session, true, 99).pieces.empty());
}

TEST(StreamFollower, PrintableTextKeepsChineseAndHidesControlBytes) {
    EXPECT_EQ(printableText("GET /\r\n"), "GET /.\n");
    EXPECT_EQ(printableText("你好\x01"), "你好.");
    EXPECT_EQ(printableText(std::string("\xe4\xbd", 2)), "..");  // a cut character
    EXPECT_EQ(printableText(std::string("a\0b", 3)), "a.b");
}

}  // namespace
}  // namespace osilab::session
