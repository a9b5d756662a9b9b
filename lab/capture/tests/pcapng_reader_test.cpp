// Our pcapng reader on hand-built blocks: both byte orders, several sections, every packet block
// type, timestamp resolutions, custom blocks, skipped blocks, and damage of every length.
#include <gtest/gtest.h>

#include "lab/capture/capture_reader.h"
#include "lab/capture/tests/capture_test_support.h"

namespace osilab::capture {
namespace {

using testing::PcapngBuilder;
using testing::readAll;
using testing::ReadOutcome;

const std::vector<uint8_t> kFrame = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00,
                                     0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00};  // 15 bytes: padded

ReadOutcome readBuilt(const PcapngBuilder& built, const std::string& name = "built.pcapng") {
    auto reader = openCaptureBuffer(built.data(), name);
    EXPECT_TRUE(reader.ok()) << (reader.ok() ? "" : reader.error().message);
    if (!reader.ok()) return {};
    return readAll(*reader.value());
}

class ByteOrderTest : public ::testing::TestWithParam<bool> {};

TEST_P(ByteOrderTest, EnhancedPacketWithComments) {
    PcapngBuilder b(GetParam());
    b.sectionHeader().interface(1, 65535);
    b.enhancedPacket(0, 1'700'000'000'123'456ull, kFrame, 60, [&] {
        auto o = b.option(1, "first");
        auto o2 = b.option(1, std::string("第二 \xE2\x86\x92 second"));
        o.insert(o.end(), o2.begin(), o2.end());
        return o;
    }());
    const ReadOutcome outcome = readBuilt(b);
    ASSERT_EQ(outcome.status, ReadStatus::End) << outcome.error;
    ASSERT_EQ(outcome.packets.size(), 1u);
    const auto& p = outcome.packets[0];
    EXPECT_EQ(p.number, 1u);
    EXPECT_EQ(p.link_type, 1u);
    EXPECT_EQ(p.time_ns, 1'700'000'000'123'456'000);  // default resolution: microseconds
    EXPECT_EQ(p.orig_len, 60u);
    EXPECT_EQ(p.bytes, kFrame);
    EXPECT_EQ(p.comments, (std::vector<std::string>{"first", "第二 \xE2\x86\x92 second"}));
}

INSTANTIATE_TEST_SUITE_P(PcapngReader, ByteOrderTest, ::testing::Values(false, true),
                         [](const auto& info) {
                             return info.param ? "BigEndian" : "LittleEndian";
                         });

TEST(PcapngReaderTest, SectionsMayChangeByteOrderAndRestartInterfaces) {
    PcapngBuilder b(false);
    b.sectionHeader().interface(1, 0).enhancedPacket(0, 1, kFrame, 15);
    b.setBigEndian(true);
    // Section length given this time; interface 0 of this section is raw IP.
    b.sectionHeader(1, 0, 64).interface(101, 0).interface(113, 0);
    b.enhancedPacket(1, 2, kFrame, 15).enhancedPacket(0, 3, kFrame, 15);
    const ReadOutcome outcome = readBuilt(b);
    ASSERT_EQ(outcome.status, ReadStatus::End) << outcome.error;
    ASSERT_EQ(outcome.packets.size(), 3u);
    EXPECT_EQ(outcome.packets[0].link_type, 1u);
    EXPECT_EQ(outcome.packets[1].link_type, 113u);
    EXPECT_EQ(outcome.packets[1].interface_id, 1u);
    EXPECT_EQ(outcome.packets[2].link_type, 101u);
    EXPECT_EQ(outcome.packets[2].number, 3u);
}

TEST(PcapngReaderTest, InterfaceNumbersDoNotCarryAcrossSections) {
    PcapngBuilder b;
    b.sectionHeader().interface(1, 0).interface(1, 0);
    b.sectionHeader().interface(1, 0).enhancedPacket(1, 0, kFrame, 15);
    const ReadOutcome outcome = readBuilt(b, "s.pcapng");
    EXPECT_EQ(outcome.status, ReadStatus::Error);
    EXPECT_EQ(outcome.error,
              "s.pcapng: packet 1 says it was captured on interface 1, but only 1 "
              "interface(s) were described before it: the file is damaged from "
              "byte 116 on");
}

struct ResolutionCase {
    uint8_t tsresol;
    uint64_t stamp;
    int64_t offset_seconds;
    int64_t expected_ns;
};

class ResolutionTest : public ::testing::TestWithParam<ResolutionCase> {};

TEST_P(ResolutionTest, TimestampsBecomeNanoseconds) {
    const ResolutionCase c = GetParam();
    PcapngBuilder b;
    auto options = b.option(9, std::vector<uint8_t>{c.tsresol});
    if (c.offset_seconds != 0) {
        auto offset = b.option64(14, static_cast<uint64_t>(c.offset_seconds));
        options.insert(options.end(), offset.begin(), offset.end());
    }
    b.sectionHeader().interface(1, 0, options).enhancedPacket(0, c.stamp, kFrame, 15);
    const ReadOutcome outcome = readBuilt(b);
    ASSERT_EQ(outcome.packets.size(), 1u) << outcome.error;
    EXPECT_EQ(outcome.packets[0].time_ns, c.expected_ns);
}

INSTANTIATE_TEST_SUITE_P(
    PcapngReader, ResolutionTest,
    ::testing::Values(
        ResolutionCase{9, 1'700'000'000'000'000'001ull, 0, 1'700'000'000'000'000'001},  // ns
        ResolutionCase{3, 1'700'000'000'123ull, 0, 1'700'000'000'123'000'000},          // ms
        ResolutionCase{0, 1'700'000'000ull, 0, 1'700'000'000'000'000'000},              // s
        ResolutionCase{12, 1'700'000'000'000'000'000ull, 0, 1'700'000'000'000'000},     // ps
        ResolutionCase{127, 1'700'000'000'000'000'000ull, 0, 0},  // 10^-127 s: far below 1 ns
        ResolutionCase{0x80 | 10, (1'700'000'000ull << 10) | 512, 0,
                       1'700'000'000'500'000'000},  // 2^-10 s: 512/1024 = 0.5 s
        ResolutionCase{0x80 | 32, (1ull << 32) * 3 + (1ull << 30), 0, 3'250'000'000},
        ResolutionCase{0x80 | 100, ~0ull, 0, 0},  // 2^-100 s: far below 1 ns
        ResolutionCase{6, 1'000'000ull, 1'700'000'000, 1'700'000'001'000'000'000},  // offset
        ResolutionCase{6, 0, -100, -100'000'000'000},
        // 2^64 - 1 seconds does not fit in int64 nanoseconds: saturates, no overflow
        ResolutionCase{0, ~0ull, 0, INT64_MAX}));

TEST(PcapngReaderTest, SimplePacketTakesTheSmallestLength) {
    PcapngBuilder b;
    b.sectionHeader().interface(1, 8);  // snaplen 8
    std::vector<uint8_t> data(20, 0xab);
    b.simplePacket(100, data);  // orig 100, snaplen 8, block room 20 -> 8
    b.simplePacket(3, data);    // orig 3 -> 3
    const ReadOutcome outcome = readBuilt(b);
    ASSERT_EQ(outcome.status, ReadStatus::End) << outcome.error;
    ASSERT_EQ(outcome.packets.size(), 2u);
    EXPECT_EQ(outcome.packets[0].bytes.size(), 8u);
    EXPECT_EQ(outcome.packets[0].orig_len, 100u);
    EXPECT_EQ(outcome.packets[1].bytes.size(), 3u);

    PcapngBuilder unlimited;
    unlimited.sectionHeader().interface(1, 0).simplePacket(100, data);  // room 20 -> 20
    const ReadOutcome second = readBuilt(unlimited);
    ASSERT_EQ(second.packets.size(), 1u);
    EXPECT_EQ(second.packets[0].bytes, data);
}

TEST(PcapngReaderTest, SimplePacketNeedsAnInterface) {
    PcapngBuilder b;
    b.sectionHeader().simplePacket(4, {1, 2, 3, 4});
    const ReadOutcome outcome = readBuilt(b, "spb.pcapng");
    EXPECT_EQ(outcome.status, ReadStatus::Error);
    EXPECT_NE(outcome.error.find("packet 1 is a simple packet block, but no interface"),
              std::string::npos)
        << outcome.error;
}

TEST(PcapngReaderTest, ObsoletePacketBlock) {
    PcapngBuilder b;
    b.sectionHeader().interface(1, 0).interface(105, 0);
    b.obsoletePacket(1, 5'000'000, kFrame, 90, b.option(1, "old"));
    const ReadOutcome outcome = readBuilt(b);
    ASSERT_EQ(outcome.packets.size(), 1u) << outcome.error;
    EXPECT_EQ(outcome.packets[0].link_type, 105u);
    EXPECT_EQ(outcome.packets[0].time_ns, 5'000'000'000);
    EXPECT_EQ(outcome.packets[0].orig_len, 90u);
    EXPECT_EQ(outcome.packets[0].comments, std::vector<std::string>{"old"});
}

TEST(PcapngReaderTest, CustomBlocksAndSkippedBlocks) {
    PcapngBuilder b;
    b.sectionHeader().interface(1, 0);
    b.custom(true, 32473, {'s', 't', 'e', 'p', '1', 0, 0, 0});
    b.raw(4, {0, 0, 0, 0});  // name resolution: skipped
    b.enhancedPacket(0, 1, kFrame, 15);
    b.raw(5, std::vector<uint8_t>(16, 0));       // interface statistics: skipped
    b.raw(0x0A, std::vector<uint8_t>(12, 7));    // decryption secrets: skipped
    b.raw(0x12345678, std::vector<uint8_t>(9));  // unknown: skipped
    b.custom(false, 1234, {0xde, 0xad, 0xbe, 0xef});
    b.enhancedPacket(0, 2, kFrame, 15);
    const ReadOutcome outcome = readBuilt(b);
    ASSERT_EQ(outcome.status, ReadStatus::End) << outcome.error;
    EXPECT_EQ(outcome.packets.size(), 2u);
    ASSERT_EQ(outcome.customs.size(), 2u);
    EXPECT_EQ(outcome.customs[0].pen, 32473u);
    EXPECT_TRUE(outcome.customs[0].copyable);
    EXPECT_EQ(outcome.customs[0].data, (std::vector<uint8_t>{'s', 't', 'e', 'p', '1', 0, 0, 0}));
    EXPECT_EQ(outcome.customs[0].packets_before, 0u);
    EXPECT_EQ(outcome.customs[1].pen, 1234u);
    EXPECT_FALSE(outcome.customs[1].copyable);
    EXPECT_EQ(outcome.customs[1].data, (std::vector<uint8_t>{0xde, 0xad, 0xbe, 0xef}));
    EXPECT_EQ(outcome.customs[1].packets_before, 1u);
}

// Damage: every record before it comes out, then a message naming where.
struct Damaged {
    PcapngBuilder builder;
    size_t damage_at = 0;
};

Damaged twoGoodPacketsThen() {
    Damaged d;
    d.builder.sectionHeader().interface(1, 0);
    d.builder.enhancedPacket(0, 1, kFrame, 15).enhancedPacket(0, 2, kFrame, 15);
    d.damage_at = d.builder.data().size();
    return d;
}

void expectDamage(const Damaged& d, const std::string& expected_error) {
    ASSERT_EQ(d.damage_at, 144u);  // 28 (section) + 20 (interface) + 2 x 48 (packets)
    const ReadOutcome outcome = readBuilt(d.builder, "d.pcapng");
    EXPECT_EQ(outcome.packets.size(), 2u);
    EXPECT_EQ(outcome.status, ReadStatus::Error);
    EXPECT_EQ(outcome.error, expected_error);
}

TEST(PcapngDamageTest, BlockLengthNotAMultipleOfFour) {
    Damaged d = twoGoodPacketsThen();
    d.builder.enhancedPacket(0, 3, kFrame, 15);
    d.builder.patch32(d.builder.lastBlockOffset() + 4, 49);
    expectDamage(d,
                 "d.pcapng: packet 3 says its block is 49 bytes long, but block lengths are "
                 "multiples of 4: the file is damaged from byte 144 on");
}

TEST(PcapngDamageTest, BlockLengthTooSmall) {
    Damaged d = twoGoodPacketsThen();
    d.builder.raw(5, std::vector<uint8_t>(16));
    d.builder.patch32(d.builder.lastBlockOffset() + 4, 8);
    expectDamage(d,
                 "d.pcapng: the interface statistics block after packet 2 says it is 8 "
                 "bytes long, but no block is shorter than 12 bytes: the file is damaged "
                 "from byte 144 on");
}

TEST(PcapngDamageTest, BlockLengthHuge) {
    Damaged d = twoGoodPacketsThen();
    d.builder.enhancedPacket(0, 3, kFrame, 15);
    d.builder.patch32(d.builder.lastBlockOffset() + 4, 0xfffffffc);
    expectDamage(d,
                 "d.pcapng: packet 3 says its block is 4,294,967,292 bytes long, more than "
                 "the 64 MiB this reader accepts for one block: the file is damaged from byte "
                 "144 on");
}

TEST(PcapngDamageTest, TrailingLengthDiffers) {
    Damaged d = twoGoodPacketsThen();
    d.builder.enhancedPacket(0, 3, kFrame, 15);
    d.builder.patch32(d.builder.data().size() - 4, 52);
    expectDamage(d,
                 "d.pcapng: packet 3 has the length 48 at the start of its block but 52 at its "
                 "end: the file is damaged from byte 144 on");
}

TEST(PcapngDamageTest, CapturedLengthBeyondTheBlock) {
    Damaged d = twoGoodPacketsThen();
    d.builder.enhancedPacket(0, 3, kFrame, 15, {}, 0xffffffff);
    expectDamage(d,
                 "d.pcapng: packet 3 says it captured 4,294,967,295 bytes, but its block has "
                 "room for only 16: the file is damaged from byte 144 on");
}

TEST(PcapngDamageTest, OptionRunsPastTheBlock) {
    Damaged d = twoGoodPacketsThen();
    auto option = d.builder.option(1, "comment");
    option[2] = 200;  // option length 200 in a block that has 12 bytes of options
    d.builder.enhancedPacket(0, 3, kFrame, 15, option);
    expectDamage(d,
                 "d.pcapng: packet 3 has an option (code 1) of 200 bytes that runs past the "
                 "end of its block: the file is damaged from byte 144 on");
}

TEST(PcapngDamageTest, UnknownInterface) {
    Damaged d = twoGoodPacketsThen();
    d.builder.enhancedPacket(7, 3, kFrame, 15);
    expectDamage(d,
                 "d.pcapng: packet 3 says it was captured on interface 7, but only 1 "
                 "interface(s) were described before it: the file is damaged from byte 144 on");
}

TEST(PcapngDamageTest, BadByteOrderMagicInALaterSection) {
    Damaged d = twoGoodPacketsThen();
    d.builder.sectionHeader();
    d.builder.patch32(d.builder.lastBlockOffset() + 8, 0x11223344);
    expectDamage(d,
                 "d.pcapng: the section header at byte 144 has the byte-order magic 44 33 22 "
                 "11 (it should be 1a 2b 3c 4d or 4d 3c 2b 1a): the file is damaged from byte "
                 "144 on");
}

TEST(PcapngDamageTest, UnknownVersionInALaterSection) {
    Damaged d = twoGoodPacketsThen();
    d.builder.sectionHeader(2, 0);
    expectDamage(d,
                 "the section at byte 144 of d.pcapng uses pcapng version 2.0, which this "
                 "reader cannot read (only 1.0 exists)");
}

TEST(PcapngDamageTest, CutInsideABlockHeader) {
    Damaged d = twoGoodPacketsThen();
    d.builder.bytes({6, 0, 0});
    expectDamage(d,
                 "d.pcapng is cut short after packet 2, in the middle of a block (block "
                 "header: 3 of 8 bytes)");
}

TEST(PcapngDamageTest, CutInsideAnInterfaceBlock) {
    PcapngBuilder b;
    b.sectionHeader().interface(1, 0);
    std::vector<uint8_t> bytes = b.data();
    bytes.erase(bytes.end() - 3, bytes.end());
    auto reader = openCaptureBuffer(bytes, "cut.pcapng");
    ASSERT_TRUE(reader.ok());
    const ReadOutcome outcome = readAll(*reader.value());
    EXPECT_EQ(outcome.error,
              "cut.pcapng is cut short before its first packet, in the middle of "
              "an interface description block (block: 17 of 20 bytes)");
}

TEST(PcapngReaderTest, VersionOneDotTwoIsReadAsOneDotZero) {
    PcapngBuilder b;
    b.sectionHeader(1, 2).interface(1, 0).enhancedPacket(0, 1, kFrame, 15);
    EXPECT_EQ(readBuilt(b).packets.size(), 1u);
}

TEST(PcapngReaderTest, UnknownVersionFailsAtOpen) {
    PcapngBuilder b;
    b.sectionHeader(1, 1).interface(1, 0);
    auto reader = openCaptureBuffer(b.data(), "v11.pcapng");
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.error().message,
              "v11.pcapng uses pcapng version 1.1, which this reader cannot read (only 1.0 "
              "exists)");
}

TEST(PcapngReaderTest, PositionAndSize) {
    PcapngBuilder b;
    b.sectionHeader().interface(1, 0).enhancedPacket(0, 1, kFrame, 15);
    auto reader = openCaptureBuffer(b.data(), "p.pcapng");
    ASSERT_TRUE(reader.ok());
    EXPECT_EQ(reader.value()->size(), b.data().size());
    EXPECT_EQ(reader.value()->position(), 28u);  // the section header was read at open
    Record record;
    ASSERT_EQ(reader.value()->next(record), ReadStatus::Ok);
    EXPECT_EQ(reader.value()->position(), b.data().size());
}

}  // namespace
}  // namespace osilab::capture
