// Unclaimed payload (data.data / data.text / data.len) and the presentation-layer encoding check.
#include <gtest/gtest.h>

#include "lab/packet/payload_encoding.h"
#include "lab/packet/tests/transport_test_util.h"

namespace osilab::packet::testing {
namespace {

TEST(PayloadEncoding, ClassifiesTextAndBinary) {
    EXPECT_EQ(classifyPayload(""), PayloadEncoding::Empty);
    EXPECT_EQ(classifyPayload("GET / HTTP/1.1\r\n\tx"), PayloadEncoding::Ascii);
    EXPECT_EQ(classifyPayload("你好,世界\n"), PayloadEncoding::Utf8);
    EXPECT_EQ(classifyPayload("caf\xc3\xa9"), PayloadEncoding::Utf8);
    EXPECT_EQ(classifyPayload("\xf0\x9f\x98\x80 emoji"), PayloadEncoding::Utf8);
    // A character cut by the end of a segment is still text.
    EXPECT_EQ(classifyPayload(std::string_view("ab\xe4\xbd", 4)), PayloadEncoding::Utf8);
    EXPECT_EQ(classifyPayload(std::string_view("a\0b", 3)), PayloadEncoding::Binary);
    EXPECT_EQ(classifyPayload("a\x7f"), PayloadEncoding::Binary);
    EXPECT_EQ(classifyPayload("\x1b[31m"), PayloadEncoding::Binary);
    EXPECT_EQ(classifyPayload("\xff\xfe"), PayloadEncoding::Binary);
    EXPECT_EQ(classifyPayload("\xc0\x80"), PayloadEncoding::Binary);          // overlong NUL
    EXPECT_EQ(classifyPayload("\xed\xa0\x80"), PayloadEncoding::Binary);      // UTF-16 surrogate
    EXPECT_EQ(classifyPayload("\xf4\x90\x80\x80"), PayloadEncoding::Binary);  // beyond U+10FFFF
    EXPECT_EQ(classifyPayload("\xe4\x41\x41"), PayloadEncoding::Binary);      // broken sequence
    EXPECT_STREQ(payloadEncodingName(PayloadEncoding::Utf8), "UTF-8 text");
    EXPECT_STREQ(payloadEncodingNameZh(PayloadEncoding::Binary), "二进制");
    EXPECT_TRUE(isText(PayloadEncoding::Ascii));
    EXPECT_FALSE(isText(PayloadEncoding::Empty));
}

// Long payloads are checked eight bytes at a time: one odd byte anywhere in a long printable
// run must still be seen, whatever its value and its place within the word.
TEST(PayloadEncoding, OneOddByteInALongRun) {
    for (uint32_t value = 0; value < 256; ++value) {
        const uint8_t c = static_cast<uint8_t>(value);
        PayloadEncoding expected = PayloadEncoding::Ascii;
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c >= 0x7f)
            expected = PayloadEncoding::Binary;  // a lone byte >= 0x80 is no UTF-8 character
        for (size_t at = 0; at < 72; ++at) {
            std::string text(72, 'x');
            text[at] = static_cast<char>(c);
            // A lead byte as the very last byte is a character cut by the segment's end.
            const bool cut_lead = at == 71 && c >= 0xc2 && c <= 0xf4;
            EXPECT_EQ(classifyPayload(text), cut_lead ? PayloadEncoding::Utf8 : expected)
                << "byte " << value << " at " << at;
        }
    }
    std::string chinese = std::string(37, 'a') + "中文" + std::string(41, 'b');
    EXPECT_EQ(classifyPayload(chinese), PayloadEncoding::Utf8);
    chinese[80] = '\x7f';
    EXPECT_EQ(classifyPayload(chinese), PayloadEncoding::Binary);
}

// Text runs are checked 64 bytes at a time with line breaks counted in: lines of text stay
// text, and one odd byte anywhere in them is still seen.
TEST(PayloadEncoding, LinesOfTextInLongSteps) {
    std::string page;
    while (page.size() < 300) page += "<p>line of a page</p>\r\n";
    EXPECT_EQ(classifyPayload(page), PayloadEncoding::Ascii);
    for (size_t at = 0; at < page.size(); ++at) {
        for (char odd : {'\x01', '\x7f', '\x80', '\0'}) {
            std::string text = page;
            text[at] = odd;
            EXPECT_EQ(classifyPayload(text), PayloadEncoding::Binary) << "at " << at;
        }
        std::string tab = page;
        tab[at] = '\t';
        EXPECT_EQ(classifyPayload(tab), PayloadEncoding::Ascii) << "at " << at;
    }
}

TEST(Data, TextPayloadAsTsharkNamesIt) {
    TestCapture cap = readPcap(testData("transport_malformed.pcap"));
    Conversations conversations;
    Dissection d;
    dissectTransport(cap, 0, &conversations, d);  // UDP "你好, world\n"
    ASSERT_EQ(d.layers.size(), 2u);
    const Layer& data = d.layers[1];
    EXPECT_EQ(data.protocol, Protocol::Data);
    EXPECT_EQ(data.osi, OsiLayer::Application);
    EXPECT_EQ(data.begin, 42u);
    EXPECT_EQ(data.end, 56u);
    const Field* f = findField(d, "data.data");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(value(cap, 0, d, f), "e4:bd:a0:e5:a5:bd:2c:20:77:6f:72:6c:64:0a");
    f = findField(d, "data.text");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->kind, FieldKind::FrameText);
    EXPECT_EQ(value(cap, 0, d, f), "你好, world\n");
    f = findField(d, "data.len");
    EXPECT_EQ(f->number, 14u);
    EXPECT_EQ(f->begin, 42u);  // generated: no bytes of its own, as tshark shows it
    EXPECT_EQ(f->end, 42u);
    // A Data layer does not take over the Protocol column.
    EXPECT_EQ(d.summary.protocol, Protocol::Udp);
    EXPECT_EQ(d.summary.info, "5000 → 9999 Len=14");
}

TEST(Data, BinaryPayloadHasNoText) {
    TestCapture cap = readPcap(testData("transport_malformed.pcap"));
    Conversations conversations;
    Dissection d;
    dissectTransport(cap, 1, &conversations, d);
    EXPECT_EQ(value(cap, 1, d, findField(d, "data.data")), "00:01:02:62:69:6e:61:72:79:ff");
    EXPECT_EQ(findField(d, "data.text"), nullptr);
    EXPECT_EQ(number(d, "data.len"), 10u);

    TestCapture rst = readPcap(corpus("good/tcp_rst_diag_payload.pcap"));
    dissectTransport(rst, 0, &conversations, d);
    // Binary data on a RST stays inside the TCP layer, as tshark keeps it: no Data layer, no
    // text, but a remark that the RST carries data.
    EXPECT_EQ(findField(d, "data.data"), nullptr);
    EXPECT_EQ(findField(d, "tcp.reset_cause"), nullptr);
    EXPECT_EQ(findLayer(d, Protocol::Data), nullptr);
    ASSERT_FALSE(d.problems.empty());
    EXPECT_NE(d.problems.back().message.find("RST carries 8 bytes"), std::string::npos);
}

TEST(Data, EmptyRangeAddsNoLayerAndSummaryPathNoFields) {
    TestCapture cap = readPcap(testData("transport_malformed.pcap"));
    PacketView view = cap.view(0);
    DissectOptions options;
    Dissection out;
    DissectContext ctx(view, options, out, nullptr);
    dissectData(ctx, 42, 42);
    EXPECT_TRUE(out.layers.empty());
    dissectData(ctx, 50, 40);  // reversed range
    EXPECT_TRUE(out.layers.empty());
    dissectData(ctx, 42, 100000);  // past the frame: clipped
    ASSERT_EQ(out.layers.size(), 1u);
    EXPECT_EQ(out.layers[0].end, view.cap_len);

    options.fields = false;
    Dissection fast;
    DissectContext fast_ctx(view, options, fast, nullptr);
    dissectData(fast_ctx, 42, view.cap_len);
    EXPECT_EQ(fast.layers.size(), 1u);
    EXPECT_TRUE(fast.fields.empty());
}

}  // namespace
}  // namespace osilab::packet::testing
