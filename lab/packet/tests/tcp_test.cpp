// TCP header, options, relative numbers and Info column, checked against what tshark 4.0 shows
// for the same packets.
#include <gtest/gtest.h>

#include "lab/packet/info_writer.h"
#include "lab/packet/tests/transport_test_util.h"
#include "lab/packet/text_format.h"

namespace osilab::packet::testing {
namespace {

// tshark -r print-flags.pcap (Info column)
const char* const kPrintFlagsInfo[] = {
    "55920 → 80 [SYN] Seq=0 Win=32767 Len=0 MSS=16396 SACK_PERM TSval=1306300950 TSecr=0 WS=4",
    "80 → 55920 [SYN, ACK] Seq=0 Ack=1 Win=32767 Len=0 MSS=16396 SACK_PERM TSval=1306300950 "
    "TSecr=1306300950 WS=4",
    "55920 → 80 [ACK] Seq=1 Ack=1 Win=32768 Len=0 TSval=1306300950 TSecr=1306300950",
    "GET / HTTP/1.1 ",
    "80 → 55920 [ACK] Seq=1 Ack=203 Win=32768 Len=0 TSval=1306300952 TSecr=1306300951",
    "HTTP/1.1 200 OK  (text/html)",
    "55920 → 80 [ACK] Seq=203 Ack=5560 Win=49532 Len=0 TSval=1306300953 TSecr=1306300953",
    "55920 → 80 [FIN, ACK] Seq=203 Ack=5560 Win=49532 Len=0 TSval=1306302241 TSecr=1306300953",
    "80 → 55920 [FIN, ACK] Seq=5560 Ack=204 Win=32768 Len=0 TSval=1306302243 TSecr=1306302241",
    "55920 → 80 [ACK] Seq=204 Ack=5561 Win=49532 Len=0 TSval=1306302243 TSecr=1306302243",
};

TEST(Tcp, PrintFlagsInfoColumnMatchesTshark) {
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    ASSERT_EQ(cap.packets.size(), 10u);
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    for (size_t i = 0; i < d.size(); ++i) {
        EXPECT_EQ(d[i].summary.info, kPrintFlagsInfo[i]) << "frame " << i + 1;
        Protocol expected = (i == 3 || i == 5) ? Protocol::Http : Protocol::Tcp;
        EXPECT_EQ(d[i].summary.protocol, expected) << "frame " << i + 1;
        EXPECT_EQ(d[i].conversation, ConversationKind::TcpStream);
        EXPECT_EQ(d[i].conversation_index, 0u);
    }
}

TEST(Tcp, SummaryPathGivesTheSameInfoWithoutFields) {
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    Conversations conversations;
    Dissection d;
    for (size_t i = 0; i < cap.packets.size(); ++i) {
        dissectTransport(cap, i, &conversations, d, /*fields=*/false);
        EXPECT_EQ(d.summary.info, kPrintFlagsInfo[i]) << "frame " << i + 1;
        EXPECT_TRUE(d.fields.empty());
        EXPECT_TRUE(d.texts.empty());
        ASSERT_FALSE(d.layers.empty());
        EXPECT_EQ(d.layers[0].protocol, Protocol::Tcp);
        EXPECT_EQ(d.layers[0].osi, OsiLayer::Transport);
    }
}

TEST(Tcp, SynFieldsMatchTshark) {
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    Conversations conversations;
    Dissection d;
    dissectTransport(cap, 0, &conversations, d);
    ASSERT_EQ(d.layers.size(), 1u);
    EXPECT_EQ(d.layers[0].begin, 34u);
    EXPECT_EQ(d.layers[0].end, 74u);
    const Field* f = findField(d, "tcp.srcport");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->number, 55920u);
    EXPECT_EQ(f->begin, 34u);
    EXPECT_EQ(f->end, 36u);
    EXPECT_EQ(number(d, "tcp.dstport"), 80u);
    EXPECT_EQ(number(d, "tcp.stream"), 0u);
    EXPECT_EQ(number(d, "tcp.len"), 0u);
    EXPECT_EQ(number(d, "tcp.seq"), 0u);
    EXPECT_EQ(number(d, "tcp.seq_raw"), 928549246u);
    EXPECT_EQ(number(d, "tcp.nxtseq"), 1u);
    EXPECT_EQ(number(d, "tcp.ack"), 0u);
    EXPECT_EQ(number(d, "tcp.ack_raw"), 0u);
    EXPECT_EQ(number(d, "tcp.hdr_len"), 40u);
    f = findField(d, "tcp.flags");
    EXPECT_EQ(show(cap, 0, d, f), "0x0002 (SYN)");
    EXPECT_EQ(f->begin, 46u);
    EXPECT_EQ(f->end, 48u);
    f = findField(d, "tcp.flags.syn");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->kind, FieldKind::Boolean);
    EXPECT_EQ(f->number, 1u);
    EXPECT_EQ(f->depth, 1);
    EXPECT_EQ(f->begin, 47u);
    EXPECT_EQ(number(d, "tcp.flags.ack"), 0u);
    EXPECT_EQ(number(d, "tcp.flags.res"), 0u);
    EXPECT_EQ(findField(d, "tcp.flags.res")->begin, 46u);
    EXPECT_EQ(number(d, "tcp.window_size_value"), 32767u);
    EXPECT_EQ(number(d, "tcp.window_size"), 32767u);
    EXPECT_EQ(findField(d, "tcp.window_size_scalefactor"), nullptr);  // SYNs are never scaled
    EXPECT_EQ(show(cap, 0, d, findField(d, "tcp.checksum")), "0x1421");
    EXPECT_EQ(number(d, "tcp.urgent_pointer"), 0u);

    f = findField(d, "tcp.options");
    EXPECT_EQ(value(cap, 0, d, f), "02:04:40:0c:04:02:08:0a:4d:dc:92:16:00:00:00:00:01:03:03:02");
    EXPECT_EQ(f->begin, 54u);
    EXPECT_EQ(f->end, 74u);
    f = findField(d, "tcp.options.mss");
    EXPECT_EQ(value(cap, 0, d, f), "02:04:40:0c");
    EXPECT_EQ(f->depth, 1);
    EXPECT_EQ(show(cap, 0, d, findField(d, "tcp.option_kind")), "Maximum Segment Size (2)");
    EXPECT_EQ(findField(d, "tcp.option_kind")->depth, 2);
    EXPECT_EQ(number(d, "tcp.option_len"), 4u);
    f = findField(d, "tcp.options.mss_val");
    EXPECT_EQ(f->number, 16396u);
    EXPECT_EQ(f->begin, 56u);
    EXPECT_EQ(value(cap, 0, d, findField(d, "tcp.options.sack_perm")), "04:02");
    EXPECT_EQ(number(d, "tcp.options.timestamp.tsval"), 1306300950u);
    EXPECT_EQ(number(d, "tcp.options.timestamp.tsecr"), 0u);
    EXPECT_EQ(value(cap, 0, d, findField(d, "tcp.options.nop")), "01");
    f = findField(d, "tcp.options.wscale.shift");
    EXPECT_EQ(f->number, 2u);
    EXPECT_EQ(f->begin, 73u);
    EXPECT_EQ(number(d, "tcp.options.wscale.multiplier"), 4u);
    EXPECT_EQ(findField(d, "tcp.payload"), nullptr);
    EXPECT_TRUE(d.problems.empty());
}

TEST(Tcp, DataSegmentsAndTeardownMatchTshark) {
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    EXPECT_EQ(number(d[1], "tcp.ack"), 1u);
    EXPECT_EQ(number(d[1], "tcp.ack_raw"), 928549247u);
    EXPECT_EQ(show(cap, 1, d[1], findField(d[1], "tcp.flags")), "0x0012 (SYN, ACK)");

    // Frame 4: the GET, with the client's window scaled by 4.
    EXPECT_EQ(number(d[3], "tcp.len"), 202u);
    EXPECT_EQ(number(d[3], "tcp.seq"), 1u);
    EXPECT_EQ(number(d[3], "tcp.nxtseq"), 203u);
    EXPECT_EQ(number(d[3], "tcp.ack_raw"), 930778610u);
    EXPECT_EQ(number(d[3], "tcp.window_size_value"), 8192u);
    EXPECT_EQ(number(d[3], "tcp.window_size"), 32768u);
    EXPECT_EQ(number(d[3], "tcp.window_size_scalefactor"), 4u);
    const Field* payload = findField(d[3], "tcp.payload");
    ASSERT_NE(payload, nullptr);
    EXPECT_EQ(payload->begin, 66u);
    EXPECT_EQ(payload->end, 268u);
    ASSERT_EQ(d[3].layers.size(), 2u);
    EXPECT_EQ(d[3].layers[1].protocol, Protocol::Http);

    EXPECT_EQ(number(d[5], "tcp.len"), 5559u);
    EXPECT_EQ(number(d[5], "tcp.nxtseq"), 5560u);
    EXPECT_EQ(number(d[6], "tcp.window_size_value"), 12383u);
    EXPECT_EQ(number(d[6], "tcp.window_size"), 49532u);
    EXPECT_EQ(number(d[7], "tcp.nxtseq"), 204u);  // a FIN counts as one byte
    EXPECT_EQ(number(d[8], "tcp.seq"), 5560u);
    EXPECT_EQ(number(d[8], "tcp.ack"), 204u);
    EXPECT_EQ(show(cap, 7, d[7], findField(d[7], "tcp.flags")), "0x0011 (FIN, ACK)");

    // The lesson's view of the same connection.
    EXPECT_EQ(show(cap, 0, d[0], findField(d[0], "tcp.osilab.phase")), "handshake (0)");
    EXPECT_EQ(findField(d[2], "tcp.osilab.phase")->number, uint64_t(TcpPhase::Data));
    EXPECT_EQ(findField(d[7], "tcp.osilab.phase")->number, uint64_t(TcpPhase::Teardown));
    EXPECT_EQ(findField(d[9], "tcp.osilab.phase")->number, uint64_t(TcpPhase::Closed));
    const TcpStream* s = conversations.tcpStream(0);
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->handshakeComplete());
    EXPECT_TRUE(s->teardownComplete());
    EXPECT_EQ(s->first_closer, 0);
    EXPECT_EQ(s->payload_bytes[0], 202u);
    EXPECT_EQ(s->payload_bytes[1], 5559u);
    EXPECT_EQ(s->packets[0], 6u);
    EXPECT_EQ(s->packets[1], 4u);
    EXPECT_EQ(s->client.toString(), "127.0.0.1:55920");
    EXPECT_EQ(s->server.toString(), "127.0.0.1:80");
}

// tcp_tracking.pcap: crafted edge cases; the expected values are tshark's (see craft_transport.py).
TEST(Tcp, StreamsSeqAckAndWindowScalingFollowTshark) {
    TestCapture cap = readPcap(testData("tcp_tracking.pcap"));
    ASSERT_EQ(cap.packets.size(), 37u);
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    struct Row {
        uint32_t stream, seq, nxtseq, ack, window;
        int scalefactor;  // 0: tshark shows none or a negative one
    };
    // tshark -T fields -e tcp.stream -e tcp.seq -e tcp.nxtseq -e tcp.ack -e tcp.window_size
    //                  -e tcp.window_size_scalefactor
    const Row rows[] = {
        {0, 0, 1, 555, 65535, 0}, {0, 0, 1, 1, 65535, 0},   {0, 1, 1, 1, 12800, 128},
        {0, 1, 6, 1, 12800, 128}, {0, 1, 1, 1, 800, 4},     {0, 6, 7, 1, 12800, 128},
        {0, 1, 2, 7, 800, 4},     {0, 7, 7, 2, 12800, 128}, {1, 0, 1, 0, 65535, 0},
        {1, 0, 1, 1, 65535, 0},   {1, 1, 1, 1, 100, 0},     {2, 1, 4, 1, 10, 0},
        {2, 1, 1, 4, 20, 0},      {3, 0, 1, 0, 65535, 0},   {3, 1, 1, 1, 65535, 0},
        {3, 0, 1, 0, 65535, 0},   {3, 0, 1, 1, 65535, 0},   {4, 0, 1, 0, 65535, 0},
        {4, 0, 1, 1, 65535, 0},   {4, 1, 2, 1, 65535, 0},   {4, 1, 2, 2, 65535, 0},
        {4, 2, 2, 2, 65535, 0},   {4, 0, 1, 0, 65535, 0},   {5, 1, 10, 1, 65535, 0},
        {6, 1, 1, 0, 65535, 0},   {6, 1, 1, 1, 65535, 0},   {7, 0, 1, 0, 65535, 0},
        {7, 1, 1, 1, 12800, 128}, {7, 1, 1, 1, 100, 0},     {8, 0, 1, 0, 65535, 0},
        {8, 0, 1, 1, 65535, 0},   {8, 0, 1, 1, 65535, 0},   {8, 1, 1, 1, 200, 2},
        {9, 0, 1, 0, 65535, 0},   {9, 0, 1, 1, 65535, 0},   {9, 1, 1, 1, 100, 0},
        {10, 0, 1, 0, 65535, 0},
    };
    for (size_t i = 0; i < std::size(rows); ++i) {
        SCOPED_TRACE("frame " + std::to_string(i + 1));
        EXPECT_EQ(number(d[i], "tcp.stream"), rows[i].stream);
        EXPECT_EQ(d[i].conversation_index, rows[i].stream);
        EXPECT_EQ(number(d[i], "tcp.seq"), rows[i].seq);
        EXPECT_EQ(number(d[i], "tcp.nxtseq"), rows[i].nxtseq);
        EXPECT_EQ(number(d[i], "tcp.ack"), rows[i].ack);
        EXPECT_EQ(number(d[i], "tcp.window_size"), rows[i].window);
        const Field* scale = findField(d[i], "tcp.window_size_scalefactor");
        if (rows[i].scalefactor) {
            ASSERT_NE(scale, nullptr);
            EXPECT_EQ(scale->number, uint64_t(rows[i].scalefactor));
        } else {
            EXPECT_EQ(scale, nullptr);
        }
    }
    // SACK edges are relative to the other side's ISN, as tshark shows them.
    EXPECT_EQ(number(d[4], "tcp.options.sack_le"), 3u);
    EXPECT_EQ(number(d[4], "tcp.options.sack_re"), 6u);
    EXPECT_EQ(number(d[4], "tcp.options.sack.count"), 1u);
    EXPECT_EQ(d[4].summary.info, "80 → 1000 [ACK] Seq=1 Ack=1 Win=800 Len=0 SLE=3 SRE=6");
    EXPECT_EQ(d[0].summary.info, "1000 → 80 [SYN] Seq=0 Win=65535 Len=0 MSS=1460 WS=128 SACK_PERM");
    EXPECT_EQ(d[23].summary.info, "5000 → 80 [ACK, URG] Seq=1 Ack=1 Win=65535 Urg=7 Len=9");
    EXPECT_EQ(d[24].summary.info, "6000 → 80 [Reserved] Seq=1 Win=65535 Len=0");
    EXPECT_EQ(number(d[24], "tcp.flags.res"), 1u);
    EXPECT_EQ(d[25].summary.info, "6000 → 80 [ACK, AE] Seq=1 Ack=1 Win=65535 Len=0");
    EXPECT_EQ(number(d[25], "tcp.flags.ae"), 1u);
    // A port-reusing SYN starts a stream of its own.
    EXPECT_EQ(conversations.tcpStreams().size(), 11u);
    EXPECT_EQ(conversations.tcpStream(3)->phase, TcpPhase::Reset);
    EXPECT_EQ(conversations.tcpStream(4)->phase, TcpPhase::Closed);
}

TEST(Tcp, OptionsAndBrokenOptionLengths) {
    TestCapture cap = readPcap(testData("tcp_options.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    EXPECT_EQ(d[0].summary.info, "1004 → 80 [SYN] Seq=0 Win=65535 Len=0 WS=16384");
    EXPECT_EQ(number(d[0], "tcp.options.wscale.shift"), 15u);
    EXPECT_EQ(number(d[0], "tcp.options.wscale.multiplier"), 16384u);  // capped at 2^14
    EXPECT_EQ(d[2].summary.info, "1004 → 80 [ACK] Seq=1 Ack=1 Win=1638400 Len=0");
    EXPECT_EQ(d[3].summary.info, "1004 → 80 [ACK] Seq=1 Ack=1 Win=1073725440 Len=0 MD5");
    EXPECT_EQ(value(cap, 3, d[3], findField(d[3], "tcp.options.md5.digest")),
              "aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa");
    EXPECT_EQ(d[4].summary.info, "1004 → 80 [ACK] Seq=1 Ack=1 Win=1073725440 Len=0 TFO=C");
    EXPECT_EQ(value(cap, 4, d[4], findField(d[4], "tcp.options.tfo.cookie")),
              "bb:bb:bb:bb:bb:bb:bb:bb");
    EXPECT_EQ(number(d[4], "tcp.option_kind", 1), 0u);  // two EOL bytes of padding follow
    EXPECT_EQ(number(d[4], "tcp.option_kind", 2), 0u);
    EXPECT_EQ(show(cap, 5, d[5], findField(d[5], "tcp.options.experimental.exid")),
              "0x1234 (Unknown)");
    EXPECT_EQ(d[5].summary.info, "1004 → 80 [ACK] Seq=1 Ack=1 Win=1073725440 Len=0 ExID=1234");
    EXPECT_EQ(value(cap, 5, d[5], findField(d[5], "tcp.options.experimental.data")), "56:78");
    EXPECT_EQ(value(cap, 6, d[6], findField(d[6], "tcp.options.unknown")), "63:04:01:02");
    EXPECT_EQ(show(cap, 6, d[6], findField(d[6], "tcp.option_kind")), "99");
    for (size_t i : {0u, 1u, 2u, 3u, 4u, 5u, 6u, 9u, 11u})
        EXPECT_TRUE(d[i].problems.empty()) << "frame " << i + 1;
    // Frames 8, 9 and 11: an option longer than the options, too short, or of the wrong size.
    for (size_t i : {7u, 8u, 10u}) {
        EXPECT_TRUE(hasProblem(d[i], ProblemKind::Malformed)) << "frame " << i + 1;
        EXPECT_TRUE(d[i].layers[0].has_problem);
    }
    EXPECT_EQ(d[7].problems[0].message,
              "TCP option 2 (Maximum Segment Size) says it is 16 bytes long, but only 4 bytes of "
              "options are left");
    EXPECT_EQ(findField(d[7], "tcp.options.mss_val"), nullptr);
    EXPECT_NE(findField(d[10], "tcp.options.wscale"), nullptr);
    EXPECT_EQ(findField(d[10], "tcp.options.wscale.shift"), nullptr);
    // Frame 10: EOL followed by non-zero bytes ends the options after one EOL.
    EXPECT_NE(findField(d[9], "tcp.options.eol"), nullptr);
    EXPECT_EQ(findField(d[9], "tcp.options.eol", 1), nullptr);
    EXPECT_EQ(findField(d[9], "tcp.options.mss"), nullptr);
    // Frame 12: SACK edges below the other side's ISN wrap around, as in tshark.
    EXPECT_EQ(d[11].summary.info,
              "1004 → 80 [ACK] Seq=1 Ack=1 Win=1073725440 Len=0 TSval=1 TSecr=2 SLE=4294962301 "
              "SRE=4294962305");
}

TEST(Tcp, BogusHeaderLengthsBecomeProblems) {
    TestCapture cap = readPcap(testData("transport_malformed.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    // Frame 8: Chinese text as data.
    EXPECT_EQ(d[7].summary.info, "5000 → 9999 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=11");
    ASSERT_EQ(d[7].layers.size(), 2u);
    EXPECT_EQ(d[7].layers[1].protocol, Protocol::Data);

    // Frame 9: header length 12. tshark stops after the header length; the rest is data.
    const Dissection& bogus = d[8];
    EXPECT_EQ(bogus.summary.info,
              "5000 → 9999 [PSH, ACK] Seq=1 Ack=1 Win=65535, bogus TCP header length (12, must be "
              "at least 20)");
    EXPECT_EQ(number(bogus, "tcp.len"), 18u);
    EXPECT_EQ(number(bogus, "tcp.hdr_len"), 12u);
    EXPECT_EQ(findField(bogus, "tcp.flags"), nullptr);
    ASSERT_EQ(bogus.layers.size(), 2u);
    EXPECT_TRUE(bogus.layers[0].has_problem);
    EXPECT_EQ(bogus.layers[1].protocol, Protocol::Data);
    EXPECT_EQ(bogus.layers[1].begin, 54u);
    EXPECT_EQ(bogus.layers[1].end, 64u);
    EXPECT_EQ(bogus.problems.at(0).message,
              "the header length field says 12 bytes, but a TCP header is at least 20 bytes long; "
              "the rest is shown as data");

    // Frame 10: header length 60 in a 30-byte segment: no length, options cut.
    const Dissection& shortseg = d[9];
    EXPECT_EQ(shortseg.summary.info,
              "5000 → 9999 [PSH, ACK] Seq=1 Ack=1 Win=65535[Malformed Packet]");
    EXPECT_EQ(findField(shortseg, "tcp.len"), nullptr);
    EXPECT_EQ(findField(shortseg, "tcp.nxtseq"), nullptr);
    EXPECT_EQ(number(shortseg, "tcp.hdr_len"), 60u);
    EXPECT_EQ(value(cap, 9, shortseg, findField(shortseg, "tcp.options")),
              "30:31:32:33:34:35:36:37:38:39");
    EXPECT_TRUE(hasProblem(shortseg, ProblemKind::Malformed));
    EXPECT_EQ(shortseg.layers.size(), 1u);

    // Frame 11: no flags at all; the ack field is shown raw since ACK is not set.
    EXPECT_EQ(d[10].summary.info, "5000 → 9999 [<None>] Seq=1 Win=65535 Len=0");
    EXPECT_EQ(show(cap, 10, d[10], findField(d[10], "tcp.flags")), "0x0000 (<None>)");
    EXPECT_EQ(number(d[10], "tcp.ack"), 1u);
}

TEST(Tcp, FlagCombinationsFromTheCorpus) {
    Conversations conversations;
    Dissection d;
    TestCapture eight = readPcap(corpus("good/tcp_eight_lowest_weight_flags_set.pcap"));
    dissectTransport(eight, 0, &conversations, d);
    EXPECT_EQ(d.summary.info,
              "6260 → 80 [FIN, SYN, RST, PSH, ACK, URG, ECE, CWR] Seq=0 Ack=1 Win=512 Urg=0 Len=0");
    EXPECT_EQ(number(d, "tcp.nxtseq"), 1u);  // SYN and FIN together still count once
    EXPECT_EQ(show(eight, 0, d, findField(d, "tcp.flags")),
              "0x00ff (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR)");

    TestCapture accecn = readPcap(corpus("good/accecn_handshake.pcap"));
    dissectTransport(accecn, 0, &conversations, d);
    EXPECT_EQ(d.summary.info,
              "16433 → 80 [SYN, ECE, CWR, AE] Seq=0 Win=65535 Len=0 MSS=1460 WS=64 SACK_PERM "
              "TSval=112147477 TSecr=0");
    EXPECT_EQ(show(accecn, 0, d, findField(d, "tcp.flags")), "0x01c2 (SYN, ECE, CWR, AE)");

    TestCapture nano = readPcap(corpus("good/tcp-handshake-nano.pcap"));  // Linux cooked v1
    Conversations c2;
    std::vector<Dissection> n = dissectAllTransport(nano, c2);
    EXPECT_EQ(n[1].summary.info,
              "80 → 46656 [SYN, ACK] Seq=0 Ack=1 Win=8192 Len=0 MSS=1440 WS=256 SACK_PERM "
              "TSval=234205008 TSecr=1131021154");
    EXPECT_EQ(n[2].summary.info,
              "46656 → 80 [ACK] Seq=1 Ack=1 Win=27264 Len=0 TSval=1131021186 TSecr=234205008");
}

TEST(Tcp, ResetWithTextSaysWhy) {
    TestCapture cap = readPcap(corpus("good/tcp_rst_data.pcap"));
    Conversations conversations;
    Dissection d;
    dissectTransport(cap, 0, &conversations, d);
    EXPECT_EQ(d.summary.info, "80 → 52875 [RST, ACK] Seq=1 Ack=1 Win=5785 Len=58");
    EXPECT_EQ(value(cap, 0, d, findField(d, "tcp.reset_cause")),
              "BIG-IP: [0x11c5672:3045] {peer} TCP RST from remote system");
    EXPECT_EQ(findField(d, "tcp.payload"), nullptr);  // tshark shows the reset cause instead
    EXPECT_TRUE(hasProblem(d, ProblemKind::Unusual));
    EXPECT_EQ(conversations.tcpStream(0)->phase, TcpPhase::Reset);
}

TEST(Tcp, ChatOverLoopbackCarriesUtf8Text) {
    TestCapture cap = readPcap(testData("chat_loopback.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    // tshark -r chat_loopback.pcap
    EXPECT_EQ(d[5].summary.info,
              "42416 → 9000 [PSH, ACK] Seq=7 Ack=1 Win=65536 Len=14 TSval=2067232324 "
              "TSecr=4167585635");
    ASSERT_EQ(d[5].layers.size(), 2u);
    EXPECT_EQ(value(cap, 5, d[5], findField(d[5], "data.text")), "你好,世界\n");
    EXPECT_EQ(d[13].summary.info, "9002 → 60832 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0");
    EXPECT_EQ(conversations.tcpStream(1)->phase, TcpPhase::Reset);
    EXPECT_EQ(conversations.tcpStream(0)->phase, TcpPhase::Closed);
    EXPECT_EQ(conversations.tcpStream(0)->payload_bytes[0], 20u);
}

TEST(Tcp, QuotedHeaderInsideIcmpHasRawValuesOnly) {
    // The first 8 bytes of print-flags frame 1's TCP header, as an ICMP error would quote them.
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    PacketView view = cap.view(0);
    view.cap_len = 34 + 8;
    DissectOptions options;
    Dissection out;
    DissectContext ctx(view, options, out, nullptr);
    ctx.nesting = 1;
    ctx.field_depth_base = 1;
    dissectTcp(ctx, 34, 42);
    ASSERT_EQ(out.layers.size(), 1u);
    EXPECT_TRUE(out.problems.empty());
    EXPECT_EQ(number(out, "tcp.srcport"), 55920u);
    EXPECT_EQ(number(out, "tcp.seq"), 928549246u);
    EXPECT_EQ(findField(out, "tcp.stream"), nullptr);
    EXPECT_EQ(findField(out, "tcp.srcport")->depth, 1);
    EXPECT_TRUE(out.summary.info.empty());
    EXPECT_EQ(out.conversation, ConversationKind::None);
}

TEST(Tcp, CorpusOverflowCasesStayInBounds) {
    const char* files[] = {
        "bad/tcp_header_heapoverflow.pcap", "bad/mptcp-dss-oobr.pcap",
        "bad/tcp-auth-heapoverflow.pcap",   "bad/heapoverflow-tcp_print.pcap",
        "bad/tcp_rst_data-trunc.pcap",      "bad/tcp_rst_diag_payload-trunc.pcap",
        "bad/print-flags-trunc-data.pcap",  "bad/kday2.pcap"};
    for (const char* name : files) {
        SCOPED_TRACE(name);
        TestCapture cap = readPcap(corpus(name));
        Conversations conversations;
        Dissection d;
        for (size_t i = 0; i < cap.packets.size(); ++i) {
            if (findTransport(cap, i).protocol != 6) continue;
            dissectTransport(cap, i, &conversations, d);
            ASSERT_FALSE(d.layers.empty());
            for (const Field& f : d.fields) {
                EXPECT_LE(f.begin, f.end);
                EXPECT_LE(f.end, cap.packets[i].bytes.size());
            }
        }
    }
    TestCapture cap = readPcap(corpus("bad/tcp_header_heapoverflow.pcap"));
    Conversations conversations;
    Dissection d;
    dissectTransport(cap, 0, &conversations, d);
    EXPECT_EQ(d.summary.info, "12336 → 12336[Packet size limited during capture]");
    EXPECT_TRUE(hasProblem(d, ProblemKind::Truncated));
    // The frame was cut by the snapshot length: tcp.len counts what IP says was sent.
    TestCapture cut = readPcap(corpus("bad/heapoverflow-tcp_print.pcap"));
    dissectTransport(cut, 0, &conversations, d);
    EXPECT_EQ(number(d, "tcp.len"), 12256u);
    EXPECT_EQ(number(d, "tcp.nxtseq"), 12257u);
}

// The whole path: link and network layers hand over to TCP (needs the network dissectors).
TEST(Tcp, FullDissectorAgreesWithTransportPath) {
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    Dissector dissector;
    Dissection d;
    for (size_t i = 0; i < cap.packets.size(); ++i) {
        dissector.dissect(cap.view(i), {}, d);
        EXPECT_EQ(d.summary.info, kPrintFlagsInfo[i]) << "frame " << i + 1;
        EXPECT_EQ(d.summary.source, "127.0.0.1");
        const Layer* tcp = findLayer(d, Protocol::Tcp);
        ASSERT_NE(tcp, nullptr);
        EXPECT_EQ(tcp->osi, OsiLayer::Transport);
        EXPECT_EQ(d.conversation, ConversationKind::TcpStream);
    }
    EXPECT_EQ(dissector.conversations().tcpStream(0)->phase, TcpPhase::Closed);
}

}  // namespace
}  // namespace osilab::packet::testing

namespace osilab::packet::testing {
namespace {

TEST(InfoWriter, NumbersAndTextAsAppendUintWritesThem) {
    const uint64_t values[] = {0,           9,          10,         99,
                               100,         12345,      65535,      4294967295u,
                               4294967296u, 1000000000, 1000000005, 10000000000000000005u,
                               UINT64_MAX};
    for (uint64_t v : values) {
        InfoWriter w;
        w.number(v);
        std::string expected;
        appendUint(expected, v);
        EXPECT_EQ(w.view(), expected);
    }
    InfoWriter w;
    w.lit("Seq=");
    w.number(7);
    w.ch(' ');
    w.text("x");
    w.hex(0x12, 1);
    EXPECT_EQ(w.view(), "Seq=7 x12");
    std::string out = "keep:";
    w.appendTo(out);
    EXPECT_EQ(out, "keep:Seq=7 x12");
}

// The cursor calls TCP and UDP write their lines with give the same text as the checked ones.
TEST(InfoWriter, CursorWritesTheSameText) {
    const uint32_t values[] = {0, 7, 10, 99, 100, 999, 1000, 65535, 99999999, 100000000,
                               999999999, 1000000000, 2592767962u, 4294967295u};
    for (uint32_t v : values) {
        InfoWriter w;
        w.setCursor(InfoWriter::putLit(InfoWriter::putNumber(w.cursor(), v), " Win="));
        w.labelled(" Len=", v);
        std::string expected;
        appendUint(expected, v);
        expected += " Win= Len=";
        appendUint(expected, v);
        EXPECT_EQ(w.view(), expected);
    }
    // Near the end of the buffer labelled() falls back to the checked calls.
    InfoWriter full;
    for (int i = 0; i < 98; ++i) full.lit("12345");  // 490 of 512 characters
    full.labelled(" x=", 4294967295u);
    EXPECT_TRUE(full.view().ends_with(" x=4294967295"));
}

}  // namespace
}  // namespace osilab::packet::testing
