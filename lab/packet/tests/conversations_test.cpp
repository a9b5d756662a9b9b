// Conversation tracking: stream numbering, relative numbers, phases and bounded memory.
#include "lab/packet/conversations.h"

#include <gtest/gtest.h>

namespace osilab::packet {
namespace {

using namespace tcpflag;

Endpoint v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
    Endpoint e;
    e.family = 4;
    e.addr[0] = a, e.addr[1] = b, e.addr[2] = c, e.addr[3] = d;
    e.port = port;
    return e;
}

Endpoint v4n(uint32_t n, uint16_t port) {
    return v4(10, uint8_t(n >> 16), uint8_t(n >> 8), uint8_t(n), port);
}

struct Conn {
    Conversations& c;
    Endpoint client, server;
    uint64_t frame = 0;
    TcpSegmentInfo send(bool from_client, uint32_t seq, uint32_t ack, uint16_t flags,
                        uint32_t len = 0, int shift = -1) {
        TcpSegmentDetails details;
        details.window_shift = shift;
        return from_client
                   ? c.onTcpSegment(client, server, seq, ack, flags, len, ++frame, 0, details)
                   : c.onTcpSegment(server, client, seq, ack, flags, len, ++frame, 0, details);
    }
};

TEST(Conversations, EndpointText) {
    EXPECT_EQ(v4(127, 0, 0, 1, 8080).toString(), "127.0.0.1:8080");
    Endpoint six;
    six.family = 6;
    six.addr[15] = 1;
    six.port = 53;
    EXPECT_EQ(six.toString(), "[::1]:53");
    EXPECT_STREQ(tcpPhaseName(TcpPhase::Teardown), "teardown");
}

TEST(Conversations, HandshakeDataTeardown) {
    Conversations c;
    Conn k{c, v4(127, 0, 0, 1, 55920), v4(127, 0, 0, 1, 80)};
    const uint32_t isn_c = 0xfffffff0u, isn_s = 1000;  // the client's ISN wraps around 2^32
    TcpSegmentInfo i = k.send(true, isn_c, 0, kSyn);
    EXPECT_EQ(i.stream, 0u);
    EXPECT_TRUE(i.new_stream);
    EXPECT_EQ(i.rel_seq, 0u);
    EXPECT_EQ(i.next_rel_seq, 1u);
    EXPECT_EQ(i.phase, TcpPhase::Handshake);
    i = k.send(false, isn_s, isn_c + 1, kSyn | kAck);
    EXPECT_EQ(i.direction, 1);
    EXPECT_EQ(i.rel_ack, 1u);
    EXPECT_EQ(i.phase, TcpPhase::Handshake);
    i = k.send(true, isn_c + 1, isn_s + 1, kAck);
    EXPECT_EQ(i.phase, TcpPhase::Data);
    i = k.send(true, isn_c + 1, isn_s + 1, kPsh | kAck, 100);
    EXPECT_EQ(i.rel_seq, 1u);
    EXPECT_EQ(i.next_rel_seq, 101u);
    i = k.send(false, isn_s + 1, isn_c + 101, kAck);
    EXPECT_EQ(i.rel_ack, 101u);
    i = k.send(false, isn_s + 1, isn_c + 101, kFin | kAck);  // the server closes first
    EXPECT_EQ(i.phase, TcpPhase::Teardown);
    EXPECT_EQ(i.next_rel_seq, 2u);
    i = k.send(true, isn_c + 101, isn_s + 2, kFin | kAck);
    EXPECT_EQ(i.phase, TcpPhase::Teardown);  // the client's FIN is not acknowledged yet
    i = k.send(false, isn_s + 2, isn_c + 102, kAck);
    EXPECT_EQ(i.phase, TcpPhase::Closed);

    const TcpStream* s = c.tcpStream(0);
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->handshakeComplete());
    EXPECT_TRUE(s->teardownComplete());
    EXPECT_EQ(s->first_closer, 1);
    EXPECT_EQ(s->client, k.client);
    EXPECT_EQ(s->server, k.server);
    EXPECT_EQ(s->payload_bytes[0], 100u);
    EXPECT_EQ(s->packets[0], 4u);
    EXPECT_EQ(s->packets[1], 4u);
    EXPECT_EQ(s->first_frame, 1u);
    EXPECT_EQ(s->last_frame, 8u);
    EXPECT_EQ(c.tcpStreams().size(), 1u);
}

TEST(Conversations, ResetEndsTheStream) {
    Conversations c;
    Conn k{c, v4(127, 0, 0, 1, 40000), v4(127, 0, 0, 1, 9)};
    k.send(true, 5, 0, kSyn);
    TcpSegmentInfo i = k.send(false, 0, 6, kRst | kAck);
    EXPECT_EQ(i.phase, TcpPhase::Reset);
    EXPECT_EQ(i.rel_seq, 1u);  // no ISN seen for the server: its first segment counts as 1
    EXPECT_EQ(i.rel_ack, 1u);
    EXPECT_TRUE(c.tcpStream(0)->rst_seen);
    EXPECT_FALSE(c.tcpStream(0)->handshakeComplete());
}

TEST(Conversations, PortReuseStartsANewStreamOnlyForANewIsn) {
    Conversations c;
    Conn k{c, v4(10, 0, 0, 1, 1000), v4(10, 0, 0, 2, 80)};
    k.send(true, 100, 0, kSyn);
    k.send(false, 500, 101, kSyn | kAck);
    k.send(true, 101, 501, kFin | kAck);
    k.send(false, 501, 102, kFin | kAck);
    k.send(true, 102, 502, kAck);
    // Same ISN again: Wireshark calls it a retransmission, same stream.
    EXPECT_EQ(k.send(true, 100, 0, kSyn).stream, 0u);
    // A new ISN: a new connection on the same ports.
    TcpSegmentInfo i = k.send(true, 9000, 0, kSyn);
    EXPECT_EQ(i.stream, 1u);
    EXPECT_TRUE(i.new_stream);
    EXPECT_EQ(i.rel_seq, 0u);
    EXPECT_EQ(i.phase, TcpPhase::Handshake);
    EXPECT_EQ(k.send(false, 7000, 9001, kSyn | kAck).stream, 1u);
    EXPECT_EQ(c.tcpStream(0)->phase, TcpPhase::Closed);
    EXPECT_EQ(c.tcpStream(1)->syn_seen, true);
    // Both directions of the address pair find the same stream.
    EXPECT_EQ(c.onTcpSegment(k.server, k.client, 7001, 9001, kAck, 0, 99, 0).stream, 1u);
}

TEST(Conversations, JoinedMidStreamCountsFromOne) {
    Conversations c;
    Conn k{c, v4(10, 0, 0, 3, 2000), v4(10, 0, 0, 2, 80)};
    TcpSegmentInfo i = k.send(true, 7000, 8000, kPsh | kAck, 3);
    EXPECT_EQ(i.rel_seq, 1u);
    EXPECT_EQ(i.rel_ack, 1u);
    EXPECT_EQ(i.next_rel_seq, 4u);
    EXPECT_EQ(i.phase, TcpPhase::Data);
    EXPECT_EQ(i.window_shift, -1);  // unknown without the SYNs
    i = k.send(false, 8000, 7003, kAck);
    EXPECT_EQ(i.rel_seq, 1u);
    EXPECT_EQ(i.rel_ack, 4u);
    EXPECT_EQ(c.tcpStream(0)->client, k.client);
}

TEST(Conversations, LoneSynAckNamesTheServer) {
    Conversations c;
    Endpoint server = v4(10, 0, 0, 2, 80), client = v4(10, 0, 0, 1, 3333);
    TcpSegmentInfo i = c.onTcpSegment(server, client, 500, 101, kSyn | kAck, 0, 1, 0);
    EXPECT_EQ(i.direction, 1);
    EXPECT_EQ(c.tcpStream(0)->client, client);
    EXPECT_EQ(c.tcpStream(0)->server, server);
}

TEST(Conversations, AckFieldIsRawWithoutTheAckFlag) {
    Conversations c;
    Conn k{c, v4(10, 0, 0, 1, 1), v4(10, 0, 0, 2, 2)};
    EXPECT_EQ(k.send(true, 1000, 555, kSyn).rel_ack, 555u);
}

TEST(Conversations, WindowScalingNeedsBothSyns) {
    Conversations c;
    Conn both{c, v4(10, 0, 0, 1, 1), v4(10, 0, 0, 2, 2)};
    both.send(true, 1, 0, kSyn, 0, 7);
    both.send(false, 1, 2, kSyn | kAck, 0, 15);  // shifts above 14 count as 14
    EXPECT_EQ(both.send(true, 2, 2, kAck).window_shift, 7);
    EXPECT_EQ(both.send(false, 2, 2, kAck).window_shift, 14);

    Conn one{c, v4(10, 0, 0, 1, 3), v4(10, 0, 0, 2, 4)};
    one.send(true, 1, 0, kSyn, 0, 3);
    one.send(false, 1, 2, kSyn | kAck);  // no option in the SYN-ACK: nobody scales
    EXPECT_EQ(one.send(true, 2, 2, kAck).window_shift, -2);
    EXPECT_EQ(one.send(false, 2, 2, kAck).window_shift, -2);

    Conn half{c, v4(10, 0, 0, 1, 5), v4(10, 0, 0, 2, 6)};
    half.send(true, 1, 0, kSyn, 0, 7);  // only the client's SYN was captured
    EXPECT_EQ(half.send(true, 2, 9, kAck).window_shift, 7);
    EXPECT_EQ(half.send(false, 9, 2, kAck).window_shift, -1);
}

TEST(Conversations, AccurateEcnNegotiation) {
    Conversations c;
    Conn k{c, v4(10, 0, 0, 1, 1), v4(10, 0, 0, 2, 2)};
    EXPECT_FALSE(k.send(true, 1, 0, kSyn | kAe | kCwr | kEce).ace);
    EXPECT_FALSE(k.send(false, 1, 2, kSyn | kAck | kCwr).ace);
    EXPECT_TRUE(k.send(true, 2, 2, kAck).ace);
    Conn classic{c, v4(10, 0, 0, 1, 3), v4(10, 0, 0, 2, 4)};
    classic.send(true, 1, 0, kSyn | kAe | kCwr | kEce);
    classic.send(false, 1, 2, kSyn | kAck | kEce);  // classic ECN answer: no AccECN
    EXPECT_FALSE(classic.send(true, 2, 2, kAck | kEce).ace);
}

TEST(Conversations, UdpFlowsByAddressPair) {
    Conversations c;
    Endpoint a = v4(10, 0, 0, 1, 5000), b = v4(10, 0, 0, 2, 53), other = v4(10, 0, 0, 3, 5000);
    EXPECT_EQ(c.onUdpDatagram(a, b, 10, 1, 0), 0u);
    EXPECT_EQ(c.onUdpDatagram(b, a, 30, 2, 5), 0u);
    EXPECT_EQ(c.onUdpDatagram(other, b, 1, 3, 6), 1u);
    const UdpFlow* f = c.udpFlow(0);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->a, a);
    EXPECT_EQ(f->payload_bytes[0], 10u);
    EXPECT_EQ(f->payload_bytes[1], 30u);
    EXPECT_EQ(f->last_time_ns, 5);
    EXPECT_EQ(c.udpFlows().size(), 2u);
    EXPECT_EQ(c.udpFlow(7), nullptr);
}

TEST(Conversations, WithoutHistoryFinishedStreamsAreForgotten) {
    Conversations::Options options;
    options.keep_history = false;
    Conversations c(options);
    const uint32_t kStreams = 300000;
    for (uint32_t n = 0; n < kStreams; ++n) {
        Conn k{c, v4n(n, 40000), v4(10, 255, 0, 1, 80)};
        ASSERT_EQ(k.send(true, 1, 0, kSyn).stream, n);
        k.send(false, 1, 2, kSyn | kAck);
        k.send(true, 2, 2, kFin | kAck);
        k.send(false, 2, 3, kFin | kAck);
        k.send(true, 3, 3, kAck);
        ASSERT_LE(c.liveTcpStreamCount(), Conversations::kFinishedTcpWindow + 1);
    }
    EXPECT_EQ(c.tcpStream(0), nullptr);
    ASSERT_NE(c.tcpStream(kStreams - 1), nullptr);
    EXPECT_EQ(c.tcpStream(kStreams - 1)->phase, TcpPhase::Closed);
    EXPECT_EQ(c.tcpStreams().size(), c.liveTcpStreamCount());
    EXPECT_EQ(c.tcpStreams().back()->index, kStreams - 1);
}

TEST(Conversations, WithoutHistoryIdleConversationsAreCapped) {
    Conversations::Options options;
    options.keep_history = false;
    Conversations c(options);
    Conn keep{c, v4(10, 254, 0, 1, 1), v4(10, 254, 0, 2, 2)};
    keep.send(true, 1, 0, kSyn);
    const uint32_t kHalfOpen = 100000;  // a SYN scan: streams that never finish
    for (uint32_t n = 0; n < kHalfOpen; ++n) {
        c.onTcpSegment(v4n(n, 1234), v4(10, 255, 0, 1, 80), n, 0, kSyn, 0, n + 2, 0);
        if (n % 1000 == 0) keep.send(true, 2, 0, kAck);  // recently used: survives
        c.onUdpDatagram(v4n(n, 53), v4(10, 255, 0, 1, 53), 1, n, 0);
    }
    EXPECT_LE(c.liveTcpStreamCount(), Conversations::kMaxLiveTcp);
    EXPECT_LE(c.liveUdpFlowCount(), Conversations::kMaxLiveUdp);
    EXPECT_EQ(c.onUdpDatagram(v4n(kHalfOpen - 1, 53), v4(10, 255, 0, 1, 53), 1, 0, 0),
              kHalfOpen - 1);  // recent flows keep their index
    EXPECT_EQ(c.onUdpDatagram(v4n(0, 53), v4(10, 255, 0, 1, 53), 1, 0, 0), kHalfOpen);
    ASSERT_NE(c.tcpStream(0), nullptr);
    EXPECT_EQ(c.tcpStream(0)->packets[0], 101u);
    EXPECT_EQ(c.tcpStream(1), nullptr);
}

// Forgetting finished streams must not disturb the ones still open: their stream numbers and
// relative sequence numbers stay what they were (the key index moves entries on deletion).
TEST(Conversations, WithoutHistoryOpenStreamsSurviveChurn) {
    Conversations::Options options;
    options.keep_history = false;
    Conversations c(options);
    std::vector<Conn> open;
    for (uint32_t n = 0; n < 2000; ++n) {
        open.push_back(Conn{c, v4n(n, 1000), v4(10, 254, 0, 1, 80)});
        ASSERT_EQ(open.back().send(true, 100, 0, kSyn).stream, n);
        open.back().send(false, 500, 101, kSyn | kAck);
        open.back().send(true, 101, 501, kAck);
    }
    for (uint32_t n = 0; n < 60000; ++n) {
        Conn k{c, v4n(n, 2000), v4(10, 253, 0, 1, 80)};
        ASSERT_EQ(k.send(true, 7, 0, kSyn).stream, 2000 + n);
        k.send(false, 9, 8, kSyn | kAck);
        k.send(true, 8, 10, kFin | kAck);
        k.send(false, 10, 9, kFin | kAck);
        k.send(true, 9, 11, kAck);
        Conn& o = open[(n * 7919) % open.size()];
        const TcpSegmentInfo i = o.send(true, 101 + n, 501, kAck | kPsh, 1);
        ASSERT_EQ(i.stream, (n * 7919) % open.size());
        ASSERT_FALSE(i.new_stream);
        ASSERT_EQ(i.rel_seq, 1 + n);
        ASSERT_EQ(i.rel_ack, 1u);
    }
    EXPECT_EQ(c.tcpStream(2000), nullptr);  // long finished: forgotten
    EXPECT_EQ(c.liveTcpStreamCount(), 2000 + Conversations::kFinishedTcpWindow);
}

// With history, an address pair keeps its number however many others come between.
TEST(Conversations, WithHistoryFlowsKeepTheirNumber) {
    Conversations c;
    for (uint32_t round = 0; round < 3; ++round) {
        for (uint32_t n = 0; n < 20000; ++n) {
            const uint32_t pair = (n * 7919) % 20000;
            const uint32_t index = c.onUdpDatagram(v4n(pair, 5353), v4(10, 255, 0, 1, 53), 1,
                                                   round * 20000 + n + 1, 0);
            ASSERT_EQ(index, n) << "round " << round;  // numbered by first appearance
        }
    }
    EXPECT_EQ(c.udpFlows().size(), 20000u);
}

TEST(Conversations, WithHistoryEverythingStays) {
    Conversations c;
    for (uint32_t n = 0; n < 5000; ++n) {
        Conn k{c, v4n(n, 40000), v4(10, 255, 0, 1, 80)};
        k.send(true, 1, 0, kSyn);
        k.send(false, 1, 2, kRst | kAck);
    }
    std::vector<const TcpStream*> all = c.tcpStreams();
    ASSERT_EQ(all.size(), 5000u);
    for (uint32_t n = 0; n < 5000; ++n) EXPECT_EQ(all[n]->index, n);
    EXPECT_EQ(c.tcpStream(0)->phase, TcpPhase::Reset);
}

}  // namespace
}  // namespace osilab::packet
