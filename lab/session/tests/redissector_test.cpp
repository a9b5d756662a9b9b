// Re-dissecting packets one at a time, in any order, gives exactly what the in-order pass gave:
// relative sequence numbers, stream indexes and every field value.
#include "lab/session/redissector.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "lab/packet/dissector.h"
#include "lab/session/session.h"
#include "lab/session/session_loader.h"

namespace osilab::session {
namespace {

const std::string kCorpus = OSILAB_CORPUS;
const std::string kData = OSILAB_TEST_DATA;

std::shared_ptr<Session> loadAndWait(const std::string& path) {
    auto session = std::make_shared<Session>();
    SessionLoader::loadFile(session, path)->wait();
    return session;
}

// What the packet list and the layer view show of one packet.
std::string describe(const packet::Dissection& d) {
    std::string out = d.summary.source + " > " + d.summary.destination + " " +
                      packet::protocolDisplay(d.summary.protocol) + " " + d.summary.info + "\n";
    for (const packet::Field& f : d.fields) {
        out += f.info ? f.info->name : "?";
        // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on "=" + std::string.
        out += '=';
        out += std::to_string(f.number);
        out += '@';
        out += std::to_string(f.begin);
        out += '-';
        out += std::to_string(f.end);
        out += '\n';
    }
    out += "conversation " + std::to_string(int(d.conversation)) + ":" +
           std::to_string(d.conversation_index);
    return out;
}

std::vector<std::string> inOrder(const Session& session) {
    packet::Dissector dissector;
    packet::Dissection d;
    std::vector<std::string> out;
    for (size_t i = 0; i < session.packetCount(); ++i) {
        dissector.dissect(session.packetView(i), {.fields = true}, d);
        out.push_back(describe(d));
    }
    return out;
}

class RedissectorCorpus : public ::testing::TestWithParam<const char*> {};

TEST_P(RedissectorCorpus, AnyOrderMatchesTheInOrderPass) {
    const std::string name = GetParam();
    auto session =
        loadAndWait(name.find('/') == std::string::npos ? kCorpus + "/good/" + name : name);
    ASSERT_GT(session->packetCount(), 0u);
    const std::vector<std::string> expected = inOrder(*session);

    std::vector<size_t> order(session->packetCount());
    for (size_t i = 0; i < order.size(); ++i) order[i] = order.size() - 1 - i;  // backwards
    std::mt19937 random(42);
    std::vector<size_t> shuffled = order;
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    order.insert(order.end(), shuffled.begin(), shuffled.end());

    Redissector redissector(*session);
    packet::Dissection d;
    for (size_t i : order) {
        redissector.dissect(i, {.fields = true}, d);
        EXPECT_EQ(describe(d), expected[i]) << GetParam() << " packet " << i + 1;
    }
}

INSTANTIATE_TEST_SUITE_P(Corpus, RedissectorCorpus,
                         ::testing::Values("print-flags.pcap", "dns_tcp.pcap", "dns_udp.pcap",
                                           "mixed-linktypes.pcapng", "accecn_handshake.pcap",
                                           "quic_handshake.pcap", "tcp-handshake-nano.pcap",
                                           "gateway_or_not.pcap",
                                           OSILAB_TEST_DATA "/interleaved-streams.pcap"));

// interleaved-streams.pcap (recorded here on loopback in a private network namespace): three TCP
// connections whose packets interleave, then two UDP flows. tshark shows packet 26 as
// "9000 → 54564 [PSH, ACK] Seq=1 Ack=15 … Len=19" in tcp.stream 2, packet 35 in udp.stream 1.
TEST(Redissector, InterleavedStreamsKeepTheirNumbers) {
    auto session = loadAndWait(kData + "/interleaved-streams.pcap");
    ASSERT_EQ(session->packetCount(), 38u);
    EXPECT_EQ(session->tcpStreamStarts().size(), 3u);
    EXPECT_EQ(session->tcpStreamStarts()[2], 6u);  // packet 7
    EXPECT_EQ(session->udpFlowStarts().size(), 2u);
    EXPECT_EQ(session->udpFlowStarts()[1], 34u);  // packet 35

    Redissector redissector(*session);
    packet::Dissection d;
    redissector.dissect(25, {.fields = true}, d);
    EXPECT_EQ(d.conversation, packet::ConversationKind::TcpStream);
    EXPECT_EQ(d.conversation_index, 2u);
    EXPECT_EQ(d.summary.info.rfind("9000 → 54564 [PSH, ACK] Seq=1 Ack=15", 0), 0u)
        << d.summary.info;
    const packet::TcpStream* stream = redissector.conversations().tcpStream(2);
    ASSERT_NE(stream, nullptr);  // the OSI view's session layer looks it up by this index
    EXPECT_EQ(stream->server.port, 9000);

    redissector.dissect(34, {.fields = true}, d);
    EXPECT_EQ(d.conversation, packet::ConversationKind::UdpFlow);
    EXPECT_EQ(d.conversation_index, 1u);
    // Only stream 2's packets before packet 26 were replayed, not the whole capture.
    EXPECT_LE(redissector.replayedPackets(), 10u);
}

TEST(Redissector, TcpPacketsOfAStreamKnowTheirRelativeNumbers) {
    // print-flags.pcap: handshake, HTTP, teardown; tshark shows packet 7 as
    // "55920 → 80 [ACK] Seq=203 Ack=5560 …", numbers relative to each side's ISN.
    auto session = loadAndWait(kCorpus + "/good/print-flags.pcap");
    ASSERT_EQ(session->packetCount(), 10u);
    ASSERT_TRUE(session->packet(6).isTcp());
    EXPECT_EQ(session->tcpStreamStarts().size(), 1u);
    EXPECT_EQ(session->tcpStreamStarts()[0], 0u);
    Redissector redissector(*session);
    packet::Dissection d;
    redissector.dissect(6, {.fields = false}, d);
    EXPECT_NE(d.summary.info.find("Seq=203 Ack=5560"), std::string::npos) << d.summary.info;
    EXPECT_GT(redissector.replayedPackets(), 0u);
}

}  // namespace
}  // namespace osilab::session
