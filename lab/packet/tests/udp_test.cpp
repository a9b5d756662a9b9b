// UDP header, flows and bad length fields, checked against tshark 4.0 for the same packets.
#include <gtest/gtest.h>

#include "lab/packet/tests/transport_test_util.h"

namespace osilab::packet::testing {
namespace {

TEST(Udp, HeaderFieldsAndInfoMatchTshark) {
    TestCapture cap = readPcap(corpus("good/dns_udp.pcap"));
    Conversations conversations;
    Dissection d;
    dissectTransport(cap, 0, &conversations, d);
    ASSERT_GE(d.layers.size(), 1u);
    EXPECT_EQ(d.layers[0].protocol, Protocol::Udp);
    EXPECT_EQ(d.layers[0].osi, OsiLayer::Transport);
    EXPECT_EQ(d.layers[0].begin, 34u);
    EXPECT_EQ(d.layers[0].end, 42u);
    const Field* f = findField(d, "udp.srcport");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->number, 43966u);
    EXPECT_EQ(f->begin, 34u);
    EXPECT_EQ(f->end, 36u);
    EXPECT_EQ(number(d, "udp.dstport"), 53u);
    EXPECT_EQ(number(d, "udp.length"), 64u);
    EXPECT_EQ(show(cap, 0, d, findField(d, "udp.checksum")), "0x7824");
    f = findField(d, "udp.stream");
    EXPECT_EQ(f->number, 0u);
    EXPECT_EQ(f->begin, 42u);  // tshark puts the generated stream index after the header
    EXPECT_EQ(f->end, 42u);
    f = findField(d, "udp.payload");
    EXPECT_EQ(f->begin, 42u);
    EXPECT_EQ(f->end, 98u);
    EXPECT_EQ(d.conversation, ConversationKind::UdpFlow);
    EXPECT_EQ(d.conversation_index, 0u);
}

TEST(Udp, PlainDatagramsShowPortsAndLength) {
    TestCapture cap = readPcap(testData("chat_loopback.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    // tshark -r chat_loopback.pcap: frames 11 and 12
    EXPECT_EQ(d[10].summary.info, "51373 → 9001 Len=11");
    EXPECT_EQ(d[10].summary.protocol, Protocol::Udp);
    EXPECT_EQ(number(d[10], "udp.length"), 19u);
    EXPECT_EQ(show(cap, 10, d[10], findField(d[10], "udp.checksum")), "0xfe26");
    EXPECT_EQ(number(d[10], "udp.stream"), 0u);
    EXPECT_EQ(value(cap, 10, d[10], findField(d[10], "data.text")), "你好 UDP\n");
    EXPECT_EQ(d[11].summary.info, "46151 → 9001 Len=4");
    EXPECT_EQ(number(d[11], "udp.stream"), 1u);
    EXPECT_EQ(findField(d[11], "data.text"), nullptr);  // binary bytes are not text
    const UdpFlow* flow = conversations.udpFlow(0);
    ASSERT_NE(flow, nullptr);
    EXPECT_EQ(flow->a.toString(), "127.0.0.1:51373");
    EXPECT_EQ(flow->b.toString(), "127.0.0.1:9001");
    EXPECT_EQ(flow->payload_bytes[0], 11u);
    EXPECT_EQ(flow->packets[0], 1u);
    EXPECT_EQ(flow->packets[1], 0u);
}

TEST(Udp, FlowIndexesFollowAddressPairs) {
    TestCapture cap = readPcap(corpus("good/syslog_udp.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    // tshark -T fields -e udp.stream: 0 1 2 2
    const uint32_t streams[] = {0, 1, 2, 2};
    for (size_t i = 0; i < 4; ++i) EXPECT_EQ(number(d[i], "udp.stream"), streams[i]);
    EXPECT_EQ(d[0].summary.info, "47565 → 514 Len=51");
    EXPECT_EQ(conversations.udpFlow(2)->packets[0], 2u);
}

TEST(Udp, BadLengthFieldsBecomeProblems) {
    TestCapture cap = readPcap(testData("transport_malformed.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);

    // Frame 4: length 5, less than the header itself. tshark stops at the length field; the
    // three bytes after the header are shown as data.
    const Dissection& small = d[3];
    EXPECT_EQ(small.summary.info, "5000 → 9999 [BAD UDP LENGTH 5 < 8]");
    EXPECT_EQ(findField(small, "udp.checksum"), nullptr);
    EXPECT_EQ(findField(small, "udp.stream"), nullptr);
    EXPECT_EQ(small.conversation, ConversationKind::None);
    ASSERT_EQ(small.layers.size(), 2u);
    EXPECT_TRUE(small.layers[0].has_problem);
    EXPECT_EQ(small.layers[1].protocol, Protocol::Data);
    EXPECT_EQ(small.layers[1].begin, 42u);
    EXPECT_EQ(small.layers[1].end, 45u);
    EXPECT_EQ(small.problems.at(0).message,
              "the UDP length field says 5 bytes, less than the 8-byte UDP header itself; the rest "
              "is shown as data");

    // Frame 5: length 50, but the IP packet has 11 bytes of UDP.
    const Dissection& big = d[4];
    EXPECT_EQ(big.summary.info, "5000 → 9999 [BAD UDP LENGTH 50 > IP PAYLOAD LENGTH] Len=42");
    EXPECT_TRUE(hasProblem(big, ProblemKind::Malformed));
    EXPECT_EQ(value(cap, 4, big, findField(big, "udp.payload")), "61:62:63");
    EXPECT_EQ(value(cap, 4, big, findField(big, "data.data")), "61:62:63");
    EXPECT_EQ(number(big, "udp.stream"), 0u);

    // Frame 6: length 9 in a 14-byte IP payload: one byte of data (tshark's udp.payload still
    // spans everything IP carried).
    const Dissection& shorter = d[5];
    EXPECT_EQ(shorter.summary.info, "5000 → 9999 Len=1");
    EXPECT_EQ(value(cap, 5, shorter, findField(shorter, "udp.payload")), "61:62:63:64:65:66");
    EXPECT_EQ(value(cap, 5, shorter, findField(shorter, "data.data")), "61");
    EXPECT_TRUE(shorter.problems.empty());

    // Frame 7: an empty datagram, checksum 0 (not computed).
    EXPECT_EQ(d[6].summary.info, "5000 → 9999 Len=0");
    EXPECT_EQ(show(cap, 6, d[6], findField(d[6], "udp.checksum")), "0x0000");
    EXPECT_EQ(findField(d[6], "udp.payload"), nullptr);
    EXPECT_EQ(d[6].layers.size(), 1u);
}

TEST(Udp, CutHeaderAndOverflowingLengthStayInBounds) {
    TestCapture cap = readPcap(corpus("bad/udp-length-heapoverflow.pcap"));
    Conversations conversations;
    Dissection d;
    dissectTransport(cap, 0, &conversations, d);
    EXPECT_EQ(d.summary.info, "12336 → 12336[Packet size limited during capture]");
    EXPECT_TRUE(hasProblem(d, ProblemKind::Truncated));
    EXPECT_EQ(number(d, "udp.srcport"), 12336u);
    EXPECT_EQ(findField(d, "udp.length"), nullptr);

    for (const char* name : {"bad/dns-zlip-1.pcap", "bad/dns-zlip-2.pcap", "bad/dns-zlip-3.pcap"}) {
        SCOPED_TRACE(name);
        TestCapture z = readPcap(corpus(name));
        dissectTransport(z, 0, &conversations, d);
        EXPECT_EQ(d.summary.info, "1024 → 53 Len=0");  // UDP length 8: no DNS at all
        EXPECT_EQ(d.layers.size(), 1u);
    }
}

TEST(Udp, SummaryPathKeepsFlowsAndInfo) {
    TestCapture cap = readPcap(corpus("good/syslog_udp.pcap"));
    Conversations conversations;
    Dissection d;
    for (size_t i = 0; i < cap.packets.size(); ++i) {
        dissectTransport(cap, i, &conversations, d, /*fields=*/false);
        EXPECT_TRUE(d.fields.empty());
    }
    EXPECT_EQ(d.summary.info, "52693 → 514 Len=78");
    EXPECT_EQ(d.conversation_index, 2u);
}

// The whole path through the link and network dissectors (IPv6 over BSD loopback).
TEST(Udp, FullDissectorOverIpv6) {
    TestCapture cap = readPcap(corpus("good/quic_handshake.pcap"));
    Dissector dissector;
    Dissection d;
    dissector.dissect(cap.view(0), {}, d);
    EXPECT_EQ(d.summary.info, "50606 → 443 Len=1200");
    EXPECT_EQ(d.summary.protocol, Protocol::Udp);
    EXPECT_EQ(d.conversation, ConversationKind::UdpFlow);
    const Layer* data = findLayer(d, Protocol::Data);
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->end - data->begin, 1200u);
    const UdpFlow* flow = dissector.conversations().udpFlow(0);
    ASSERT_NE(flow, nullptr);
    EXPECT_EQ(flow->a.toString(), "[::1]:50606");
}

}  // namespace
}  // namespace osilab::packet::testing
