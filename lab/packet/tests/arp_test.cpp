// ARP and RARP, checked against tshark 4.0 for the same packets.
#include <gtest/gtest.h>

#include "lab/packet/tests/network_test_util.h"

namespace osilab::packet::testing {
namespace {

TEST(Arp, RequestFieldsAndInfo) {
    DissectedCapture c = dissectCapture(netCorpus("good/gateway_or_not.pcap"));
    ASSERT_EQ(c.frames.size(), 14u);
    const size_t f = 8;  // frame 9
    EXPECT_TRUE(hasField(c, f, "arp.hw.type", "1", 14, 2));
    EXPECT_TRUE(hasField(c, f, "arp.proto.type", "0x0800", 16, 2));
    EXPECT_TRUE(hasField(c, f, "arp.hw.size", "6", 18, 1));
    EXPECT_TRUE(hasField(c, f, "arp.proto.size", "4", 19, 1));
    EXPECT_TRUE(hasField(c, f, "arp.opcode", "1", 20, 2));
    EXPECT_TRUE(hasField(c, f, "arp.src.hw_mac", "08:00:27:e5:28:d1", 22, 6));
    EXPECT_TRUE(hasField(c, f, "arp.src.proto_ipv4", "10.20.30.41", 28, 4));
    EXPECT_TRUE(hasField(c, f, "arp.dst.hw_mac", "00:00:00:00:00:00", 32, 6));
    EXPECT_TRUE(hasField(c, f, "arp.dst.proto_ipv4", "10.20.30.40", 38, 4));
    EXPECT_STREQ(findField(c.frames[f], "arp.opcode")->meaning, "request");
    EXPECT_EQ(findField(c.frames[f], "arp.isgratuitous"), nullptr);

    const Dissection& d = c.frames[f];
    EXPECT_EQ(d.summary.protocol, Protocol::Arp);
    EXPECT_EQ(d.summary.info, "Who has 10.20.30.40? Tell 10.20.30.41");
    // ARP has no IP header: the summary keeps the Ethernet addresses, as tshark does.
    EXPECT_EQ(d.summary.source, "08:00:27:e5:28:d1");
    EXPECT_EQ(d.summary.destination, "aa:00:04:00:14:0e");
    const Layer* arp = findLayer(d, Protocol::Arp);
    ASSERT_NE(arp, nullptr);
    EXPECT_EQ(arp->osi, OsiLayer::DataLink);
    EXPECT_EQ(arp->begin, 14u);
    EXPECT_EQ(arp->end, 42u);
}

TEST(Arp, ReplyInfo) {
    DissectedCapture c = dissectCapture(netCorpus("good/gateway_or_not.pcap"));
    const Dissection& d = c.frames.at(10);  // frame 11
    EXPECT_EQ(d.summary.info, "10.20.30.40 is at aa:00:04:00:14:0e");
    EXPECT_TRUE(hasField(c, 10, "arp.opcode", "2", 20, 2));
    EXPECT_STREQ(findField(d, "arp.opcode")->meaning, "reply");
}

TEST(Arp, ReverseArpOpcodes) {
    // rarp_req_reply.pcap is the corpus pcapng converted with `editcap -F pcap`.
    DissectedCapture c = dissectCapture(netTestData("rarp_req_reply.pcap"));
    ASSERT_EQ(c.frames.size(), 2u);
    EXPECT_TRUE(hasField(c, 0, "arp.opcode", "3", 20, 2));
    EXPECT_STREQ(findField(c.frames[0], "arp.opcode")->meaning, "reverse request");
    EXPECT_EQ(c.frames[0].summary.info, "Who is 00:0c:29:34:0b:de? Tell 00:0c:29:34:0b:de");
    EXPECT_TRUE(hasField(c, 1, "arp.opcode", "4", 20, 2));
    EXPECT_TRUE(hasField(c, 1, "arp.dst.proto_ipv4", "10.1.1.100", 38, 4));
    EXPECT_EQ(c.frames[1].summary.info, "00:0c:29:34:0b:de is at 10.1.1.100");
}

TEST(Arp, LongHardwareAddressesAndGratuitousRequest) {
    // Hardware type 12336 with 14-byte addresses behind an 802.1ad tag.
    DissectedCapture c = dissectCapture(netCorpus("bad/arp-too-long-tha.pcap"));
    ASSERT_EQ(c.frames.size(), 1u);
    EXPECT_TRUE(hasField(c, 0, "arp.hw.size", "14", 22, 1));
    EXPECT_TRUE(hasField(c, 0, "arp.isgratuitous", "1", 18, 0));
    EXPECT_TRUE(hasField(c, 0, "arp.src.hw", "30:30:30:30:30:30:30:30:30:30:30:30:30:30", 26, 14));
    EXPECT_TRUE(hasField(c, 0, "arp.src.proto_ipv4", "48.48.48.48", 40, 4));
    EXPECT_TRUE(hasField(c, 0, "arp.dst.hw", "30:30:30:30:30:30:30:30:30:30:30:30:30:30", 44, 14));
    EXPECT_TRUE(hasField(c, 0, "ieee8021ah.trailer", "30:30", 62, 2));
    EXPECT_EQ(c.frames[0].summary.info, "Gratuitous ARP for 48.48.48.48 (Request)");
}

TEST(Arp, ZeroLengthAddresses) {
    DissectedCapture c = dissectCapture(netCorpus("bad/getname_2_read4_asan.pcap"));
    ASSERT_EQ(c.frames.size(), 1u);
    EXPECT_TRUE(hasField(c, 0, "arp.hw.size", "0", 18, 1));
    EXPECT_EQ(findField(c.frames[0], "arp.src.hw"), nullptr);
    EXPECT_EQ(c.frames[0].summary.info, "<No address> is at <No address>");
}

TEST(Arp, TruncatedMessageIsAProblem) {
    DissectedCapture c = dissectCapture(netCorpus("good/gateway_or_not.pcap"));
    std::vector<uint8_t> cut(c.bytes(8).begin(), c.bytes(8).begin() + 30);
    PacketView v;
    v.link_type = linktype::kEthernet;
    v.data = cut.data();
    v.cap_len = v.orig_len = static_cast<uint32_t>(cut.size());
    Dissection d = dissectOne(v);
    EXPECT_TRUE(hasProblem(d, Protocol::Arp, ProblemKind::Truncated));
    EXPECT_NE(findField(d, "arp.opcode"), nullptr);
    EXPECT_EQ(findField(d, "arp.src.proto_ipv4"), nullptr);  // bytes 28..31 are cut
}

}  // namespace
}  // namespace osilab::packet::testing
