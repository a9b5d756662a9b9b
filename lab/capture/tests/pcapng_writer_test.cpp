// Our pcapng writer: what it writes reads back the same through our reader, tshark reads it
// without a word of complaint, and the file is readable after every single block.
#include "lab/capture/pcapng_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "lab/capture/capture_reader.h"
#include "lab/capture/tests/capture_test_support.h"

namespace osilab::capture {
namespace {

using testing::readAll;
using testing::ReadOutcome;
using testing::TempPath;

constexpr uint32_t kExamplePen = 32473;  // IANA's PEN for documentation (RFC 5612)

// A real loopback frame: Ethernet, IPv4 127.0.0.1 -> 127.0.0.1, UDP 40000 -> 53, 4 bytes data.
std::vector<uint8_t> udpFrame() {
    return {0,    0,    0,   0,  0,    0,    0,    0, 0,  0,  0,    0,    0x08, 0x00,  // Ethernet
            0x45, 0,    0,   32, 0x12, 0x34, 0x40, 0, 64, 17, 0x2a, 0x87,              // IPv4 ...
            127,  0,    0,   1,  127,  0,    0,    1,                                  // addresses
            0x9c, 0x40, 0,   53, 0,    12,   0,    0,                                  // UDP
            'p',  'i',  'n', 'g'};
}

std::vector<uint8_t> rawIpFrame() {
    std::vector<uint8_t> frame = udpFrame();
    return std::vector<uint8_t>(frame.begin() + 14, frame.end());
}

TEST(PcapngWriterTest, RoundTripThroughOurReader) {
    TempPath file("osilab-writer");
    {
        auto created = PcapngWriter::create(file.path());
        ASSERT_TRUE(created.ok()) << created.error().message;
        PcapngWriter& w = created.value();
        ASSERT_TRUE(w.writeSectionHeader().ok());
        auto eth = w.addInterface(1, 262144, "lo");
        auto raw = w.addInterface(101, 65535, "");
        ASSERT_TRUE(eth.ok() && raw.ok());
        EXPECT_EQ(eth.value(), 0u);
        EXPECT_EQ(raw.value(), 1u);
        const std::vector<uint8_t> eth_frame = udpFrame(), raw_frame = rawIpFrame();
        const std::vector<std::string> comments = {"step 1: connect()", "第一步：连接"};
        ASSERT_TRUE(w.writeCustomBlock(kExamplePen, nullptr, 0).ok());
        ASSERT_TRUE(w.writePacket(0, 1'700'000'000'123'456'789, eth_frame.data(),
                                  static_cast<uint32_t>(eth_frame.size()), 60, comments)
                        .ok());
        const std::vector<uint8_t> step = {1, 2, 3, 4, 5};
        ASSERT_TRUE(w.writeCustomBlock(kExamplePen, step, false).ok());
        // 2107: needs all 64 bits of the pcapng timestamp
        ASSERT_TRUE(w.writePacket(1, 4'323'283'200'000'000'001, raw_frame.data(),
                                  static_cast<uint32_t>(raw_frame.size()),
                                  static_cast<uint32_t>(raw_frame.size()))
                        .ok());
        ASSERT_TRUE(w.writePacket(0, 0, nullptr, 0, 0).ok());  // an empty packet is legal
    }
    auto reader = openCapture(file.path());
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    const ReadOutcome outcome = readAll(*reader.value());
    ASSERT_EQ(outcome.status, ReadStatus::End) << outcome.error;
    ASSERT_EQ(outcome.packets.size(), 3u);
    EXPECT_EQ(outcome.packets[0].link_type, 1u);
    EXPECT_EQ(outcome.packets[0].time_ns, 1'700'000'000'123'456'789);
    EXPECT_EQ(outcome.packets[0].orig_len, 60u);
    EXPECT_EQ(outcome.packets[0].bytes, udpFrame());
    EXPECT_EQ(outcome.packets[0].comments,
              (std::vector<std::string>{"step 1: connect()", "第一步：连接"}));
    EXPECT_EQ(outcome.packets[1].link_type, 101u);
    EXPECT_EQ(outcome.packets[1].interface_id, 1u);
    EXPECT_EQ(outcome.packets[1].time_ns, 4'323'283'200'000'000'001);
    EXPECT_EQ(outcome.packets[1].bytes, rawIpFrame());
    EXPECT_TRUE(outcome.packets[1].comments.empty());
    EXPECT_TRUE(outcome.packets[2].bytes.empty());

    ASSERT_EQ(outcome.customs.size(), 2u);
    EXPECT_EQ(outcome.customs[0].pen, kExamplePen);
    EXPECT_TRUE(outcome.customs[0].copyable);
    EXPECT_TRUE(outcome.customs[0].data.empty());
    EXPECT_EQ(outcome.customs[0].packets_before, 0u);
    EXPECT_FALSE(outcome.customs[1].copyable);
    // pcapng keeps no length for custom data: it comes back padded to 4 bytes with zeros
    EXPECT_EQ(outcome.customs[1].data, (std::vector<uint8_t>{1, 2, 3, 4, 5, 0, 0, 0}));
    EXPECT_EQ(outcome.customs[1].packets_before, 1u);
}

// Runs a command; returns its exit code and what it wrote on stderr.
std::pair<int, std::string> run(const std::string& command) {
    TempPath err("osilab-stderr");
    const int status = std::system((command + " >/dev/null 2>" + err.path()).c_str());
    const std::vector<uint8_t> text = testing::readBytes(err.path());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, std::string(text.begin(), text.end())};
}

std::string withoutRootWarning(const std::string& text) {
    std::istringstream lines(text);
    std::string line, kept;
    while (std::getline(lines, line)) {
        if (line.rfind("Running as user", 0) == 0) continue;
        kept += line + "\n";
    }
    return kept;
}

TEST(PcapngWriterTest, TsharkReadsItWithoutWarnings) {
    if (run("command -v tshark").first != 0) GTEST_SKIP() << "tshark is not installed";
    TempPath file("osilab-tshark");
    {
        auto created = PcapngWriter::create(file.path());
        ASSERT_TRUE(created.ok());
        PcapngWriter& w = created.value();
        ASSERT_TRUE(w.writeSectionHeader().ok());
        ASSERT_TRUE(w.addInterface(1, 262144, "lo").ok());
        ASSERT_TRUE(w.addInterface(101, 262144, "raw").ok());
        const std::vector<uint8_t> frame = udpFrame(), raw = rawIpFrame();
        const std::string mark = "{\"step\":1}";
        ASSERT_TRUE(w.writeCustomBlock(kExamplePen, reinterpret_cast<const uint8_t*>(mark.data()),
                                       mark.size())
                        .ok());
        for (int i = 0; i < 5; ++i) {
            std::vector<std::string> comments;
            if (i == 2) comments = {"a comment", "第二条"};
            ASSERT_TRUE(w.writePacket(i % 2, 1'700'000'000'000'000'000 + i * 1'000'000,
                                      i % 2 ? raw.data() : frame.data(),
                                      static_cast<uint32_t>(i % 2 ? raw.size() : frame.size()),
                                      static_cast<uint32_t>(i % 2 ? raw.size() : frame.size()),
                                      comments)
                            .ok());
        }
        ASSERT_TRUE(w.writeCustomBlock(kExamplePen, nullptr, 0, false).ok());
    }
    const auto [code, err] = run("tshark -r " + file.path());
    EXPECT_EQ(code, 0) << err;
    EXPECT_EQ(withoutRootWarning(err), "");

    // tshark sees what we meant: comments, nanosecond times. It lists each custom block as a
    // frame of its own (empty fields here), so its frame numbers count them too.
    TempPath out("osilab-tshark-out");
    ASSERT_EQ(std::system(("tshark -r " + file.path() +
                           " -T fields -e frame.comment -e frame.time_epoch -e udp.dstport > " +
                           out.path() + " 2>/dev/null")
                              .c_str()),
              0);
    const std::vector<uint8_t> fields = testing::readBytes(out.path());
    const std::string text(fields.begin(), fields.end());
    EXPECT_EQ(text,
              "\t\t\n"
              "\t1700000000.000000000\t53\n"
              "\t1700000000.001000000\t53\n"
              "a comment,第二条\t1700000000.002000000\t53\n"
              "\t1700000000.003000000\t53\n"
              "\t1700000000.004000000\t53\n"
              "\t\t\n");
}

TEST(PcapngWriterTest, FileIsReadableAfterEveryBlock) {
    // Each block goes out in one write(): stopping anywhere between blocks leaves a whole file.
    TempPath file("osilab-partial");
    auto created = PcapngWriter::create(file.path());
    ASSERT_TRUE(created.ok());
    PcapngWriter& w = created.value();
    ASSERT_TRUE(w.writeSectionHeader().ok());
    ASSERT_TRUE(w.addInterface(1, 262144, "lo").ok());
    const std::vector<uint8_t> frame = udpFrame();
    size_t expected_size = std::filesystem::file_size(file.path());
    for (int i = 1; i <= 20; ++i) {
        auto written = w.writePacket(0, i, frame.data(), static_cast<uint32_t>(frame.size()),
                                     static_cast<uint32_t>(frame.size()));
        ASSERT_TRUE(written.ok());
        expected_size += written.value();
        EXPECT_EQ(std::filesystem::file_size(file.path()), expected_size);
        auto reader = openCapture(file.path());
        ASSERT_TRUE(reader.ok());
        const ReadOutcome outcome = readAll(*reader.value());
        EXPECT_EQ(outcome.status, ReadStatus::End) << outcome.error;
        EXPECT_EQ(outcome.packets.size(), static_cast<size_t>(i));
    }
}

TEST(PcapngWriterTest, ManyPacketsAcrossReadBuffers) {
    // ~6 MB of packets of every size: our reader refills and compacts its 1 MiB buffer often.
    TempPath file("osilab-many");
    std::vector<uint8_t> frame(1600);
    for (size_t i = 0; i < frame.size(); ++i) frame[i] = static_cast<uint8_t>(i * 7);
    constexpr uint32_t kPackets = 8000;
    {
        auto created = PcapngWriter::create(file.path());
        ASSERT_TRUE(created.ok());
        ASSERT_TRUE(created.value().writeSectionHeader().ok());
        ASSERT_TRUE(created.value().addInterface(1, 262144, "lo").ok());
        for (uint32_t i = 0; i < kPackets; ++i) {
            const uint32_t size = (i * 37) % 1601;
            ASSERT_TRUE(created.value().writePacket(0, i, frame.data(), size, size + 1).ok());
        }
    }
    auto reader = openCapture(file.path());
    ASSERT_TRUE(reader.ok());
    Record record;
    for (uint32_t i = 0; i < kPackets; ++i) {
        ASSERT_EQ(reader.value()->next(record), ReadStatus::Ok) << reader.value()->error();
        const PacketRecord& p = record.packet;
        const uint32_t size = (i * 37) % 1601;
        ASSERT_EQ(p.cap_len, size);
        ASSERT_EQ(p.orig_len, size + 1);
        ASSERT_EQ(p.time_ns, static_cast<int64_t>(i));
        ASSERT_EQ(std::memcmp(p.data, frame.data(), size), 0) << "packet " << i + 1;
    }
    EXPECT_EQ(reader.value()->next(record), ReadStatus::End);
}

TEST(PcapngWriterTest, MistakesAreErrors) {
    TempPath file("osilab-mistakes");
    auto created = PcapngWriter::create(file.path());
    ASSERT_TRUE(created.ok());
    PcapngWriter& w = created.value();
    auto early = w.addInterface(1, 0, "lo");
    ASSERT_FALSE(early.ok());
    EXPECT_NE(early.error().message.find("before its section header"), std::string::npos);
    ASSERT_TRUE(w.writeSectionHeader().ok());
    const uint8_t byte = 0;
    auto no_interface = w.writePacket(0, 0, &byte, 1, 1);
    ASSERT_FALSE(no_interface.ok());
    EXPECT_EQ(no_interface.error().message, "cannot write a packet to " + file.path() +
                                                " on interface 0: only 0 interface(s) were added");
    ASSERT_TRUE(w.addInterface(1, 0, "lo").ok());
    EXPECT_FALSE(w.writePacket(0, -1, &byte, 1, 1).ok());
    EXPECT_FALSE(w.addInterface(70000, 0, "").ok());
    auto long_comment =
        w.writePacket(0, 0, &byte, 1, 1, std::vector<std::string>{std::string(70000, 'x')});
    EXPECT_FALSE(long_comment.ok());
}

TEST(PcapngWriterTest, WriteFailuresSayWhy) {
    const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
    if (fd < 0) GTEST_SKIP() << "no /dev/full";
    PcapngWriter w(fd, "/dev/full");
    auto written = w.writeSectionHeader();
    ::close(fd);
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().message, "cannot write to /dev/full: No space left on device");

    auto missing = PcapngWriter::create("/nonexistent/run.pcapng");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message,
              "cannot create /nonexistent/run.pcapng: No such file or directory");
}

TEST(PcapngWriterTest, WritesToAPipeLikeStdout) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    {
        PcapngWriter w(fds[1], "standard output");  // does not close the descriptor
        ASSERT_TRUE(w.writeSectionHeader().ok());
        ASSERT_TRUE(w.addInterface(1, 0, "").ok());
        const std::vector<uint8_t> frame = udpFrame();
        ASSERT_TRUE(w.writePacket(0, 5, frame.data(), static_cast<uint32_t>(frame.size()),
                                  static_cast<uint32_t>(frame.size()))
                        .ok());
    }
    ::close(fds[1]);
    std::vector<uint8_t> bytes(4096);
    size_t got = 0;
    for (ssize_t n; (n = ::read(fds[0], bytes.data() + got, bytes.size() - got)) > 0;) got += n;
    ::close(fds[0]);
    bytes.resize(got);
    auto reader = openCaptureBuffer(bytes, "pipe");
    ASSERT_TRUE(reader.ok());
    const ReadOutcome outcome = readAll(*reader.value());
    ASSERT_EQ(outcome.packets.size(), 1u);
    EXPECT_EQ(outcome.packets[0].bytes, udpFrame());
}

}  // namespace
}  // namespace osilab::capture
