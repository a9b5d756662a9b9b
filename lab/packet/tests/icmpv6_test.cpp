// ICMPv6: ping, errors with quoted IPv6 datagrams, neighbour discovery, router advertisements
// and MLD, checked against tshark 4.0 for the same packets.
#include <gtest/gtest.h>

#include "lab/packet/tests/network_test_util.h"

namespace osilab::packet::testing {
namespace {

TEST(Icmpv6, EchoRequest) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const size_t f = 2;
    EXPECT_TRUE(hasField(c, f, "icmpv6.type", "128", 54, 1));
    EXPECT_TRUE(hasField(c, f, "icmpv6.code", "0", 55, 1));
    EXPECT_TRUE(hasField(c, f, "icmpv6.checksum", "0x547f", 56, 2));
    EXPECT_TRUE(hasField(c, f, "icmpv6.checksum.status", "1", 56, 0));
    EXPECT_TRUE(hasField(c, f, "icmpv6.echo.identifier", "0x30bf", 58, 2));
    EXPECT_TRUE(hasField(c, f, "icmpv6.echo.sequence_number", "1", 60, 2));
    const Dissection& d = c.frames[f];
    EXPECT_EQ(d.summary.protocol, Protocol::Icmpv6);
    EXPECT_EQ(d.summary.info, "Echo (ping) request id=0x30bf, seq=1, hop limit=64");
    EXPECT_EQ(findLayer(d, Protocol::Icmpv6)->osi, OsiLayer::Network);
    EXPECT_EQ(d.layers.back().protocol, Protocol::Data);
    EXPECT_EQ(d.layers.back().begin, 62u);
}

TEST(Icmpv6, PortUnreachableQuotesTheIpv6Datagram) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const size_t f = 7;
    const Dissection& d = c.frames[f];
    EXPECT_TRUE(hasField(c, f, "icmpv6.type", "1", 54, 1));
    EXPECT_TRUE(hasField(c, f, "icmpv6.code", "4", 55, 1));
    EXPECT_TRUE(hasField(c, f, "icmpv6.checksum.status", "1", 56, 0));
    EXPECT_TRUE(hasField(c, f, "icmpv6.reserved", "00:00:00:00", 58, 4));
    EXPECT_TRUE(hasField(c, f, "ipv6.flow", "0x06d07e", 63, 3, 1));
    EXPECT_TRUE(hasField(c, f, "ipv6.plen", "11", 66, 2, 1));
    EXPECT_TRUE(hasField(c, f, "udp.dstport", "9", 104, 2));
    EXPECT_EQ(d.summary.info, "Destination Unreachable (Port unreachable)");
    EXPECT_EQ(protocols(d),
              (std::vector<Protocol>{Protocol::Ethernet, Protocol::Ipv6, Protocol::Icmpv6}));
    EXPECT_EQ(d.conversation, ConversationKind::None);
}

TEST(Icmpv6, ErrorsAndNeighbourDiscoveryFromRawSockets) {
    DissectedCapture c = dissectCapture(netTestData("icmp_errors_loopback.pcap"));
    ASSERT_EQ(c.frames.size(), 18u);
    EXPECT_EQ(c.frames[7].summary.info, "Time Exceeded (hop limit exceeded in transit)");
    EXPECT_EQ(c.frames[8].summary.info, "Packet Too Big");
    EXPECT_TRUE(hasField(c, 8, "icmpv6.mtu", "1280", 58, 4));
    EXPECT_EQ(c.frames[9].summary.info, "Parameter Problem (erroneous header field encountered)");
    EXPECT_TRUE(hasField(c, 9, "icmpv6.pointer", "6", 58, 4));

    EXPECT_EQ(c.frames[10].summary.info, "Router Solicitation from 02:00:00:00:00:01");
    EXPECT_TRUE(hasField(c, 10, "icmpv6.opt.type", "1", 62, 1));
    EXPECT_TRUE(hasField(c, 10, "icmpv6.opt.length", "1", 63, 1));
    EXPECT_TRUE(hasField(c, 10, "icmpv6.opt.linkaddr", "02:00:00:00:00:01", 64, 6));

    EXPECT_EQ(c.frames[11].summary.info, "Neighbor Solicitation for ::1 from 02:00:00:00:00:01");
    EXPECT_TRUE(hasField(c, 11, "icmpv6.nd.ns.target_address", "::1", 62, 16));

    // The kernel answered that solicitation itself: solicited, no link-layer option on lo.
    EXPECT_EQ(c.frames[12].summary.info, "Neighbor Advertisement ::1 (sol)");
    EXPECT_TRUE(hasField(c, 12, "icmpv6.nd.na.flag", "0x40000000", 58, 4));
    EXPECT_TRUE(hasField(c, 12, "icmpv6.nd.na.flag.r", "0", 58, 4));
    EXPECT_TRUE(hasField(c, 12, "icmpv6.nd.na.flag.s", "1", 58, 4));
    EXPECT_TRUE(hasField(c, 12, "icmpv6.nd.na.target_address", "::1", 62, 16));
    EXPECT_EQ(c.frames[13].summary.info,
              "Neighbor Advertisement ::1 (sol, ovr) is at 02:00:00:00:00:01");

    EXPECT_EQ(c.frames[14].summary.info, "Redirect is at 02:00:00:00:00:01");
    EXPECT_TRUE(hasField(c, 14, "icmpv6.rd.na.destination_address", "::1", 78, 16));
    EXPECT_EQ(c.frames[15].summary.info, "Multicast Listener Query");
    EXPECT_TRUE(hasField(c, 15, "icmpv6.mld.maximum_response_delay", "1000", 58, 2));
    EXPECT_TRUE(hasField(c, 15, "icmpv6.mld.multicast_address", "ff02::1:ff00:1", 62, 16));
    EXPECT_EQ(c.frames[16].summary.info, "Multicast Listener Report");
    EXPECT_EQ(c.frames[17].summary.info, "Multicast Listener Done");
    for (size_t i = 7; i < 18; ++i)
        EXPECT_TRUE(hasField(c, i, "icmpv6.checksum.status", "1", 56, 0)) << "frame " << i + 1;
}

TEST(Icmpv6, RouterAdvertisement) {
    DissectedCapture c = dissectCapture(netCorpus("good/icmpv6.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_EQ(d.summary.info, "Router Advertisement from b0:99:28:c8:d6:6c");
    EXPECT_TRUE(hasField(c, 0, "icmpv6.nd.ra.cur_hop_limit", "64", 58, 1));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.nd.ra.flag", "0x20", 59, 1));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.nd.ra.flag.h", "1", 59, 1));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.nd.ra.flag.prf", "0", 59, 1));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.nd.ra.router_lifetime", "15", 60, 2));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.opt.prefix.length", "72", 72, 1));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.opt.prefix.flag.a", "1", 73, 1));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.opt.prefix.valid_lifetime", "2592000", 74, 4));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.opt.prefix", "2222:3333:4444:5555:6600::", 86, 16));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.opt.rdnss", "1234:5678::1", 126, 16, 1));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.opt.mtu", "100", 202, 4));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.opt.linkaddr", "b0:99:28:c8:d6:6c", 208, 6));
    EXPECT_TRUE(hasField(c, 0, "icmpv6.checksum.status", "1", 56, 0));
}

TEST(Icmpv6, MulticastListenerV2) {
    DissectedCapture c = dissectCapture(netCorpus("good/icmpv6.pcap"));
    EXPECT_EQ(c.frames.at(1).summary.info, "Multicast Listener Report Message v2");
    EXPECT_TRUE(hasField(c, 1, "icmpv6.mldr.nb_mcast_records", "1", 68, 2));
    EXPECT_TRUE(hasField(c, 1, "icmpv6.mldr.mar.record_type", "4", 70, 1));
    EXPECT_TRUE(hasField(c, 1, "icmpv6.mldr.mar.multicast_address", "ff02::db8:1122:3344", 74, 16));
    EXPECT_TRUE(hasField(c, 3, "icmpv6.mldr.mar.multicast_address", "ff02::1:ff00:2", 134, 16, 3));
    // The query (frame 3) is MLDv2: 28 bytes or more.
    EXPECT_TRUE(hasField(c, 2, "icmpv6.mld.maximum_response_code", "10000", 66, 2));
    EXPECT_TRUE(hasField(c, 2, "icmpv6.mld.flag.qrv", "2", 86, 1));
    EXPECT_TRUE(hasField(c, 2, "icmpv6.mld.qqi", "60", 87, 1));
}

TEST(Icmpv6, ZeroLengthOptionIsMalformed) {
    // Take the router solicitation and set its option length to 0.
    DissectedCapture c = dissectCapture(netTestData("icmp_errors_loopback.pcap"));
    std::vector<uint8_t> bytes = c.bytes(10);
    bytes[63] = 0;
    PacketView v;
    v.link_type = linktype::kEthernet;
    v.data = bytes.data();
    v.cap_len = v.orig_len = static_cast<uint32_t>(bytes.size());
    Dissection d = dissectOne(v);
    EXPECT_TRUE(hasProblem(d, Protocol::Icmpv6, ProblemKind::Malformed));
    EXPECT_EQ(findField(d, "icmpv6.opt.linkaddr"), nullptr);
}

}  // namespace
}  // namespace osilab::packet::testing
