#include "lab/packet/text_format.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>

namespace osilab::packet {
namespace {

std::string ipv6(std::array<uint8_t, 16> b) {
    std::string s;
    appendIpv6(s, b.data());
    return s;
}

TEST(TextFormat, NumbersAppendWithoutSeparators) {
    std::string s = "n=";
    appendUint(s, 0);
    s += ',';
    appendUint(s, 18446744073709551615ull);
    EXPECT_EQ(s, "n=0,18446744073709551615");
    std::string h;
    appendHex(h, 0x12, 4);
    h += ',';
    appendHex(h, 0xdeadbeef, 1);
    EXPECT_EQ(h, "0012,deadbeef");
}

TEST(TextFormat, Ipv4DottedDecimalAndBinary) {
    std::string s;
    appendIpv4(s, 0x7f000001);
    s += ' ';
    appendIpv4(s, 0xc0a8ff0a);
    EXPECT_EQ(s, "127.0.0.1 192.168.255.10");
    EXPECT_EQ(ipv4Binary(0x7f000001), "01111111.00000000.00000000.00000001");
}

// RFC 5952, as Wireshark writes addresses: longest zero run compressed, first on a tie, a single
// zero word never compressed, IPv4-mapped addresses with a dotted tail.
TEST(TextFormat, Ipv6CanonicalText) {
    EXPECT_EQ(ipv6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), "::1");
    EXPECT_EQ(ipv6({}), "::");
    EXPECT_EQ(ipv6({0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55}),
              "fe80::211:22ff:fe33:4455");
    EXPECT_EQ(ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}), "2001:db8:0:1::1");
    EXPECT_EQ(ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}), "2001:db8::1:0:0:1");
    EXPECT_EQ(ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0}),
              "2001:db8:1:1:1:1:1:0");
    EXPECT_EQ(ipv6({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1}), "::ffff:127.0.0.1");
}

// The zero run comes from a table indexed by which words are zero: every one of the 256
// patterns against the rule written out word by word.
TEST(TextFormat, Ipv6EveryPatternOfZeroWords) {
    for (unsigned mask = 0; mask < 256; ++mask) {
        std::array<uint8_t, 16> b{};
        std::array<unsigned, 8> words{};
        for (int i = 0; i < 8; ++i) {
            words[i] = (mask >> i) & 1 ? 0 : 0xa0 + i;
            b[2 * i + 1] = static_cast<uint8_t>(words[i]);
        }
        int best_start = -1, best_len = 1;
        for (int i = 0; i < 8; ++i) {
            int j = i;
            while (j < 8 && words[j] == 0) ++j;
            if (j - i > best_len) best_start = i, best_len = j - i;
        }
        std::string expected;
        for (int i = 0; i < 8; ++i) {
            if (i == best_start) {
                expected += "::";
                i += best_len - 1;
                continue;
            }
            if (i > 0 && !expected.ends_with("::")) expected += ':';
            char hex[8];
            std::snprintf(hex, sizeof hex, "%x", words[i]);
            expected += hex;
        }
        EXPECT_EQ(ipv6(b), expected) << "zero words " << mask;
    }
}

TEST(TextFormat, ColonHexBytes) {
    const uint8_t mac[6] = {0, 0x1b, 0x21, 0xaa, 0xbb, 0xff};
    std::string s;
    appendMac(s, mac);
    EXPECT_EQ(s, "00:1b:21:aa:bb:ff");
    std::string empty;
    appendColonHex(empty, mac, 0);
    EXPECT_EQ(empty, "");
}

}  // namespace
}  // namespace osilab::packet
