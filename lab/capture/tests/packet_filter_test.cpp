// BPF filters on packets of several link types; the expected packet numbers are what tshark's
// equivalent display filter selects in the same files.
#include "lab/capture/packet_filter.h"

#include <gtest/gtest.h>

#include "lab/capture/capture_reader.h"
#include "lab/capture/tests/capture_test_support.h"

namespace osilab::capture {
namespace {

using testing::corpusDir;

// Numbers of the packets of `file` that `expression` matches.
std::vector<uint64_t> matching(const std::string& file, const std::string& expression) {
    auto filter = PacketFilter::compile(expression);
    EXPECT_TRUE(filter.ok()) << filter.error().message;
    if (!filter.ok()) return {};
    auto reader = openCapture(corpusDir("good") + "/" + file);
    EXPECT_TRUE(reader.ok());
    if (!reader.ok()) return {};
    std::vector<uint64_t> numbers;
    Record record;
    while (reader.value()->next(record) == ReadStatus::Ok) {
        const PacketRecord& p = record.packet;
        if (filter.value().matches(p.link_type, p.data, p.cap_len, p.orig_len)) {
            numbers.push_back(p.number);
        }
    }
    return numbers;
}

using Numbers = std::vector<uint64_t>;

TEST(PacketFilterTest, InvalidExpressionQuotesLibpcap) {
    auto filter = PacketFilter::compile("tcp prot 80");
    ASSERT_FALSE(filter.ok());
    EXPECT_EQ(filter.error().message, "the filter 'tcp prot 80' is not valid BPF: syntax error");

    auto port = PacketFilter::compile("port 99999");
    ASSERT_FALSE(port.ok());
    EXPECT_EQ(port.error().message,
              "the filter 'port 99999' is not valid BPF: illegal port number 99999 > 65535");
}

TEST(PacketFilterTest, Ethernet) {
    SKIP_WITHOUT_CORPUS();
    // tshark -Y 'tcp.flags.syn==1': 1 2; 'tcp.port==80': 1-10; 'tcp.len>0': 4 6
    EXPECT_EQ(matching("print-flags.pcap", "tcp[tcpflags] & tcp-syn != 0"), (Numbers{1, 2}));
    EXPECT_EQ(matching("print-flags.pcap", "tcp port 80"),
              (Numbers{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    EXPECT_EQ(matching("print-flags.pcap", "udp"), Numbers{});
    EXPECT_EQ(matching("print-flags.pcap",
                       "ip[2:2] - ((ip[0] & 0xf) << 2) - "
                       "((tcp[12] & 0xf0) >> 2) > 0"),
              (Numbers{4, 6}));
}

TEST(PacketFilterTest, LinuxCookedCapture) {
    SKIP_WITHOUT_CORPUS();
    // Linux SLL (113); tshark -Y 'tcp.port==80': 1 2 3; a SYN without ACK: 1
    EXPECT_EQ(matching("tcp-handshake-nano.pcap", "tcp port 80"), (Numbers{1, 2, 3}));
    EXPECT_EQ(matching("tcp-handshake-nano.pcap", "tcp[tcpflags] == tcp-syn"), Numbers{1});
}

TEST(PacketFilterTest, RawIp) {
    SKIP_WITHOUT_CORPUS();
    // LINKTYPE_RAW (101), which libpcap's compiler knows as DLT_RAW
    EXPECT_EQ(matching("LINKTYPE_RAW_ipv4.pcap", "udp port 53"), Numbers{1});
    EXPECT_EQ(matching("LINKTYPE_RAW_ipv6.pcap", "ip6 and udp"), Numbers{1});
    EXPECT_EQ(matching("LINKTYPE_RAW_ipv6.pcap", "ip"), Numbers{});
    // LINKTYPE_IPV4 (228)
    EXPECT_EQ(matching("LINKTYPE_IPV4.pcap", "udp port 53"), Numbers{1});
    // BSD loopback (0): tshark -Y 'udp.port==53': 1-4
    EXPECT_EQ(matching("dns-badcookie.pcap", "udp port 53"), (Numbers{1, 2, 3, 4}));
}

TEST(PacketFilterTest, OneFilterOverMixedLinkTypes) {
    SKIP_WITHOUT_CORPUS();
    // frames 1-3 Linux SLL, 4-17 Ethernet; tshark -Y tcp: 1-3, 'icmp || icmpv6': 4-11 13 15-17,
    // arp: 12 14
    EXPECT_EQ(matching("mixed-linktypes.pcapng", "tcp"), (Numbers{1, 2, 3}));
    EXPECT_EQ(matching("mixed-linktypes.pcapng", "icmp or icmp6"),
              (Numbers{4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 16, 17}));
    EXPECT_EQ(matching("mixed-linktypes.pcapng", "arp"), (Numbers{12, 14}));
}

TEST(PacketFilterTest, ExpressionThatDoesNotApplyToALinkType) {
    auto filter = PacketFilter::compile("ether host 02:00:00:00:00:01");
    ASSERT_TRUE(filter.ok());
    const uint8_t ipv4[20] = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1};
    EXPECT_FALSE(filter.value().matches(101, ipv4, sizeof ipv4, sizeof ipv4));
    EXPECT_NE(filter.value().linkTypeProblem(101).find("ethernet addresses supported only"),
              std::string::npos)
        << filter.value().linkTypeProblem(101);
    EXPECT_EQ(filter.value().linkTypeProblem(1), "");
}

TEST(PacketFilterTest, EmptyExpressionMatchesEverything) {
    auto filter = PacketFilter::compile("");
    ASSERT_TRUE(filter.ok());
    const uint8_t byte = 0;
    EXPECT_TRUE(filter.value().matches(1, &byte, 1, 1));
    EXPECT_TRUE(filter.value().matches(147, &byte, 1, 1));
}

TEST(PacketFilterTest, Movable) {
    SKIP_WITHOUT_CORPUS();
    auto compiled = PacketFilter::compile("tcp port 80");
    ASSERT_TRUE(compiled.ok());
    PacketFilter moved = std::move(compiled.value());
    PacketFilter assigned = std::move(PacketFilter::compile("udp").value());
    assigned = std::move(moved);
    EXPECT_EQ(assigned.expression(), "tcp port 80");
    auto reader = openCapture(corpusDir("good") + "/tcp-handshake-nano.pcap");
    ASSERT_TRUE(reader.ok());
    Record record;
    ASSERT_EQ(reader.value()->next(record), ReadStatus::Ok);
    const PacketRecord& p = record.packet;
    EXPECT_TRUE(assigned.matches(p.link_type, p.data, p.cap_len, p.orig_len));
}

}  // namespace
}  // namespace osilab::capture
