// Every capture of the shared corpus: good files read exactly as libpcap (pcap) or tshark
// (pcapng) reads them; bad files end with End or a message, never a crash.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <map>

#include "lab/capture/capture_reader.h"
#include "lab/capture/tests/capture_test_support.h"

namespace osilab::capture {
namespace {

using testing::CopiedPacket;
using testing::corpusDir;
using testing::filesIn;
using testing::readAll;
using testing::ReadOutcome;

struct LibpcapPacket {
    int64_t time_ns;
    uint32_t orig_len;
    std::vector<uint8_t> bytes;
};

// The reference: what libpcap itself returns for a file, read directly.
std::vector<LibpcapPacket> readWithLibpcap(const std::string& path) {
    const bool pcap_file_seconds = path.size() > 5 && path.substr(path.size() - 5) == ".pcap";
    std::vector<LibpcapPacket> packets;
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t* handle =
        pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
    EXPECT_NE(handle, nullptr) << errbuf;
    if (handle == nullptr) return packets;
    pcap_pkthdr* header;
    const u_char* data;
    while (pcap_next_ex(handle, &header, &data) == 1) {
        // pcap seconds are unsigned 32-bit on disk but reach us sign-extended; pcapng ones
        // are 64-bit already.
        int64_t seconds = header->ts.tv_sec;
        if (pcap_file_seconds) seconds = static_cast<uint32_t>(seconds);
        packets.push_back({seconds * 1'000'000'000 + header->ts.tv_usec, header->len,
                           std::vector<uint8_t>(data, data + header->caplen)});
    }
    pcap_close(handle);
    return packets;
}

uint32_t headerLinkType(const std::string& path) {
    const std::vector<uint8_t> bytes = testing::readBytes(path);
    uint32_t magic, link_type;
    std::memcpy(&magic, bytes.data(), 4);
    std::memcpy(&link_type, bytes.data() + 20, 4);
    const bool swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
    return (swapped ? __builtin_bswap32(link_type) : link_type) & 0x03FFFFFF;
}

void expectSamePackets(const std::vector<LibpcapPacket>& expected,
                       const std::vector<CopiedPacket>& got, const std::string& what) {
    ASSERT_EQ(got.size(), expected.size()) << what;
    for (size_t i = 0; i < got.size(); ++i) {
        SCOPED_TRACE(what + " packet " + std::to_string(i + 1));
        EXPECT_EQ(got[i].number, i + 1);
        EXPECT_EQ(got[i].time_ns, expected[i].time_ns);
        EXPECT_EQ(got[i].orig_len, expected[i].orig_len);
        EXPECT_EQ(got[i].bytes, expected[i].bytes);
    }
}

ReadOutcome openAndRead(const std::string& path) {
    auto reader = openCapture(path);
    EXPECT_TRUE(reader.ok()) << (reader.ok() ? "" : reader.error().message);
    if (!reader.ok()) return {};
    return readAll(*reader.value());
}

TEST(CorpusTest, GoodPcapFilesReadLikeLibpcap) {
    SKIP_WITHOUT_CORPUS();
    const auto files = filesIn(corpusDir("good"), ".pcap");
    ASSERT_GT(files.size(), 20u);
    for (const std::string& path : files) {
        SCOPED_TRACE(path);
        auto reader = openCapture(path);
        ASSERT_TRUE(reader.ok()) << reader.error().message;
        EXPECT_STREQ(reader.value()->formatName(), "pcap");
        const ReadOutcome outcome = readAll(*reader.value());
        EXPECT_EQ(outcome.status, ReadStatus::End) << outcome.error;
        expectSamePackets(readWithLibpcap(path), outcome.packets, path);
        const uint32_t link_type = headerLinkType(path);
        for (const CopiedPacket& p : outcome.packets) EXPECT_EQ(p.link_type, link_type);
        EXPECT_EQ(reader.value()->position(), reader.value()->size());
    }
}

TEST(CorpusTest, PcapLinkTypesComeFromTheFileNotFromLibpcap) {
    SKIP_WITHOUT_CORPUS();
    // libpcap maps LINKTYPE_RAW (101) to DLT_RAW (12); the dissector wants 101.
    ReadOutcome raw = openAndRead(corpusDir("good") + "/LINKTYPE_RAW_ipv4.pcap");
    ASSERT_EQ(raw.packets.size(), 1u);
    EXPECT_EQ(raw.packets[0].link_type, 101u);
    ReadOutcome sll2 = openAndRead(corpusDir("good") + "/babel-sll2.pcap");
    ASSERT_FALSE(sll2.packets.empty());
    EXPECT_EQ(sll2.packets[0].link_type, 276u);
}

TEST(CorpusTest, BigEndianAndNanosecondPcap) {
    SKIP_WITHOUT_CORPUS();
    // a1b2c3d4 written big-endian; tshark: 1 packet
    ReadOutcome big = openAndRead(corpusDir("good") + "/unaligned-nfs-1.pcap");
    EXPECT_EQ(big.status, ReadStatus::End);
    ASSERT_EQ(big.packets.size(), 1u);
    // nanosecond magic: tshark shows frame 2 at 1418145370.052027262
    ReadOutcome nano = openAndRead(corpusDir("good") + "/tcp-handshake-nano.pcap");
    ASSERT_EQ(nano.packets.size(), 3u);
    EXPECT_EQ(nano.packets[1].time_ns, 1418145370052027262);
    EXPECT_EQ(nano.packets[1].link_type, 113u);
}

// What tshark 4.0.17 reports for the corpus pcapng files (`tshark -r F | wc -l`).
const std::map<std::string, size_t> kTsharkPcapngCounts = {
    {"empty.pcapng", 0},
    {"mixed-linktypes.pcapng", 17},
    {"print-flags-comments.pcapng", 10},
    {"rarp_req_reply.pcapng", 2},
    {"time_2107.pcapng", 1},
};

TEST(CorpusTest, GoodPcapngFilesReadLikeTshark) {
    SKIP_WITHOUT_CORPUS();
    const auto files = filesIn(corpusDir("good"), ".pcapng");
    ASSERT_FALSE(files.empty());
    for (const std::string& path : files) {
        SCOPED_TRACE(path);
        const std::string name = std::filesystem::path(path).filename().string();
        auto reader = openCapture(path);
        ASSERT_TRUE(reader.ok()) << reader.error().message;
        EXPECT_STREQ(reader.value()->formatName(), "pcapng");
        const ReadOutcome outcome = readAll(*reader.value());
        EXPECT_EQ(outcome.status, ReadStatus::End) << outcome.error;
        auto expected = kTsharkPcapngCounts.find(name);
        ASSERT_NE(expected, kTsharkPcapngCounts.end()) << "add tshark's count for " << name;
        EXPECT_EQ(outcome.packets.size(), expected->second);
        EXPECT_EQ(reader.value()->position(), reader.value()->size());
        // Where libpcap can read the file too, it must agree to the byte and nanosecond.
        if (name != "mixed-linktypes.pcapng") {
            expectSamePackets(readWithLibpcap(path), outcome.packets, path);
        }
    }
}

TEST(CorpusTest, MixedLinkTypesArePerPacket) {
    SKIP_WITHOUT_CORPUS();
    // mergecap of tcp-handshake-nano.pcap (Linux SLL, IDB 1) and gateway_or_not.pcap
    // (Ethernet, IDB 0); tshark: frames 1-3 on interface 1, 4-17 on interface 0.
    const ReadOutcome mixed = openAndRead(corpusDir("good") + "/mixed-linktypes.pcapng");
    ASSERT_EQ(mixed.status, ReadStatus::End) << mixed.error;
    ASSERT_EQ(mixed.packets.size(), 17u);
    std::vector<CopiedPacket> sll, ethernet;
    for (const CopiedPacket& p : mixed.packets) {
        if (p.number <= 3) {
            EXPECT_EQ(p.interface_id, 1u);
            EXPECT_EQ(p.link_type, 113u);
            sll.push_back(p);
        } else {
            EXPECT_EQ(p.interface_id, 0u);
            EXPECT_EQ(p.link_type, 1u);
            ethernet.push_back(p);
        }
    }
    // Each interface's packets are exactly the packets of the file it came from.
    auto renumber = [](std::vector<CopiedPacket>& packets) {
        for (size_t i = 0; i < packets.size(); ++i) packets[i].number = i + 1;
    };
    renumber(sll);
    renumber(ethernet);
    expectSamePackets(readWithLibpcap(corpusDir("good") + "/tcp-handshake-nano.pcap"), sll, "sll");
    expectSamePackets(readWithLibpcap(corpusDir("good") + "/gateway_or_not.pcap"), ethernet,
                      "ethernet");
}

TEST(CorpusTest, YearTwentyOneHundredSevenNeedsSixtyFourBits) {
    SKIP_WITHOUT_CORPUS();
    const ReadOutcome outcome = openAndRead(corpusDir("good") + "/time_2107.pcapng");
    ASSERT_EQ(outcome.packets.size(), 1u);
    EXPECT_EQ(outcome.packets[0].time_ns, 4323283200000000000);  // tshark: 4323283200.000000000
}

TEST(CorpusTest, CommentsOnPackets) {
    SKIP_WITHOUT_CORPUS();
    const ReadOutcome outcome = openAndRead(corpusDir("good") + "/print-flags-comments.pcapng");
    ASSERT_EQ(outcome.packets.size(), 10u);
    // tshark -T fields -e frame.comment
    const std::map<uint64_t, std::string> expected = {
        {1, "SYN from client (lesson: handshake step 1)"},
        {4, "HTTP GET /"},
        {6, "HTTP 200 OK response"},
        {8, "client FIN starts teardown"},
    };
    for (const CopiedPacket& p : outcome.packets) {
        auto it = expected.find(p.number);
        if (it == expected.end()) {
            EXPECT_TRUE(p.comments.empty()) << "packet " << p.number;
        } else {
            EXPECT_EQ(p.comments, std::vector<std::string>{it->second}) << "packet " << p.number;
        }
    }
}

TEST(CorpusTest, BadFilesEndOrSayWhatIsWrong) {
    SKIP_WITHOUT_CORPUS();
    const auto files = filesIn(corpusDir("bad"));
    ASSERT_GT(files.size(), 50u);
    for (const std::string& path : files) {
        SCOPED_TRACE(path);
        auto reader = openCapture(path);
        if (!reader.ok()) {
            EXPECT_FALSE(reader.error().message.empty());
            EXPECT_NE(reader.error().message.find(path), std::string::npos)
                << reader.error().message;
            continue;
        }
        const ReadOutcome outcome = readAll(*reader.value());
        EXPECT_NE(outcome.status, ReadStatus::Ok);
        if (outcome.status == ReadStatus::Error) {
            EXPECT_FALSE(outcome.error.empty());
            EXPECT_EQ(reader.value()->error(), outcome.error);
        }
        // Reading on after the end keeps saying the same.
        Record record;
        EXPECT_EQ(reader.value()->next(record), outcome.status);
    }
}

std::string badFile(const char* name) {
    return corpusDir("bad") + "/" + name;
}

TEST(CorpusTest, DamagedPcapMessagesNameThePacketAndTheByte) {
    SKIP_WITHOUT_CORPUS();
    {
        // record 2's caplen patched to 0x7fffffff; record 2 starts at 24 + 16 + 74
        const std::string path = badFile("print-flags-caplen-huge.pcap");
        const ReadOutcome outcome = openAndRead(path);
        EXPECT_EQ(outcome.packets.size(), 1u);
        EXPECT_EQ(outcome.status, ReadStatus::Error);
        EXPECT_EQ(outcome.error, path +
                                     ": packet 2 says it captured 2,147,483,647 bytes, more "
                                     "than the snapshot length 65,535: the file is damaged "
                                     "from byte 114 on");
    }
    {
        const std::string path = badFile("print-flags-trunc-rechdr.pcap");
        const ReadOutcome outcome = openAndRead(path);
        EXPECT_EQ(outcome.packets.size(), 3u);
        EXPECT_EQ(outcome.error,
                  path + " is cut short in the middle of packet 4 (record header: 8 of 16 bytes)");
    }
    {
        const std::string path = badFile("print-flags-trunc-data.pcap");
        const ReadOutcome outcome = openAndRead(path);
        EXPECT_EQ(outcome.packets.size(), 3u);
        EXPECT_EQ(outcome.error,
                  path + " is cut short in the middle of packet 4 (packet data: 100 of 268 bytes)");
    }
    {
        const std::string path = badFile("print-flags-trunc-filehdr.pcap");
        auto reader = openCapture(path);
        ASSERT_FALSE(reader.ok());
        EXPECT_EQ(reader.error().message,
                  path + " is cut short inside its pcap file header (12 of 24 bytes)");
    }
    {
        const std::string path = badFile("pcap-invalid-version-1.pcap");
        auto reader = openCapture(path);
        ASSERT_FALSE(reader.ok());
        EXPECT_NE(reader.error().message.find("version 1.4"), std::string::npos)
            << reader.error().message;
    }
}

TEST(CorpusTest, DamagedPcapngMessagesNameThePacket) {
    SKIP_WITHOUT_CORPUS();
    {
        // cut to 3000 bytes inside packet 6's block (libpcap: "tried to read 5680 bytes, only
        // got 2076")
        const std::string path = badFile("print-flags-comments-trunc.pcapng");
        const ReadOutcome outcome = openAndRead(path);
        EXPECT_EQ(outcome.packets.size(), 5u);
        EXPECT_EQ(outcome.error, path +
                                     " is cut short in the middle of packet 6 (block: 2,084 of "
                                     "5,688 bytes)");
    }
    {
        const std::string path = badFile("pcapng-invalid-vers-2.pcapng");
        auto reader = openCapture(path);
        ASSERT_FALSE(reader.ok());
        EXPECT_NE(reader.error().message.find("version 1.1"), std::string::npos)
            << reader.error().message;
    }
    {
        const std::string path = badFile("shb-option-too-long.pcapng");
        auto reader = openCapture(path);
        ASSERT_FALSE(reader.ok());
        EXPECT_NE(reader.error().message.find("damaged from byte 0 on"), std::string::npos)
            << reader.error().message;
    }
}

TEST(OpenTest, MissingFile) {
    auto reader = openCapture("/nonexistent/lesson.pcap");
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.error().message,
              "cannot open /nonexistent/lesson.pcap: No such file or directory");
}

TEST(OpenTest, Folder) {
    auto reader = openCapture("/tmp");
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.error().message, "cannot open /tmp: it is a folder, not a capture file");
}

TEST(OpenTest, NotACapture) {
    testing::TempPath page("osilab-page");
    const std::string html = "<html><body>404</body></html>";
    testing::writeBytes(page.path(), std::vector<uint8_t>(html.begin(), html.end()));
    auto reader = openCapture(page.path());
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.error().message.rfind(page.path() +
                                               " is neither a pcap nor a pcapng file (it starts "
                                               "with 3c 68 74 6d)",
                                           0),
              0u)
        << reader.error().message;

    testing::TempPath empty("osilab-empty");
    testing::writeBytes(empty.path(), {});
    auto none = openCapture(empty.path());
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().message,
              empty.path() + " is empty: it is neither a pcap nor a pcapng file");
}

TEST(OpenTest, BufferUsesTheGivenName) {
    auto reader = openCaptureBuffer({0x1f, 0x8b, 0x08, 0x00, 0x00}, "lesson.pcap.gz");
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.error().message,
              "lesson.pcap.gz is neither a pcap nor a pcapng file (it starts with 1f 8b 08 00); "
              "it is gzip-compressed: decompress it first (gunzip)");
}

TEST(OpenTest, BufferReadsLikeTheFile) {
    SKIP_WITHOUT_CORPUS();
    for (const char* name : {"print-flags.pcap", "print-flags-comments.pcapng"}) {
        const std::string path = corpusDir("good") + "/" + name;
        auto from_file = openCapture(path);
        auto from_memory = openCaptureBuffer(testing::readBytes(path), name);
        ASSERT_TRUE(from_file.ok());
        ASSERT_TRUE(from_memory.ok());
        const ReadOutcome a = readAll(*from_file.value());
        const ReadOutcome b = readAll(*from_memory.value());
        ASSERT_EQ(a.packets.size(), b.packets.size());
        for (size_t i = 0; i < a.packets.size(); ++i) {
            EXPECT_EQ(a.packets[i].bytes, b.packets[i].bytes);
            EXPECT_EQ(a.packets[i].time_ns, b.packets[i].time_ns);
            EXPECT_EQ(a.packets[i].comments, b.packets[i].comments);
        }
        EXPECT_EQ(from_memory.value()->size(), std::filesystem::file_size(path));
    }
}

}  // namespace
}  // namespace osilab::capture
