// IPv4 header, options, fragments, lengths and malformed headers, checked against tshark 4.0
// (run with -o ip.defragment:FALSE: OSI Lab does not reassemble).
#include <gtest/gtest.h>

#include "lab/packet/internet_checksum.h"
#include "lab/packet/tests/network_test_util.h"

namespace osilab::packet::testing {
namespace {

TEST(Ipv4, HeaderFieldsOfAPing) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    ASSERT_EQ(c.frames.size(), 24u);
    EXPECT_TRUE(hasField(c, 0, "ip.version", "4", 14, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.hdr_len", "20", 14, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.dsfield", "0x00", 15, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.dsfield.dscp", "0", 15, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.dsfield.ecn", "0", 15, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.len", "84", 16, 2));
    EXPECT_TRUE(hasField(c, 0, "ip.id", "0xb4d2", 18, 2));
    EXPECT_TRUE(hasField(c, 0, "ip.flags", "0x02", 20, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.flags.rb", "0", 20, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.flags.df", "1", 20, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.flags.mf", "0", 20, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.frag_offset", "0", 20, 2));
    EXPECT_TRUE(hasField(c, 0, "ip.ttl", "64", 22, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.proto", "1", 23, 1));
    EXPECT_TRUE(hasField(c, 0, "ip.checksum", "0x87d4", 24, 2));
    EXPECT_TRUE(hasField(c, 0, "ip.src", "127.0.0.1", 26, 4));
    EXPECT_TRUE(hasField(c, 0, "ip.dst", "127.0.0.1", 30, 4));
    const Dissection& d = c.frames[0];
    EXPECT_STREQ(findField(d, "ip.proto")->meaning, "ICMP");
    EXPECT_EQ(findField(d, "ip.flags.df")->depth, 1);  // nested under ip.flags
    EXPECT_EQ(findField(d, "ip.ttl")->depth, 0);
    const Layer* ip = findLayer(d, Protocol::Ipv4);
    ASSERT_NE(ip, nullptr);
    EXPECT_EQ(ip->osi, OsiLayer::Network);
    EXPECT_EQ(ip->begin, 14u);
    EXPECT_EQ(ip->end, 34u);
    EXPECT_FALSE(ip->has_problem);  // checksum right, not a fragment
    EXPECT_EQ(d.summary.source, "127.0.0.1");
    EXPECT_EQ(d.summary.destination, "127.0.0.1");
}

TEST(Ipv4, DifferentiatedServices) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    EXPECT_TRUE(hasField(c, 12, "ip.dsfield", "0xb8", 15, 1));  // ping -Q 0xb8
    EXPECT_TRUE(hasField(c, 12, "ip.dsfield.dscp", "46", 15, 1));
    EXPECT_STREQ(findField(c.frames[12], "ip.dsfield.dscp")->meaning, "Expedited Forwarding");
}

TEST(Ipv4, RecordRouteOption) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const size_t f = 8;  // ping -R
    EXPECT_TRUE(hasField(c, f, "ip.hdr_len", "60", 14, 1));
    EXPECT_TRUE(hasField(c, f, "ip.options.nop", "01", 34, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.type", "1", 34, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.type", "7", 35, 1, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.type.number", "7", 35, 1, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.len", "39", 36, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.ptr", "8", 37, 1));
    EXPECT_TRUE(hasField(c, f, "ip.rec_rt", "127.0.0.1", 38, 4));
    EXPECT_TRUE(hasField(c, f, "ip.empty_rt", "0.0.0.0", 42, 4));
    EXPECT_TRUE(hasField(c, f, "ip.empty_rt", "0.0.0.0", 70, 4, 7));
    EXPECT_EQ(c.frames[f].layers.at(2).protocol, Protocol::Icmp);
    EXPECT_EQ(c.frames[f].layers.at(2).begin, 74u);
}

TEST(Ipv4, TimestampOption) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const size_t f = 10;  // ping -T tsonly
    EXPECT_TRUE(hasField(c, f, "ip.opt.type", "68", 34, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.type.class", "2", 34, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.len", "40", 35, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.ptr", "9", 36, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.overflow", "0", 37, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.flag", "0x00", 37, 1));
    EXPECT_TRUE(hasField(c, f, "ip.opt.time_stamp", "68279353", 38, 4));
}

TEST(Ipv4, FirstFragmentCarriesTheTransportHeader) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const Dissection& first = c.frames.at(16);  // 1400-byte ping, lo MTU 1280
    EXPECT_TRUE(hasField(c, 16, "ip.flags", "0x01", 20, 1));
    EXPECT_TRUE(hasField(c, 16, "ip.flags.mf", "1", 20, 1));
    EXPECT_TRUE(hasProblem(first, Protocol::Ipv4, ProblemKind::Unusual));
    EXPECT_EQ(first.summary.protocol, Protocol::Icmp);
    // The checksum covers bytes in the other fragment: it cannot be checked here.
    EXPECT_TRUE(hasField(c, 16, "icmp.checksum.status", "2", 36, 0));
}

TEST(Ipv4, LaterFragmentIsData) {
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    const Dissection& second = c.frames.at(17);
    EXPECT_TRUE(hasField(c, 17, "ip.frag_offset", "157", 20, 2));  // in 8-byte units
    EXPECT_EQ(protocols(second),
              (std::vector<Protocol>{Protocol::Ethernet, Protocol::Ipv4, Protocol::Data}));
    EXPECT_EQ(second.summary.protocol, Protocol::Ipv4);
    EXPECT_EQ(second.summary.info, "Fragmented IP protocol (proto=ICMP 1, off=1256, ID=b4db)");
    EXPECT_TRUE(hasProblem(second, Protocol::Ipv4, ProblemKind::Unusual));
}

TEST(Ipv4, TotalLengthZeroUsesTheCapturedLength) {
    // Linux BIG TCP: an 80 KB segment whose total length field is 0; tshark shows 80052.
    DissectedCapture c = dissectCapture(netCorpus("good/bigtcp-ipv4.pcap"));
    ASSERT_EQ(c.frames.size(), 1u);
    EXPECT_TRUE(hasField(c, 0, "ip.len", "80052", 16, 2));
    EXPECT_TRUE(hasProblem(c.frames[0], Protocol::Ipv4, ProblemKind::Unusual));
    const Layer* tcp = findLayer(c.frames[0], Protocol::Tcp);
    ASSERT_NE(tcp, nullptr);
    DissectedCapture tso = dissectCapture(netCorpus("good/ipv4_tcp_http_xml_tso.pcap"));
    EXPECT_NE(findLayer(tso.frames.at(0), Protocol::Tcp), nullptr);
}

TEST(Ipv4, TotalLengthBoundsThePayloadAndEthernetPadsTheRest) {
    // Frame 5 (UDP "hi\n", 45 bytes) padded with zeros to Ethernet's 60-byte minimum, as a
    // network card would send it.
    DissectedCapture c = dissectCapture(netTestData("icmp_loopback.pcap"));
    std::vector<uint8_t> padded = c.bytes(4);
    ASSERT_EQ(padded.size(), 45u);
    padded.resize(60, 0);
    PacketView v;
    v.link_type = linktype::kEthernet;
    v.data = padded.data();
    v.cap_len = v.orig_len = 60;
    Dissection d = dissectOne(v);
    const Layer* udp = findLayer(d, Protocol::Udp);
    ASSERT_NE(udp, nullptr);
    const Field* padding = findField(d, "eth.padding");
    ASSERT_NE(padding, nullptr);
    EXPECT_EQ(padding->begin, 45u);
    EXPECT_EQ(padding->end, 60u);
    const Layer* data = findLayer(d, Protocol::Data);
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->end, 45u);  // "hi\n" only, not the padding
}

TEST(Ipv4, BogusHeaderLength) {
    DissectedCapture c = dissectCapture(netCorpus("bad/ipv4_invalid_hdr_length.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "ip.hdr_len", "16", 14, 1));
    EXPECT_EQ(findField(d, "ip.len"), nullptr);
    EXPECT_TRUE(hasProblem(d, Protocol::Ipv4, ProblemKind::Malformed));
    EXPECT_EQ(d.summary.info, "Bogus IP header length (16, must be at least 20)");
    EXPECT_EQ(d.layers.back().protocol, Protocol::Data);
}

TEST(Ipv4, TotalLengthSmallerThanHeader) {
    DissectedCapture c = dissectCapture(netCorpus("bad/ipv4_invalid_total_length_2.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "ip.len", "19", 16, 2));
    EXPECT_EQ(findField(d, "ip.id"), nullptr);
    EXPECT_EQ(d.summary.info, "Bogus IP length (19, less than header length 20)");
    EXPECT_TRUE(hasProblem(d, Protocol::Ipv4, ProblemKind::Malformed));
}

TEST(Ipv4, TotalLengthBeyondTheFrameStillShowsTheTransport) {
    DissectedCapture c = dissectCapture(netCorpus("bad/ipv4_invalid_total_length.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "ip.len", "85", 16, 2));
    EXPECT_TRUE(hasProblem(d, Protocol::Ipv4, ProblemKind::Malformed));
    EXPECT_NE(findLayer(d, Protocol::Udp), nullptr);
}

TEST(Ipv4, HeaderCutShortShowsTheFieldsThatAreThere) {
    DissectedCapture c = dissectCapture(netCorpus("bad/ipv4_invalid_length.pcap"));
    const Dissection& d = c.frames.at(0);
    EXPECT_TRUE(hasField(c, 0, "ip.src", "140.211.9.206", 26, 4));
    EXPECT_EQ(findField(d, "ip.dst"), nullptr);
    EXPECT_TRUE(hasProblem(d, Protocol::Ipv4, ProblemKind::Truncated));
    EXPECT_EQ(d.summary.source, "140.211.9.206");
    EXPECT_EQ(d.summary.destination, "c0:d6:82:36:03:2b");  // still Ethernet's, as in tshark
}

TEST(Ipv4, VersionSixBehindIpv4EthertypeIsReadAsIpv6) {
    DissectedCapture c = dissectCapture(netCorpus("bad/bad-ipv4-version-pgm-heapoverflow.pcap"));
    const Dissection& d = c.frames.at(0);
    ASSERT_GE(d.layers.size(), 2u);
    EXPECT_EQ(d.layers[1].protocol, Protocol::Ipv6);
    EXPECT_TRUE(hasProblem(d, Protocol::Ipv6, ProblemKind::Unusual));
}

TEST(Ipv4, SummaryPathMatchesFullPath) {
    DissectedCapture full = dissectCapture(netTestData("icmp_loopback.pcap"));
    DissectedCapture fast = dissectCapture(netTestData("icmp_loopback.pcap"), false);
    for (size_t i = 0; i < full.frames.size(); ++i) {
        EXPECT_TRUE(fast.frames[i].fields.empty()) << "frame " << i + 1;
        EXPECT_TRUE(fast.frames[i].texts.empty()) << "frame " << i + 1;
        EXPECT_EQ(fast.frames[i].summary.info, full.frames[i].summary.info) << "frame " << i + 1;
        EXPECT_EQ(fast.frames[i].summary.protocol, full.frames[i].summary.protocol);
        EXPECT_EQ(protocols(fast.frames[i]), protocols(full.frames[i])) << "frame " << i + 1;
    }
}

// A 20-byte header is verified with five native-order loads and a fixed fold: it must agree
// with the general byte-by-byte sum on every header, right or wrong.
TEST(Ipv4, ChecksumShortcutAgreesWithTheGeneralSum) {
    uint32_t seed = 12345;
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
    for (int round = 0; round < 20000; ++round) {
        uint8_t h[20];
        for (uint8_t& byte : h) byte = static_cast<uint8_t>(next() >> 16);
        if (round % 3 == 0) std::memset(h, round % 2 ? 0xff : 0, sizeof h);
        if (round % 2 == 0) {  // a right checksum
            h[10] = h[11] = 0;
            const uint16_t c = static_cast<uint16_t>(~checksumFold(checksumAdd(0, h, 20)));
            h[10] = static_cast<uint8_t>(c >> 8);
            h[11] = static_cast<uint8_t>(c);
        }
        EXPECT_EQ(checksumVerifies(h, 20), checksumFold(checksumAdd(0, h, 20)) == 0xffff)
            << "round " << round;
    }
}

}  // namespace
}  // namespace osilab::packet::testing
