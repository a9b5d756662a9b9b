// IPv6 header, extension headers, jumbograms, fragments and malformed headers, checked against
// tshark 4.0 (run with -o ipv6.defragment:FALSE).
#include <gtest/gtest.h>

#include "lab/packet/tests/network_test_util.h"

namespace osilab::packet::testing {
namespace {

TEST(Ipv6, HeaderFieldsOfAPing) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const size_t f = 2;  // ping -6 ::1
    EXPECT_TRUE(hasField(c, f, "ipv6.version", "6", 14, 1));
    EXPECT_TRUE(hasField(c, f, "ipv6.tclass", "0x00000000", 14, 4));
    EXPECT_TRUE(hasField(c, f, "ipv6.tclass.dscp", "0", 14, 4));
    EXPECT_TRUE(hasField(c, f, "ipv6.tclass.ecn", "0", 14, 4));
    EXPECT_TRUE(hasField(c, f, "ipv6.flow", "0x0e7ca2", 15, 3));
    EXPECT_TRUE(hasField(c, f, "ipv6.plen", "64", 18, 2));
    EXPECT_TRUE(hasField(c, f, "ipv6.nxt", "58", 20, 1));
    EXPECT_TRUE(hasField(c, f, "ipv6.hlim", "64", 21, 1));
    EXPECT_TRUE(hasField(c, f, "ipv6.src", "::1", 22, 16));
    EXPECT_TRUE(hasField(c, f, "ipv6.dst", "::1", 38, 16));
    const Dissection& d = c.frames[f];
    EXPECT_STREQ(findField(d, "ipv6.nxt")->meaning, "ICMPv6");
    EXPECT_EQ(d.summary.source, "::1");
    const Layer* ip = findLayer(d, Protocol::Ipv6);
    ASSERT_NE(ip, nullptr);
    EXPECT_EQ(ip->osi, OsiLayer::Network);
    EXPECT_EQ(ip->end, 54u);
}

TEST(Ipv6, TrafficClassAndFlowLabel) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const size_t f = 14;  // ping -6 -F 0x12345 -Q 0x2e
    EXPECT_TRUE(hasField(c, f, "ipv6.tclass", "0x0000002e", 14, 4));
    EXPECT_TRUE(hasField(c, f, "ipv6.tclass.dscp", "11", 14, 4));
    EXPECT_TRUE(hasField(c, f, "ipv6.tclass.ecn", "2", 14, 4));
    EXPECT_TRUE(hasField(c, f, "ipv6.flow", "0x012345", 15, 3));
}

TEST(Ipv6, LongExtensionHeaderChain) {
    // 100 extension headers (hop-by-hop, then routing / fragment / destination options over and
    // over) before UDP; tshark walks them all.
    DissectedCapture c = dissectCapture(netCorpus("good/ipv6_ext_headers.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "ipv6.nxt", "0", 20, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.hopopts.nxt", "43", 54, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.hopopts.len", "0", 55, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.hopopts.len_oct", "8", 55, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.opt.type", "0x01", 56, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.opt.length", "4", 57, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.opt.padn", "01:02:00:00", 58, 4));
    EXPECT_TRUE(hasField(c, 0, "ipv6.routing.type", "0", 64, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.routing.src.reserved", "00:00:00:00", 66, 4));
    EXPECT_TRUE(hasField(c, 0, "ipv6.fraghdr.nxt", "60", 70, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.fraghdr.offset", "0", 72, 2));
    EXPECT_TRUE(hasField(c, 0, "ipv6.fraghdr.more", "0", 72, 2));
    EXPECT_TRUE(hasField(c, 0, "ipv6.fraghdr.ident", "0x00000001", 74, 4));
    EXPECT_TRUE(hasField(c, 0, "ipv6.dstopts.len_oct", "8", 79, 1));
    int headers = 0;
    for (const Field& f : d.fields)
        if (f.kind == FieldKind::Label && f.depth == 0 &&
            std::string(f.info->name).rfind("ipv6.", 0) == 0)
            ++headers;
    EXPECT_EQ(headers, 100);
    const Layer* ip = findLayer(d, Protocol::Ipv6);
    EXPECT_EQ(ip->end, 854u);  // header and every extension header
    ASSERT_NE(findLayer(d, Protocol::Udp), nullptr);
    EXPECT_EQ(findLayer(d, Protocol::Udp)->begin, 854u);
    EXPECT_FALSE(ip->has_problem);  // atomic fragments (offset 0, no more) are whole packets
}

TEST(Ipv6, RoutingHeaderChangesTheFinalDestination) {
    DissectedCapture c = dissectCapture(netCorpus("good/ipv6-routing-header.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "ipv6.dst", "2200::240:2:0:0:4", 38, 16));
    EXPECT_TRUE(hasField(c, 0, "ipv6.routing.nxt", "58", 54, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.routing.len", "2", 55, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.routing.len_oct", "24", 55, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.routing.segleft", "1", 57, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.routing.src.addr", "2200::210:2:0:0:4", 62, 16));
    // tshark's Destination column and the ICMPv6 pseudo-header use the last address.
    EXPECT_EQ(d.summary.destination, "2200::210:2:0:0:4");
    EXPECT_TRUE(hasField(c, 0, "icmpv6.checksum.status", "1", 80, 0));
    EXPECT_TRUE(hasField(c, 0, "ipv6.src_slaac_mac", "00:12:3f:ae:22:f7", 30, 8));
}

TEST(Ipv6, Jumbogram) {
    DissectedCapture c = dissectCapture(netCorpus("good/ipv6_jumbogram_1.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "ipv6.plen", "0", 18, 2));
    EXPECT_TRUE(hasField(c, 0, "ipv6.opt.type", "0xc2", 56, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.opt.type.action", "3", 56, 1));
    EXPECT_TRUE(hasField(c, 0, "ipv6.opt.jumbo", "65536", 58, 4));
    const Layer* icmp = findLayer(d, Protocol::Icmpv6);
    ASSERT_NE(icmp, nullptr);
    EXPECT_EQ(icmp->begin, 62u);
    EXPECT_TRUE(hasField(c, 0, "icmpv6.checksum.status", "1", 64, 0));
    EXPECT_EQ(d.summary.info, "Echo (ping) request id=0x11e0, seq=51486, hop limit=227");
}

TEST(Ipv6, FragmentsAreNotReassembled) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const Dissection& first = c.frames.at(20);
    EXPECT_TRUE(hasField(c, 20, "ipv6.fraghdr.more", "1", 56, 2));
    EXPECT_TRUE(hasField(c, 20, "ipv6.fraghdr.ident", "0x1ec5ddd4", 58, 4));
    EXPECT_TRUE(hasProblem(first, Protocol::Ipv6, ProblemKind::Unusual));
    EXPECT_EQ(first.summary.protocol, Protocol::Icmpv6);
    const Dissection& second = c.frames.at(21);
    EXPECT_TRUE(hasField(c, 21, "ipv6.fraghdr.offset", "154", 56, 2));
    EXPECT_EQ(second.summary.info, "IPv6 fragment (off=1232 more=n ident=0x1ec5ddd4 nxt=58)");
    EXPECT_EQ(protocols(second),
              (std::vector<Protocol>{Protocol::Ethernet, Protocol::Ipv6, Protocol::Data}));
}

TEST(Ipv6, PayloadLengthZeroWithoutJumboOptionIsData) {
    DissectedCapture c = dissectCapture(netCorpus("bad/bigtcp-ipv6.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasProblem(d, Protocol::Ipv6, ProblemKind::Malformed));
    EXPECT_EQ(d.layers.back().protocol, Protocol::Data);
    EXPECT_EQ(findLayer(d, Protocol::Tcp), nullptr);
}

TEST(Ipv6, HeaderShorterThan40Bytes) {
    DissectedCapture c = dissectCapture(netCorpus("bad/ipv6_invalid_length.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "ipv6.src", "2605:bc80:3010:104::8cd3:9ce", 22, 16));
    EXPECT_EQ(findField(d, "ipv6.dst"), nullptr);
    EXPECT_TRUE(hasProblem(d, Protocol::Ipv6, ProblemKind::Truncated));
}

TEST(Ipv6, BogusVersionIsShownAsDataFromTheHeaderStart) {
    DissectedCapture c = dissectCapture(netCorpus("bad/ipv6-bad-version.pcap"));
    const Dissection& d = c.frames.at(1);
    EXPECT_TRUE(hasField(c, 1, "ipv6.version", "0", 14, 1));
    EXPECT_TRUE(hasProblem(d, Protocol::Ipv6, ProblemKind::Malformed));
    ASSERT_EQ(d.layers.back().protocol, Protocol::Data);
    EXPECT_EQ(d.layers.back().begin, 14u);
    EXPECT_EQ(d.summary.info, "Bogus IPv6 version (0, must be 6)");
}

TEST(Ipv6, PayloadLengthBeyondTheFrame) {
    DissectedCapture c = dissectCapture(netCorpus("bad/ipv6_invalid_length_2.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "ipv6.plen", "65", 18, 2));
    EXPECT_TRUE(hasProblem(d, Protocol::Ipv6, ProblemKind::Malformed));
    EXPECT_NE(findLayer(d, Protocol::Udp), nullptr);
}

}  // namespace
}  // namespace osilab::packet::testing
