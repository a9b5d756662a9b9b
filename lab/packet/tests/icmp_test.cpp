// ICMP: ping, the errors a UDP socket causes, and their quoted datagrams, checked against
// tshark 4.0 for the same packets.
#include <gtest/gtest.h>

#include "lab/packet/tests/network_test_util.h"

namespace osilab::packet::testing {
namespace {

TEST(Icmp, EchoRequestFieldsAndInfo) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "icmp.type", "8", 34, 1));
    EXPECT_TRUE(hasField(c, 0, "icmp.code", "0", 35, 1));
    EXPECT_TRUE(hasField(c, 0, "icmp.checksum", "0x4304", 36, 2));
    EXPECT_TRUE(hasField(c, 0, "icmp.checksum.status", "1", 36, 0));
    EXPECT_TRUE(hasField(c, 0, "icmp.ident", "12478", 38, 2));
    EXPECT_TRUE(hasField(c, 0, "icmp.ident_le", "48688", 38, 2));
    EXPECT_TRUE(hasField(c, 0, "icmp.seq", "1", 40, 2));
    EXPECT_TRUE(hasField(c, 0, "icmp.seq_le", "256", 40, 2));
    EXPECT_TRUE(hasField(c, 0, "icmp.data_time", "Nov 24, 2026 18:57:59.000000000 UTC", 42, 8));
    EXPECT_TRUE(hasField(c, 0, "icmp.data_time_relative", "0.336075000", 42, 8));
    EXPECT_STREQ(findField(d, "icmp.type")->meaning, "Echo (ping) request");
    EXPECT_EQ(d.summary.protocol, Protocol::Icmp);
    EXPECT_EQ(d.summary.info, "Echo (ping) request  id=0x30be, seq=1/256, ttl=64");
    const Layer* icmp = findLayer(d, Protocol::Icmp);
    ASSERT_NE(icmp, nullptr);
    EXPECT_EQ(icmp->osi, OsiLayer::Network);
    // After the 8-byte timestamp, ping's pattern bytes are data.
    ASSERT_EQ(d.layers.back().protocol, Protocol::Data);
    EXPECT_EQ(d.layers.back().begin, 50u);
    EXPECT_EQ(d.layers.back().end, 98u);
    EXPECT_EQ(c.frames.at(1).summary.info, "Echo (ping) reply    id=0x30be, seq=1/256, ttl=64");
}

TEST(Icmp, PortUnreachableQuotesTheUdpDatagram) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const size_t f = 5;  // echo hi | nc -u 127.0.0.1 9 → port unreachable
    const Dissection& d = c.frames.at(f);
    EXPECT_TRUE(hasField(c, f, "icmp.type", "3", 34, 1));
    EXPECT_TRUE(hasField(c, f, "icmp.code", "3", 35, 1));
    EXPECT_TRUE(hasField(c, f, "icmp.checksum", "0xcaab", 36, 2));
    EXPECT_TRUE(hasField(c, f, "icmp.checksum.status", "1", 36, 0));
    EXPECT_TRUE(hasField(c, f, "icmp.unused", "00:00:00:00", 38, 4));
    EXPECT_STREQ(findField(d, "icmp.code")->meaning, "Port unreachable");
    // The quoted IPv4 header and UDP header, with the same names, inside the ICMP layer.
    EXPECT_TRUE(hasField(c, f, "ip.len", "31", 44, 2, 1));
    EXPECT_TRUE(hasField(c, f, "ip.id", "0x3b8f", 46, 2, 1));
    EXPECT_TRUE(hasField(c, f, "ip.proto", "17", 51, 1, 1));
    EXPECT_TRUE(hasField(c, f, "udp.srcport", "49588", 62, 2));
    EXPECT_TRUE(hasField(c, f, "udp.dstport", "9", 64, 2));
    EXPECT_EQ(protocols(d),
              (std::vector<Protocol>{Protocol::Ethernet, Protocol::Ipv4, Protocol::Icmp}));
    const Layer* icmp = findLayer(d, Protocol::Icmp);
    EXPECT_EQ(icmp->begin, 34u);
    EXPECT_EQ(icmp->end, 73u);
    EXPECT_EQ(icmp->first_field + icmp->field_count, d.fields.size());
    // Headings name the quoted protocols; quoted fields nest one level deeper.
    const Field* heading = findField(d, "ip");
    ASSERT_NE(heading, nullptr);
    EXPECT_EQ(heading->kind, FieldKind::Label);
    EXPECT_EQ(heading->depth, 0);
    EXPECT_EQ(findField(d, "ip.ttl", 1)->depth, 1);
    EXPECT_EQ(findField(d, "ip.flags.df", 1)->depth, 2);
    // The quote does not change the summary and is not traffic of its own.
    EXPECT_EQ(d.summary.protocol, Protocol::Icmp);
    EXPECT_EQ(d.summary.info, "Destination unreachable (Port unreachable)");
    EXPECT_EQ(d.summary.source, "127.0.0.1");
    EXPECT_EQ(d.conversation, ConversationKind::None);
    EXPECT_TRUE(d.problems.empty());
}

TEST(Icmp, ErrorTypesFromRawSockets) {
    DissectedCapture c = dissectCapture(netTestData("icmp_errors_loopback.pcap"));
    ASSERT_EQ(c.frames.size(), 18u);
    EXPECT_EQ(c.frames[0].summary.info, "Time-to-live exceeded (Time to live exceeded in transit)");
    EXPECT_TRUE(hasField(c, 0, "ip.ttl", "1", 50, 1, 1));  // the quoted TTL that ran out
    EXPECT_EQ(c.frames[1].summary.info, "Destination unreachable (Fragmentation needed)");
    EXPECT_TRUE(hasField(c, 1, "icmp.unused", "00:00", 38, 2));
    EXPECT_TRUE(hasField(c, 1, "icmp.mtu", "1280", 40, 2));
    EXPECT_EQ(c.frames[2].summary.info, "Destination unreachable (Host unreachable)");
    EXPECT_EQ(c.frames[3].summary.info, "Parameter problem    (Pointer indicates the error)");
    EXPECT_TRUE(hasField(c, 3, "icmp.pointer", "20", 38, 1));
    EXPECT_TRUE(hasField(c, 3, "icmp.unused", "00:00:00", 39, 3));
    EXPECT_EQ(c.frames[4].summary.info, "Redirect             (Redirect for host)");
    EXPECT_TRUE(hasField(c, 4, "icmp.redir_gw", "127.0.0.2", 38, 4));
    EXPECT_EQ(c.frames[5].summary.info, "Timestamp request    id=0x0042, seq=7/1792, ttl=64");
    EXPECT_TRUE(hasField(c, 5, "icmp.originate_timestamp", "1000", 42, 4));
    EXPECT_TRUE(hasField(c, 5, "icmp.transmit_timestamp", "0", 50, 4));
    EXPECT_EQ(c.frames[6].summary.info, "Timestamp reply      id=0x0042, seq=7/1792, ttl=64");
    for (size_t i = 0; i < 7; ++i)
        EXPECT_TRUE(hasField(c, i, "icmp.checksum.status", "1", 36, 0)) << "frame " << i + 1;
}

TEST(Icmp, MessageTooShortForTheHeader) {
    // IPv4 total length 23: a 3-byte ICMP message (tshark: malformed, no ICMP fields).
    DissectedCapture c = dissectCapture(netCorpus("bad/icmp-icmp_print-oobr-1.pcap"));
    const Dissection& d = c.frames.at(0);
    ASSERT_NE(findLayer(d, Protocol::Icmp), nullptr);
    EXPECT_EQ(findField(d, "icmp.type"), nullptr);
    EXPECT_TRUE(hasProblem(d, Protocol::Icmp, ProblemKind::Truncated));
}

TEST(Icmp, ChecksumOfACutMessageIsNotChecked) {
    DissectedCapture c = dissectCapture(netCorpus("bad/extract_read2_asan.pcap"));
    EXPECT_TRUE(hasField(c, 0, "icmp.checksum", "0x0303", 30, 2));
    EXPECT_TRUE(hasField(c, 0, "icmp.checksum.status", "2", 30, 0));
}

TEST(Icmp, DamagedChecksumIsAProblem) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    std::vector<uint8_t> bad = c.bytes(0);
    bad[60] ^= 0x01;  // one bit of ping's data flipped on the way
    PacketView v;
    v.link_type = linktype::kEthernet;
    v.data = bad.data();
    v.cap_len = v.orig_len = static_cast<uint32_t>(bad.size());
    Dissection d = dissectOne(v);
    const Field* status = findField(d, "icmp.checksum.status");
    ASSERT_NE(status, nullptr);
    EXPECT_EQ(status->number, 0u);
    EXPECT_TRUE(hasProblem(d, Protocol::Icmp, ProblemKind::Malformed));
}

}  // namespace
}  // namespace osilab::packet::testing
