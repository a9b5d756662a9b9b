// Reading a long capture must not touch the heap per packet: counts every operator new in this
// test binary while packets stream through the readers and a filter.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "lab/capture/capture_reader.h"
#include "lab/capture/packet_filter.h"
#include "lab/capture/pcapng_writer.h"
#include "lab/capture/tests/capture_test_support.h"

namespace {
std::atomic<uint64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

namespace osilab::capture {
namespace {

// Reads `reader` to the end, filtering every packet; returns the allocations made after the
// first `warm_up` packets.
uint64_t allocationsAfterWarmUp(CaptureReader& reader, PacketFilter& filter, size_t warm_up,
                                size_t& packets, size_t& matched) {
    Record record;
    uint64_t before = 0;
    while (reader.next(record) == ReadStatus::Ok) {
        if (++packets == warm_up) before = g_allocations.load();
        const PacketRecord& p = record.packet;
        matched += filter.matches(p.link_type, p.data, p.cap_len, p.orig_len);
    }
    return g_allocations.load() - before;
}

TEST(SteadyStateAllocationTest, PcapngFileWithCommentsAndRefills) {
    testing::TempPath file("osilab-alloc");
    std::vector<uint8_t> frame(200, 0);
    frame[12] = 0x08;  // Ethernet, IPv4
    frame[14] = 0x45;
    frame[23] = 17;  // UDP
    const std::vector<std::string> comments = {"a comment longer than any small-string buffer"};
    constexpr uint32_t kPackets = 10'000;  // ~2.7 MB: many refills of the 1 MiB read buffer
    {
        auto w = PcapngWriter::create(file.path());
        ASSERT_TRUE(w.ok());
        ASSERT_TRUE(w.value().writeSectionHeader().ok());
        ASSERT_TRUE(w.value().addInterface(1, 262144, "lo").ok());
        for (uint32_t i = 0; i < kPackets; ++i) {
            const uint32_t size = 60 + i % 140;
            ASSERT_TRUE(w.value().writePacket(0, i, frame.data(), size, size, comments).ok());
        }
    }
    auto reader = openCapture(file.path());
    ASSERT_TRUE(reader.ok());
    auto filter = PacketFilter::compile("udp");
    ASSERT_TRUE(filter.ok());
    size_t packets = 0, matched = 0;
    EXPECT_EQ(allocationsAfterWarmUp(*reader.value(), filter.value(), 10, packets, matched), 0u);
    EXPECT_EQ(packets, kPackets);
    EXPECT_EQ(matched, kPackets);
}

TEST(SteadyStateAllocationTest, PcapThroughLibpcap) {
    SKIP_WITHOUT_CORPUS();
    auto reader = openCapture(testing::corpusDir("good") + "/edns-opts.pcap");
    ASSERT_TRUE(reader.ok());
    auto filter = PacketFilter::compile("udp port 53");
    ASSERT_TRUE(filter.ok());
    size_t packets = 0, matched = 0;
    EXPECT_EQ(allocationsAfterWarmUp(*reader.value(), filter.value(), 2, packets, matched), 0u);
    EXPECT_EQ(packets, 42u);  // tshark: 42 DNS messages
    EXPECT_EQ(matched, 42u);
}

}  // namespace
}  // namespace osilab::capture
