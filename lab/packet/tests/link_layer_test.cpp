// Link layers: Ethernet II (also on Linux lo, where both MACs are zero), 802.1Q / 802.1ad tags,
// Linux cooked capture v1 and v2, BSD loopback (DLT_NULL, DLT_LOOP) and raw IP. Expected values
// are what `tshark -T pdml` (4.0) shows for the same packets.
#include <gtest/gtest.h>

#include "lab/packet/tests/network_test_util.h"

namespace osilab::packet::testing {
namespace {

TEST(Ethernet, LoopbackFrameHasZeroMacsAndTypeIpv4) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    ASSERT_GE(c.frames.size(), 1u);
    EXPECT_TRUE(hasField(c, 0, "eth.dst", "00:00:00:00:00:00", 0, 6));
    EXPECT_TRUE(hasField(c, 0, "eth.dst.lg", "0", 0, 3));
    EXPECT_TRUE(hasField(c, 0, "eth.dst.ig", "0", 0, 3));
    EXPECT_TRUE(hasField(c, 0, "eth.src", "00:00:00:00:00:00", 6, 6));
    EXPECT_TRUE(hasField(c, 0, "eth.type", "0x0800", 12, 2));
    const Field* type = findField(c.frames[0], "eth.type");
    ASSERT_NE(type, nullptr);
    ASSERT_NE(type->meaning, nullptr);
    EXPECT_STREQ(type->meaning, "IPv4");
    const Field* ig = findField(c.frames[0], "eth.dst.ig");
    EXPECT_EQ(ig->depth, 1);  // nested under eth.dst
    const Layer& eth = c.frames[0].layers.at(0);
    EXPECT_EQ(eth.protocol, Protocol::Ethernet);
    EXPECT_EQ(eth.osi, OsiLayer::DataLink);
    EXPECT_EQ(eth.begin, 0u);
    EXPECT_EQ(eth.end, 14u);
}

TEST(Ethernet, RealMacsAndGroupBits) {
    DissectedCapture c = dissectCapture(netCorpus("good/802.1ad_QinQ.pcap"));
    ASSERT_EQ(c.frames.size(), 2u);
    EXPECT_TRUE(hasField(c, 0, "eth.dst", "ff:ff:ff:ff:ff:ff", 0, 6));
    EXPECT_TRUE(hasField(c, 0, "eth.dst.lg", "1", 0, 3));
    EXPECT_TRUE(hasField(c, 0, "eth.dst.ig", "1", 0, 3));  // broadcast is a group address
    EXPECT_TRUE(hasField(c, 0, "eth.src", "00:20:d2:5a:fb:3f", 6, 6));
    EXPECT_TRUE(hasField(c, 0, "eth.type", "0x88a8", 12, 2));
}

TEST(Vlan, QinQServiceTagThenCustomerTagThenArp) {
    DissectedCapture c = dissectCapture(netCorpus("good/802.1ad_QinQ.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_EQ(protocols(d), (std::vector<Protocol>{Protocol::Ethernet, Protocol::Vlan,
                                                   Protocol::Vlan, Protocol::Arp}));
    EXPECT_TRUE(hasField(c, 0, "ieee8021ad.priority", "0", 14, 1));
    EXPECT_TRUE(hasField(c, 0, "ieee8021ad.dei", "0", 14, 1));
    EXPECT_TRUE(hasField(c, 0, "ieee8021ad.id", "200", 14, 2));
    EXPECT_TRUE(hasField(c, 0, "ieee8021ah.etype", "0x8100", 16, 2));
    EXPECT_TRUE(hasField(c, 0, "vlan.priority", "0", 18, 2));
    EXPECT_TRUE(hasField(c, 0, "vlan.dei", "0", 18, 2));
    EXPECT_TRUE(hasField(c, 0, "vlan.id", "2001", 18, 2));
    EXPECT_TRUE(hasField(c, 0, "vlan.etype", "0x0806", 20, 2));
    // The 64-byte frame: ARP ends at 50, zeros pad to 60, then 4 trailer bytes.
    EXPECT_TRUE(hasField(c, 0, "eth.padding", "00:00:00:00:00:00:00:00:00:00", 50, 10));
    EXPECT_TRUE(hasField(c, 0, "vlan.trailer", "00:00:00:00", 60, 4));
    EXPECT_EQ(d.layers[1].osi, OsiLayer::DataLink);
    EXPECT_EQ(d.layers[3].end, 50u);
}

TEST(Vlan, SingleTagCarryingIpv4) {
    DissectedCapture c = dissectCapture(netCorpus("good/ipv4_tcp_http_xml.pcap"));
    ASSERT_EQ(c.frames.size(), 1u);
    const Dissection& d = c.frames[0];
    ASSERT_GE(d.layers.size(), 3u);
    EXPECT_EQ(d.layers[1].protocol, Protocol::Vlan);
    EXPECT_EQ(d.layers[2].protocol, Protocol::Ipv4);
    EXPECT_TRUE(hasField(c, 0, "vlan.etype", "0x0800", 16, 2));
}

TEST(LinuxSll, CookedV1OnTheAnyDevice) {
    DissectedCapture c = dissectCapture(netTestData("sll_loopback.pcap"));
    ASSERT_GE(c.frames.size(), 1u);
    EXPECT_EQ(c.cap.link_type, linktype::kLinuxSll);
    EXPECT_TRUE(hasField(c, 0, "sll.pkttype", "0", 0, 2));
    EXPECT_TRUE(hasField(c, 0, "sll.hatype", "772", 2, 2));  // loopback
    EXPECT_TRUE(hasField(c, 0, "sll.halen", "6", 4, 2));
    EXPECT_TRUE(hasField(c, 0, "sll.src.eth", "00:00:00:00:00:00", 6, 6));
    EXPECT_TRUE(hasField(c, 0, "sll.unused", "00:00", 12, 2));
    EXPECT_TRUE(hasField(c, 0, "sll.etype", "0x0800", 14, 2));
    EXPECT_EQ(c.frames[0].layers.at(0).protocol, Protocol::LinuxSll);
    EXPECT_EQ(c.frames[0].layers.at(1).protocol, Protocol::Ipv4);
    EXPECT_EQ(c.frames[0].summary.protocol, Protocol::Icmp);
}

TEST(LinuxSll, CookedV1WithoutAddress) {
    DissectedCapture c = dissectCapture(netCorpus("good/tcp-handshake-nano.pcap"));
    EXPECT_TRUE(hasField(c, 0, "sll.pkttype", "4", 0, 2));  // sent by us
    EXPECT_TRUE(hasField(c, 0, "sll.hatype", "512", 2, 2));
    EXPECT_TRUE(hasField(c, 0, "sll.halen", "0", 4, 2));
    EXPECT_TRUE(hasField(c, 0, "sll.unused", "00:00:00:00:00:00:00:00", 6, 8));
    EXPECT_EQ(findField(c.frames[0], "sll.src.eth"), nullptr);
}

TEST(LinuxSll, CookedV2) {
    DissectedCapture c = dissectCapture(netTestData("sll2_loopback.pcap"));
    ASSERT_GE(c.frames.size(), 3u);
    EXPECT_TRUE(hasField(c, 0, "sll.etype", "0x0800", 0, 2));
    EXPECT_TRUE(hasField(c, 0, "sll.ifindex", "1", 4, 4));
    EXPECT_TRUE(hasField(c, 0, "sll.hatype", "772", 8, 2));
    EXPECT_TRUE(hasField(c, 0, "sll.pkttype", "0", 10, 1));
    EXPECT_TRUE(hasField(c, 0, "sll.halen", "6", 11, 1));
    EXPECT_TRUE(hasField(c, 0, "sll.src.eth", "00:00:00:00:00:00", 12, 6));
    EXPECT_TRUE(hasField(c, 0, "sll.unused", "00:00", 18, 2));
    EXPECT_TRUE(hasField(c, 2, "sll.etype", "0x86dd", 0, 2));
    EXPECT_EQ(c.frames[2].layers.at(1).protocol, Protocol::Ipv6);
}

TEST(LinuxSll, CookedV2GreTunnelNamesTheProtocolGretype) {
    DissectedCapture c = dissectCapture(netCorpus("good/babel-sll2.pcap"));
    EXPECT_TRUE(hasField(c, 0, "sll.gretype", "0x86dd", 0, 2));
    EXPECT_TRUE(hasField(c, 0, "sll.ifindex", "3", 4, 4));
    EXPECT_TRUE(hasField(c, 0, "sll.hatype", "778", 8, 2));
    EXPECT_EQ(c.frames[0].layers.at(1).protocol, Protocol::Ipv6);
}

TEST(NullLoopback, HostOrderFamilies) {
    DissectedCapture v4 = dissectCapture(netCorpus("good/dns-badcookie.pcap"));
    EXPECT_TRUE(hasField(v4, 0, "null.family", "2", 0, 4));
    EXPECT_EQ(v4.frames[0].layers.at(1).protocol, Protocol::Ipv4);
    DissectedCapture v6 = dissectCapture(netCorpus("good/icmpv6-RFC2894-RR.pcap"));
    EXPECT_TRUE(hasField(v6, 0, "null.family", "28", 0, 4));  // FreeBSD's AF_INET6
    EXPECT_EQ(v6.frames[0].layers.at(1).protocol, Protocol::Ipv6);
    DissectedCapture mac = dissectCapture(netCorpus("good/quic_handshake.pcap"));
    EXPECT_TRUE(hasField(mac, 0, "null.family", "30", 0, 4));  // macOS's AF_INET6
    EXPECT_EQ(mac.frames[0].summary.source, "::1");
}

// A 4-byte family then a minimal IPv4 header (127.0.0.1 → 127.0.0.1, protocol 253).
std::vector<uint8_t> loopbackFrame(uint8_t f0, uint8_t f1, uint8_t f2, uint8_t f3) {
    return {f0, f1,  f2,   f3,   0x45, 0, 0, 20, 0,   1, 0, 0,
            64, 253, 0x7c, 0xe1, 127,  0, 0, 1,  127, 0, 0, 1};
}

Dissection dissectBytes(uint32_t link_type, const std::vector<uint8_t>& bytes) {
    PacketView v;
    v.link_type = link_type;
    v.data = bytes.data();
    v.cap_len = static_cast<uint32_t>(bytes.size());
    v.orig_len = v.cap_len;
    return dissectOne(v);
}

TEST(NullLoopback, ByteOrderDetectedAsWiresharkDoes) {
    // DLT_NULL written by a big-endian machine: 00 00 00 02 has high bits set when read
    // little-endian, so it is read big-endian (tshark shows family 2 for it as well).
    std::vector<uint8_t> be = loopbackFrame(0, 0, 0, 2);
    Dissection d = dissectBytes(linktype::kNull, be);
    const Field* family = findField(d, "null.family");
    ASSERT_NE(family, nullptr);
    EXPECT_EQ(family->number, 2u);
    EXPECT_EQ(d.layers.at(1).protocol, Protocol::Ipv4);
    // DLT_LOOP is always network order.
    Dissection loop = dissectBytes(linktype::kLoop, be);
    ASSERT_NE(findField(loop, "null.family"), nullptr);
    EXPECT_EQ(findField(loop, "null.family")->number, 2u);
    EXPECT_EQ(loop.summary.source, "127.0.0.1");
    // An unknown family leaves the rest as data.
    Dissection other = dissectBytes(linktype::kNull, loopbackFrame(7, 0, 0, 0));
    EXPECT_EQ(other.layers.at(1).protocol, Protocol::Data);
}

TEST(RawIp, VersionNibblePicksTheProtocol) {
    DissectedCapture v4 = dissectCapture(netCorpus("good/LINKTYPE_RAW_ipv4.pcap"));
    EXPECT_EQ(v4.frames[0].layers.at(0).protocol, Protocol::Ipv4);
    EXPECT_TRUE(hasField(v4, 0, "ip.src", "192.168.1.100", 12, 4));
    DissectedCapture v6 = dissectCapture(netCorpus("good/LINKTYPE_RAW_ipv6.pcap"));
    EXPECT_EQ(v6.frames[0].layers.at(0).protocol, Protocol::Ipv6);
    DissectedCapture only6 = dissectCapture(netCorpus("good/LINKTYPE_IPV6.pcap"));
    EXPECT_TRUE(hasField(only6, 0, "ipv6.dst", "2620:fe::9", 24, 16));
}

TEST(RawIp, BadVersionIsDataWithAProblem) {
    DissectedCapture c = dissectCapture(netCorpus("bad/heap-overflow-1.pcap"));
    ASSERT_EQ(c.frames.size(), 1u);
    EXPECT_EQ(protocols(c.frames[0]), std::vector<Protocol>{Protocol::Data});
    EXPECT_TRUE(hasProblem(c.frames[0], Protocol::Data, ProblemKind::Malformed));
}

TEST(Ethernet, FrameCutInsideTheHeaderIsTruncated) {
    std::vector<uint8_t> bytes = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    Dissection d = dissectBytes(linktype::kEthernet, bytes);
    ASSERT_EQ(d.layers.size(), 1u);
    EXPECT_TRUE(hasProblem(d, Protocol::Ethernet, ProblemKind::Truncated));
    ASSERT_NE(findField(d, "eth.dst"), nullptr);
    EXPECT_EQ(findField(d, "eth.src"), nullptr);
}

TEST(Ethernet, Ieee8023LengthFrameIsShownAsData) {
    // kday4.pcap frame 3: 802.3 length 512 with LLC; tshark shows eth.len.
    DissectedCapture c = dissectCapture(netCorpus("bad/kday4.pcap"));
    ASSERT_GE(c.frames.size(), 3u);
    EXPECT_TRUE(hasField(c, 2, "eth.len", "512", 12, 2));
    EXPECT_EQ(findField(c.frames[2], "eth.type"), nullptr);
    EXPECT_EQ(c.frames[2].layers.at(1).protocol, Protocol::Data);
}

TEST(Ethernet, SummaryPathBuildsNoFields) {
    DissectedCapture full = dissectCapture(netCorpus("good/802.1ad_QinQ.pcap"));
    DissectedCapture fast = dissectCapture(netCorpus("good/802.1ad_QinQ.pcap"), false);
    for (size_t i = 0; i < full.frames.size(); ++i) {
        EXPECT_TRUE(fast.frames[i].fields.empty());
        EXPECT_EQ(protocols(fast.frames[i]), protocols(full.frames[i]));
        EXPECT_EQ(fast.frames[i].summary.info, full.frames[i].summary.info);
        EXPECT_EQ(fast.frames[i].summary.source, full.frames[i].summary.source);
    }
}

}  // namespace
}  // namespace osilab::packet::testing
