// The comparisons `osilab check` makes: each claim holds when the kernel did what the lesson says,
// and fails, with a readable message, when it did not.
#include "lab/lesson/expect_check.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "lab/lesson/loader.h"

namespace osilab::lesson {
namespace {

constexpr int kServer = 0, kClient = 1;
constexpr int kListener = 0, kConn = 1, kClientSocket = 2;

const Lesson& minimal() {
    static const Lesson lesson =
        loadLesson(std::string(OSILAB_TEST_DATA) + "/good/minimal.json").value();
    return lesson;
}

ObservedPacket tcp(uint8_t flags, int from_actor, int from_socket, int to_actor, int to_socket,
                   std::string payload = "") {
    ObservedPacket packet;
    packet.kind = PacketKind::Tcp;
    packet.tcp_flags = flags;
    packet.source = EndpointRef{from_actor, from_socket};
    packet.destination = EndpointRef{to_actor, to_socket};
    packet.payload = std::move(payload);
    return packet;
}

TEST(CheckPackets, HandshakeMatchesExactly) {
    const Step& connect = minimal().steps[5];  // "packets": ["SYN", "SYN,ACK", "ACK"]
    std::vector<ObservedPacket> packets = {tcp(kSyn, kClient, kClientSocket, kServer, kListener),
                                           tcp(kSyn | kAck, kServer, kConn, kClient, kClientSocket),
                                           tcp(kAck, kClient, kClientSocket, kServer, kConn)};
    EXPECT_TRUE(checkPackets(minimal(), connect, packets).empty());

    packets.pop_back();
    const auto missing = checkPackets(minimal(), connect, packets);
    ASSERT_EQ(missing.size(), 1u);
    EXPECT_EQ(missing[0].path, "/steps/5/expect/packets");
    EXPECT_EQ(missing[0].message,
              "expected exactly SYN, SYN,ACK, ACK; captured client.sk → server.sk SYN, "
              "server.conn → client.sk SYN,ACK");

    packets.push_back(tcp(kAck | kPsh, kClient, kClientSocket, kServer, kConn, "x"));
    EXPECT_EQ(checkPackets(minimal(), connect, packets).size(), 1u);  // flags are an exact set
}

TEST(CheckPackets, IncludeIsAnOrderedSubsequence) {
    Step step = minimal().steps[6];
    step.expect.packet_match = PacketMatch::Include;
    PacketPattern data;
    data.kind = PacketKind::Tcp;
    data.tcp_flags = kPsh | kAck;
    data.from = EndpointRef{kClient, -1};
    data.data = "hi";
    PacketPattern ack;
    ack.kind = PacketKind::Tcp;
    ack.tcp_flags = kAck;
    ack.from = EndpointRef{kServer, -1};
    step.expect.packets = {data, ack};

    const auto push = tcp(kPsh | kAck, kClient, kClientSocket, kServer, kConn, "hi");
    const auto reply_ack = tcp(kAck, kServer, kConn, kClient, kClientSocket);
    EXPECT_TRUE(checkPackets(minimal(), step, {reply_ack, push, reply_ack}).empty());
    EXPECT_FALSE(checkPackets(minimal(), step, {reply_ack, push}).empty());  // ACK must follow
    auto wrong_data = push;
    wrong_data.payload = "ho";
    EXPECT_FALSE(checkPackets(minimal(), step, {wrong_data, reply_ack}).empty());
    auto wrong_side = push;
    wrong_side.source = EndpointRef{kServer, kConn};
    EXPECT_FALSE(checkPackets(minimal(), step, {wrong_side, reply_ack}).empty());
}

TEST(CheckPackets, NoPacketsMeansNone) {
    Step step = minimal().steps[0];
    step.expect.packet_match = PacketMatch::Exact;
    EXPECT_TRUE(checkPackets(minimal(), step, {}).empty());
    ObservedPacket udp;
    udp.kind = PacketKind::Udp;
    const auto mismatch = checkPackets(minimal(), step, {udp});
    ASSERT_EQ(mismatch.size(), 1u);
    EXPECT_EQ(mismatch[0].message, "expected exactly no packets; captured nobody → nobody UDP");
}

TEST(CheckPackets, IcmpAndIpVersion) {
    PacketPattern icmp;
    icmp.kind = PacketKind::IcmpPortUnreachable;
    ObservedPacket seen;
    seen.kind = PacketKind::IcmpPortUnreachable;
    seen.ip_version = 6;
    EXPECT_TRUE(matchesPattern(icmp, seen));
    icmp.ip_version = 4;
    EXPECT_FALSE(matchesPattern(icmp, seen));
    ObservedPacket echo;  // an ICMP echo request is "another packet"
    EXPECT_FALSE(matchesPattern(icmp, echo));
}

TEST(CheckCall, SuccessAndErrors) {
    const Step& send = minimal().steps[6];  // returns 2
    ObservedCall call;
    call.returned = true;
    call.result = 2;
    EXPECT_TRUE(checkCall(minimal(), send, call).empty());
    call.result = 1;
    auto short_send = checkCall(minimal(), send, call);
    ASSERT_EQ(short_send.size(), 1u);
    EXPECT_EQ(short_send[0].path, "/steps/6/expect/returns");
    EXPECT_EQ(short_send[0].message, "send() was expected to return 2, it returned 1");

    call.error = EPIPE;
    auto failed = checkCall(minimal(), send, call);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_NE(failed[0].message.find("send() failed with EPIPE"), std::string::npos);
    EXPECT_NE(failed[0].message.find("but the lesson expects it to succeed"), std::string::npos);

    Step bind = minimal().steps[1];
    bind.expect.error = ErrnoExpect{"EADDRINUSE", EADDRINUSE};
    ObservedCall worked;
    worked.returned = true;
    EXPECT_EQ(checkCall(minimal(), bind, worked)[0].message,
              "bind() was expected to fail with EADDRINUSE, but it succeeded");
    worked.error = EADDRINUSE;
    EXPECT_TRUE(checkCall(minimal(), bind, worked).empty());
}

TEST(CheckCall, PendingDataAndPeer) {
    const Step& accept = minimal().steps[3];  // pending, peer client
    ObservedCall call;
    call.returned = true;
    call.pending_at_step_end = true;
    call.peer = EndpointRef{kClient, kClientSocket};
    EXPECT_TRUE(checkCall(minimal(), accept, call).empty());
    call.pending_at_step_end = false;
    EXPECT_EQ(checkCall(minimal(), accept, call)[0].path, "/steps/3/expect/pending");
    call.pending_at_step_end = true;
    call.peer = EndpointRef{};
    EXPECT_EQ(
        checkCall(minimal(), accept, call)[0].message,
        "accept() was expected to get client at the other end, it got an address of no actor");
    call.returned = false;
    EXPECT_EQ(checkCall(minimal(), accept, call)[0].message,
              "accept() never returned (timed out or stopped)");

    Step recv = minimal().steps[7];  // data "hi"
    ObservedCall got;
    got.returned = true;
    got.result = 2;
    got.data = "hi";
    EXPECT_TRUE(checkCall(minimal(), recv, got).empty());
    got.data = "h\r\n";
    EXPECT_EQ(checkCall(minimal(), recv, got)[0].message,
              "recv() was expected to receive \"hi\", it received \"h\\r\\n\"");
    recv.expect.data.reset();
    recv.expect.data_matches = "[0-9]{2}:[0-9]{2}";
    got.data = "14:03";
    EXPECT_TRUE(checkCall(minimal(), recv, got).empty());
    got.data = "14:03:59";  // the whole text must match
    EXPECT_EQ(checkCall(minimal(), recv, got).size(), 1u);
}

TEST(CheckStates, ComparesEveryNamedSocket) {
    const Step& close = minimal().steps[9];  // "server.conn": "TIME-WAIT"
    std::vector<TcpState> states = {TcpState::Listen, TcpState::TimeWait, TcpState::Closed};
    EXPECT_TRUE(checkStates(minimal(), close, states).empty());
    states[kConn] = TcpState::Closed;
    const auto mismatch = checkStates(minimal(), close, states);
    ASSERT_EQ(mismatch.size(), 1u);
    EXPECT_EQ(mismatch[0].path, "/steps/9/expect/states");
    EXPECT_EQ(mismatch[0].message,
              "server.conn was expected in TIME-WAIT, the kernel shows CLOSED");
}

}  // namespace
}  // namespace osilab::lesson
