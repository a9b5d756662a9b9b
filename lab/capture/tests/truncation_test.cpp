// A good capture cut at every byte: every whole packet before the cut comes out, then either End
// (cut between records) or a message naming the packet the cut went through.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>

#include "lab/capture/capture_reader.h"
#include "lab/capture/message_text.h"
#include "lab/capture/tests/capture_test_support.h"

namespace osilab::capture {
namespace {

using testing::corpusDir;
using testing::readAll;
using testing::ReadOutcome;

// Where each record of a file ends, and whether it is a packet (walked independently of the
// reader: classic pcap records, or little-endian pcapng blocks).
struct Layout {
    size_t header_end = 0;  // the file header (pcap) or first section header (pcapng)
    std::vector<size_t> record_ends;
    std::vector<bool> is_packet;
};

uint32_t le32(const std::vector<uint8_t>& bytes, size_t at) {
    uint32_t v;
    std::memcpy(&v, bytes.data() + at, 4);
    return v;
}

Layout pcapLayout(const std::vector<uint8_t>& bytes) {
    Layout layout;
    layout.header_end = 24;
    for (size_t at = 24; at + 16 <= bytes.size();) {
        at += 16 + le32(bytes, at + 8);
        layout.record_ends.push_back(at);
        layout.is_packet.push_back(true);
    }
    return layout;
}

Layout pcapngLayout(const std::vector<uint8_t>& bytes) {
    Layout layout;
    layout.header_end = le32(bytes, 4);
    for (size_t at = layout.header_end; at + 8 <= bytes.size();) {
        const uint32_t type = le32(bytes, at);
        at += le32(bytes, at + 4);
        layout.record_ends.push_back(at);
        layout.is_packet.push_back(type == 6 || type == 3 || type == 2);
    }
    return layout;
}

void checkEveryCut(const std::string& file, bool pcapng, size_t step, bool through_files) {
    const std::vector<uint8_t> whole = testing::readBytes(corpusDir("good") + "/" + file);
    const Layout layout = pcapng ? pcapngLayout(whole) : pcapLayout(whole);
    ASSERT_EQ(layout.record_ends.back(), whole.size());

    auto full_reader = openCaptureBuffer(whole, file);
    ASSERT_TRUE(full_reader.ok());
    const ReadOutcome full = readAll(*full_reader.value());
    ASSERT_EQ(full.status, ReadStatus::End);

    testing::TempPath temp("osilab-cut");
    std::vector<size_t> cuts;
    for (size_t cut = 0; cut < whole.size(); cut += step) cuts.push_back(cut);
    if (through_files) {
        // One file shortened step by step: truncate() is far cheaper than rewriting it.
        testing::writeBytes(temp.path(), whole);
        std::reverse(cuts.begin(), cuts.end());
    }
    for (const size_t cut : cuts) {
        SCOPED_TRACE(file + " cut at " + std::to_string(cut));
        const std::string name = through_files ? temp.path() : "cut-" + file;
        Result<std::unique_ptr<CaptureReader>> reader = Error{};
        if (through_files) {
            ASSERT_EQ(::truncate(temp.path().c_str(), static_cast<off_t>(cut)), 0);
            reader = openCapture(temp.path());
        } else {
            reader = openCaptureBuffer(
                std::vector<uint8_t>(whole.begin(), whole.begin() + static_cast<long>(cut)), name);
        }
        if (cut < layout.header_end) {
            ASSERT_FALSE(reader.ok());
            EXPECT_EQ(reader.error().message.rfind(name, 0), 0u) << reader.error().message;
            continue;
        }
        ASSERT_TRUE(reader.ok()) << reader.error().message;
        const ReadOutcome outcome = readAll(*reader.value());

        size_t records = 0, packets = 0;
        while (records < layout.record_ends.size() && layout.record_ends[records] <= cut) {
            packets += layout.is_packet[records];
            ++records;
        }
        ASSERT_EQ(outcome.packets.size(), packets);
        for (size_t i = 0; i < packets; ++i) {
            EXPECT_EQ(outcome.packets[i].bytes, full.packets[i].bytes);
            EXPECT_EQ(outcome.packets[i].time_ns, full.packets[i].time_ns);
            EXPECT_EQ(outcome.packets[i].comments, full.packets[i].comments);
        }
        const bool at_boundary =
            cut == layout.header_end || (records > 0 && layout.record_ends[records - 1] == cut);
        if (at_boundary) {
            EXPECT_EQ(outcome.status, ReadStatus::End) << outcome.error;
            continue;
        }
        ASSERT_EQ(outcome.status, ReadStatus::Error);
        EXPECT_EQ(outcome.error.rfind(name + " is cut short ", 0), 0u) << outcome.error;
        // The record the cut went through is layout record `records`; a pcapng block is known
        // to be a packet once its 4-byte type is in.
        const size_t record_start =
            records == 0 ? layout.header_end : layout.record_ends[records - 1];
        const bool type_known = !pcapng || cut - record_start >= 4;
        const std::string where = layout.is_packet[records] && type_known
                                      ? "in the middle of packet " + withThousands(packets + 1)
                                  : packets == 0 ? std::string("before its first packet")
                                                 : "after packet " + withThousands(packets);
        EXPECT_NE(outcome.error.find(where), std::string::npos) << outcome.error;
    }
}

TEST(TruncationTest, PcapInMemoryAtEveryByte) {
    SKIP_WITHOUT_CORPUS();
    checkEveryCut("print-flags.pcap", false, 1, false);
}

TEST(TruncationTest, PcapFilesAtManyBytes) {
    SKIP_WITHOUT_CORPUS();
    checkEveryCut("print-flags.pcap", false, 3, true);
}

TEST(TruncationTest, PcapngInMemoryAtEveryByte) {
    SKIP_WITHOUT_CORPUS();
    checkEveryCut("print-flags-comments.pcapng", true, 1, false);
    checkEveryCut("mixed-linktypes.pcapng", true, 1, false);
}

TEST(TruncationTest, PcapngFilesAtManyBytes) {
    SKIP_WITHOUT_CORPUS();
    checkEveryCut("print-flags-comments.pcapng", true, 3, true);
}

TEST(TruncationTest, NanosecondBigEndianPcap) {
    SKIP_WITHOUT_CORPUS();
    checkEveryCut("tcp-handshake-nano.pcap", false, 1, false);
}

}  // namespace
}  // namespace osilab::capture
