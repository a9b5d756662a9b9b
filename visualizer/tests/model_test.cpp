// The viewer's model driven as the panes drive it: open, read rows, select, filter.
#include "visualizer/model.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace osilab::viewer {
namespace {

const std::string kCorpus = OSILAB_CORPUS;

TEST(Model, RowsAreMadeOnDemandWithRelativeNumbers) {
    Model model;
    model.open(kCorpus + "/good/print-flags.pcap");
    model.waitUntilIdle();
    EXPECT_EQ(model.status().state, session::LoadState::Finished);
    ASSERT_EQ(model.rowCount(), 10u);
    // As tshark shows packet 7: "55920 → 80 [ACK] Seq=203 Ack=5560 …"
    const RowText& row = model.rowText(6);
    EXPECT_EQ(row.source, "127.0.0.1");
    EXPECT_EQ(row.destination, "127.0.0.1");
    EXPECT_EQ(row.info.rfind("55920 → 80 [ACK] Seq=203 Ack=5560", 0), 0u) << row.info;
}

TEST(Model, DetailColoursEveryHeaderByteByItsLayer) {
    Model model;
    model.open(kCorpus + "/good/print-flags.pcap");
    model.waitUntilIdle();
    const PacketDetail* detail = model.detail(0);  // SYN: Ethernet, IPv4, TCP with options
    ASSERT_NE(detail, nullptr);
    ASSERT_EQ(detail->layer_of_byte.size(), 74u);
    const auto& layers = detail->dissection.layers;
    EXPECT_EQ(layers.at(size_t(detail->layer_of_byte[0])).protocol, packet::Protocol::Ethernet);
    EXPECT_EQ(layers.at(size_t(detail->layer_of_byte[14])).protocol, packet::Protocol::Ipv4);
    EXPECT_EQ(layers.at(size_t(detail->layer_of_byte[34])).protocol, packet::Protocol::Tcp);
    EXPECT_EQ(layers.at(size_t(detail->layer_of_byte[73])).protocol, packet::Protocol::Tcp);
    // The OSI view puts TCP at layer 4 (index 3 counted from layer 7).
    ASSERT_FALSE(detail->osi[3].layers.empty());
    EXPECT_EQ(layers[detail->osi[3].layers[0]].protocol, packet::Protocol::Tcp);
    EXPECT_FALSE(detail->osi[6].note_zh.empty());  // layer 1 explains the missing wire
    // Bytes 34-35 are the source port: the narrowest field there is tcp.srcport.
    const int field = detail->fieldAtByte(34);
    ASSERT_GE(field, 0);
    EXPECT_STREQ(detail->dissection.fields[size_t(field)].info->name, "tcp.srcport");
    EXPECT_EQ(detail->values[size_t(field)], "55920");
    EXPECT_EQ(model.detail(0), detail);  // cached while it stays selected
    EXPECT_EQ(model.detail(99), nullptr);
}

TEST(Model, FilterNarrowsTheRowsAndMapsPacketsToRows) {
    Model model;
    model.open(kCorpus + "/good/print-flags.pcap");
    model.waitUntilIdle();
    EXPECT_NE(model.applyFilter("tcp prot 80"), "");  // libpcap's syntax error, for the UI
    EXPECT_EQ(model.filter(), nullptr);
    EXPECT_EQ(model.applyFilter("tcp[tcpflags] & tcp-syn != 0"), "");
    model.waitUntilIdle();
    ASSERT_EQ(model.rowCount(), 2u);  // SYN and SYN-ACK
    EXPECT_EQ(model.packetOfRow(0), 0u);
    EXPECT_EQ(model.packetOfRow(1), 1u);
    EXPECT_EQ(model.rowOfPacket(1), 1u);
    EXPECT_FALSE(model.rowOfPacket(5).has_value());
    EXPECT_EQ(model.applyFilter(""), "");
    EXPECT_EQ(model.rowCount(), 10u);
}

TEST(Model, TextsAreReportedForTheFont) {
    Model model;
    std::set<std::string> seen;
    model.setTextObserver([&](std::string_view text) { seen.emplace(text); });
    model.open(kCorpus + "/good/print-flags.pcap");
    model.waitUntilIdle();
    model.rowText(0);
    model.detail(0);
    EXPECT_TRUE(seen.count("127.0.0.1"));
    bool chinese = false;
    for (const std::string& s : seen) chinese |= s.find("源端口") != std::string::npos;
    EXPECT_TRUE(chinese) << "the zh field titles must reach the glyph builder";
}

TEST(Model, DamagedFileShowsWhatWasReadable) {
    Model model;
    model.open(kCorpus + "/bad/print-flags-trunc-data.pcap");
    model.waitUntilIdle();
    EXPECT_EQ(model.status().state, session::LoadState::Damaged);
    EXPECT_EQ(model.rowCount(), 3u);
    EXPECT_NE(model.detail(2), nullptr);
}

TEST(Model, OpeningAnotherFileReplacesTheFirst) {
    Model model;
    model.open(kCorpus + "/good/print-flags.pcap");
    model.waitUntilIdle();
    model.detail(0);
    model.open(kCorpus + "/good/dns_udp.pcap");
    model.waitUntilIdle();
    EXPECT_EQ(model.rowCount(), 2u);
    EXPECT_EQ(model.detail(0)->dissection.summary.protocol, packet::Protocol::Dns);
}

// The interaction a student makes, as the panes would send it: select a packet, filter to its
// port, follow its stream; the model answers each step.
TEST(Model, ScriptedSelectFilterFollow) {
    Model model;
    model.open(OSILAB_SESSION_DATA "/interleaved-streams.pcap");
    model.waitUntilIdle();
    ASSERT_EQ(model.rowCount(), 38u);
    const PacketDetail* selected = model.detail(14);  // packet 15: "hello 1 你好"
    ASSERT_NE(selected, nullptr);
    EXPECT_EQ(selected->dissection.conversation_index, 1u);
    EXPECT_EQ(model.applyFilter("udp port 9001"), "");
    model.waitUntilIdle();
    EXPECT_EQ(model.rowCount(), 8u);
    EXPECT_FALSE(model.rowOfPacket(14).has_value());
    EXPECT_EQ(model.applyFilter("tcp port 54554"), "");
    model.waitUntilIdle();
    EXPECT_EQ(model.rowCount(), 10u);
    EXPECT_EQ(model.rowOfPacket(14), 3u);  // stream 1 is packets 4-6, 15-19, 24, 25
    model.follow(true, 1);
    ASSERT_NE(model.followed(), nullptr);
    ASSERT_EQ(model.followed()->text.size(), 2u);
    EXPECT_EQ(model.followed()->text[0], "hello 1 你好");
    EXPECT_EQ(model.followed()->text[1], "echo:hello 1 你好");
    const session::ConversationTable& table = model.conversations();
    EXPECT_EQ(table.tcp().size(), 3u);
    EXPECT_EQ(model.endpoints(true, 1).first, "127.0.0.1:54554");
    model.closeFollow();
    EXPECT_EQ(model.followed(), nullptr);
}

}  // namespace
}  // namespace osilab::viewer
