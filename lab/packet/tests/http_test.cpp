// HTTP/1.x request and status lines, header lines and bodies, against tshark 4.0.
#include <gtest/gtest.h>

#include "lab/packet/tests/transport_test_util.h"

namespace osilab::packet::testing {
namespace {

TEST(Http, RequestFieldsMatchTshark) {
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    const Dissection& get = d[3];
    const Layer* http = findLayer(get, Protocol::Http);
    ASSERT_NE(http, nullptr);
    EXPECT_EQ(http->osi, OsiLayer::Application);
    EXPECT_EQ(http->begin, 66u);
    EXPECT_EQ(http->end, 268u);
    EXPECT_EQ(get.summary.info, "GET / HTTP/1.1 ");

    const Field* line = findField(get, "http.osilab.request_line");
    ASSERT_NE(line, nullptr);
    EXPECT_EQ(value(cap, 3, get, line), "GET / HTTP/1.1\r\n");
    const Field* f = findField(get, "http.request.method");
    EXPECT_EQ(value(cap, 3, get, f), "GET");
    EXPECT_EQ(f->begin, 66u);
    EXPECT_EQ(f->end, 69u);
    EXPECT_EQ(f->depth, 1);
    f = findField(get, "http.request.uri");
    EXPECT_EQ(value(cap, 3, get, f), "/");
    EXPECT_EQ(f->begin, 70u);
    f = findField(get, "http.request.version");
    EXPECT_EQ(value(cap, 3, get, f), "HTTP/1.1");
    EXPECT_EQ(f->begin, 72u);

    // A known header: its own field (value without "Host: " and CRLF, span the whole line) and
    // the line itself.
    f = findField(get, "http.host");
    EXPECT_EQ(value(cap, 3, get, f), "localhost");
    EXPECT_EQ(f->begin, 82u);
    EXPECT_EQ(f->end, 99u);
    f = findField(get, "http.request.line");
    EXPECT_EQ(value(cap, 3, get, f), "Host: localhost\r\n");
    EXPECT_EQ(f->begin, 82u);
    EXPECT_EQ(value(cap, 3, get, findField(get, "http.user_agent")),
              "ELinks/0.10.4-7-debian (textmode; Linux 2.6.11-1-686-smp i686; 132x56-2)");
    EXPECT_EQ(value(cap, 3, get, findField(get, "http.accept")), "*/*");
    EXPECT_EQ(value(cap, 3, get, findField(get, "http.accept_encoding")), "gzip");
    EXPECT_EQ(value(cap, 3, get, findField(get, "http.accept_language")), "en");
    EXPECT_EQ(value(cap, 3, get, findField(get, "http.connection")), "Keep-Alive");
    EXPECT_EQ(value(cap, 3, get, findField(get, "http.request.line", 5)),
              "Connection: Keep-Alive\r\n");
    EXPECT_EQ(findField(get, "http.request.line", 6), nullptr);
    EXPECT_EQ(findField(get, "http.file_data"), nullptr);
    EXPECT_TRUE(get.problems.empty());
}

TEST(Http, ResponseFieldsMatchTshark) {
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    const Dissection& ok = d[5];
    EXPECT_EQ(ok.summary.info, "HTTP/1.1 200 OK  (text/html)");
    EXPECT_EQ(value(cap, 5, ok, findField(ok, "http.osilab.status_line")), "HTTP/1.1 200 OK\r\n");
    EXPECT_EQ(value(cap, 5, ok, findField(ok, "http.response.version")), "HTTP/1.1");
    const Field* f = findField(ok, "http.response.code");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->number, 200u);
    EXPECT_EQ(f->begin, 75u);
    EXPECT_EQ(f->end, 78u);
    f = findField(ok, "http.response.phrase");
    EXPECT_EQ(value(cap, 5, ok, f), "OK");
    EXPECT_EQ(f->begin, 79u);
    EXPECT_EQ(value(cap, 5, ok, findField(ok, "http.date")), "Wed, 06 Jul 2005 03:57:35 GMT");
    EXPECT_EQ(value(cap, 5, ok, findField(ok, "http.server")), "Apache/1.3.33");
    EXPECT_EQ(value(cap, 5, ok, findField(ok, "http.last_modified")),
              "Sun, 15 Aug 2004 00:43:41 GMT");
    EXPECT_EQ(value(cap, 5, ok, findField(ok, "http.content_length_header")), "5258");
    f = findField(ok, "http.content_length");
    EXPECT_EQ(f->number, 5258u);
    EXPECT_EQ(f->begin, 241u);
    EXPECT_EQ(f->end, 263u);
    EXPECT_EQ(f->depth, 1);
    EXPECT_EQ(value(cap, 5, ok, findField(ok, "http.content_type")),
              "text/html; charset=iso-8859-1");
    // Header lines without a field of their own (ETag, Accept-Ranges, Keep-Alive) still count.
    EXPECT_EQ(value(cap, 5, ok, findField(ok, "http.response.line", 3)),
              "ETag: \"6e80f0-148a-411eb1bd\"\r\n");
    f = findField(ok, "http.file_data");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->begin, 367u);
    EXPECT_EQ(f->end, 5625u);
    EXPECT_TRUE(ok.problems.empty());
}

TEST(Http, LoopbackPagesIncludingChinese) {
    TestCapture cap = readPcap(testData("http_loopback.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    // tshark -r http_loopback.pcap (python server on port 80, curl, private netns)
    EXPECT_EQ(d[3].summary.info, "GET /index.html HTTP/1.1 ");
    EXPECT_EQ(value(cap, 3, d[3], findField(d[3], "http.user_agent")), "curl/7.88.1");
    EXPECT_EQ(value(cap, 3, d[3], findField(d[3], "http.host")), "127.0.0.1");
    EXPECT_EQ(d[5].summary.info, "HTTP/1.1 200 OK  (text/html)");
    EXPECT_EQ(value(cap, 5, d[5], findField(d[5], "http.file_data")),
              "<html><body><h1>你好, OSI Lab</h1></body></html>\n");
    EXPECT_EQ(d[15].summary.info, "HTTP/1.1 200 OK  (text/plain)");
    EXPECT_EQ(d[25].summary.info, "HTTP/1.1 200 OK ");       // application/octet-stream
    EXPECT_EQ(findField(d[25], "http.file_data"), nullptr);  // binary body: no text to show
    EXPECT_EQ(d[35].summary.info, "HTTP/1.1 404 Not Found  (text/plain)");
    EXPECT_EQ(number(d[35], "http.response.code"), 404u);
    EXPECT_EQ(value(cap, 35, d[35], findField(d[35], "http.response.phrase")), "Not Found");
}

TEST(Http, MediaTypesInTheInfoColumn) {
    TestCapture cap = readPcap(testData("http_media.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    // tshark -r http_media.pcap
    const char* const expected[] = {
        "HTTP/1.1 200 OK  (text/html)",
        "HTTP/1.1 200 OK  (text/plain)",
        "HTTP/1.1 200 OK ",
        "HTTP/1.1 200 OK , JavaScript Object Notation (application/json)",
        "HTTP/1.1 200 OK  (text/css)",
        "HTTP/1.1 200 OK  (application/javascript)",
        "HTTP/1.1 200 OK  (image/png)",
        "HTTP/1.1 200 OK  (text/plain)",
        "HTTP/1.1 200 OK  (application/x-www-form-urlencoded)",
        "HTTP/1.1 200 OK  (text/csv)",
        "HTTP/1.1 200 OK ",
        "HTTP/1.1 200 OK ",
        "HTTP/1.1 204 No Content ",
        "POST /form HTTP/1.1  (text/plain)",
        "GET / HTTP/1.1 ",
        "GET / HTTP/1.1 ",
    };
    for (size_t i = 0; i < std::size(expected); ++i) {
        EXPECT_EQ(d[i].summary.info, expected[i]) << "frame " << i + 1;
        EXPECT_EQ(d[i].summary.protocol, Protocol::Http);
    }
    EXPECT_EQ(value(cap, 13, d[13], findField(d[13], "http.file_data")), "hello");
    // Leading blanks of a value are dropped, trailing ones kept (as tshark does).
    EXPECT_EQ(value(cap, 14, d[14], findField(d[14], "http.host")), "spaced  ");
    EXPECT_EQ(value(cap, 14, d[14], findField(d[14], "http.request.line", 1)), "X-Thing: 1\r\n");
    // Lines ended by a bare LF.
    EXPECT_EQ(value(cap, 15, d[15], findField(d[15], "http.host")), "lfonly");
    EXPECT_EQ(value(cap, 15, d[15], findField(d[15], "http.request.line")), "Host: lfonly\n");
    // Frame 17: the body continues in later segments; tshark would reassemble, we say so.
    EXPECT_EQ(value(cap, 16, d[16], findField(d[16], "http.file_data")), "part");
    ASSERT_FALSE(d[16].problems.empty());
    EXPECT_EQ(d[16].problems[0].kind, ProblemKind::Unusual);
    EXPECT_EQ(d[16].problems[0].message,
              "Content-Length says the body has 100 bytes; 4 are in this segment and the rest "
              "follows in later TCP segments");
}

TEST(Http, RecognisedOnAnyPortButOnlyByItsStart) {
    TestCapture cap = readPcap(testData("chat_loopback.pcap"));
    ByteReader hello(cap.packets[3].bytes.data(), uint32_t(cap.packets[3].bytes.size()));
    EXPECT_FALSE(looksLikeHttp(hello, 66, 72));  // "hello\n" on port 9000
    const char* samples[] = {"GET / HTTP/1.1\r\n", "POST /x HTTP/1.0\r\n", "HTTP/1.1 200 OK\r\n",
                             "DELETE /a HTTP/1.1\r\n"};
    for (const char* s : samples) {
        ByteReader r(reinterpret_cast<const uint8_t*>(s), uint32_t(std::strlen(s)));
        EXPECT_TRUE(looksLikeHttp(r, 0, r.size())) << s;
    }
    const char* not_http[] = {"GETX / HTTP/1.1", "get / HTTP/1.1", "HTTP/x", "GE", ""};
    for (const char* s : not_http) {
        ByteReader r(reinterpret_cast<const uint8_t*>(s), uint32_t(std::strlen(s)));
        EXPECT_FALSE(looksLikeHttp(r, 0, r.size())) << s;
    }
}

TEST(Http, CutHeadersAreReported) {
    // The GET of print-flags, cut after 30 bytes: inside the header lines.
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    PacketView view = cap.view(3);
    DissectOptions options;
    Dissection out;
    DissectContext ctx(view, options, out, nullptr);
    dissectHttp(ctx, 66, 96);
    ASSERT_EQ(out.layers.size(), 1u);
    EXPECT_TRUE(hasProblem(out, ProblemKind::Truncated));
    EXPECT_EQ(out.summary.info, "GET / HTTP/1.1 ");
    EXPECT_EQ(value(cap, 3, out, findField(out, "http.host")), "localhos");
    EXPECT_EQ(value(cap, 3, out, findField(out, "http.request.line")), "Host: localhos");
    // Cut inside the first line.
    Dissection out2;
    DissectContext ctx2(view, options, out2, nullptr);
    dissectHttp(ctx2, 66, 72);
    EXPECT_TRUE(hasProblem(out2, ProblemKind::Truncated));
    EXPECT_EQ(value(cap, 3, out2, findField(out2, "http.request.method")), "GET");
    EXPECT_EQ(value(cap, 3, out2, findField(out2, "http.request.uri")), "/");
    EXPECT_EQ(findField(out2, "http.request.version"), nullptr);
}

TEST(Http, FullDissectorWithVlan) {
    TestCapture cap = readPcap(corpus("good/ipv4_tcp_http_xml.pcap"));
    Dissection d = dissectOne(cap.view(0));
    EXPECT_EQ(d.summary.info, "HTTP/1.1 200 OK ");  // XML bodies add nothing, as in tshark
    EXPECT_EQ(d.summary.protocol, Protocol::Http);
    const Layer* http = findLayer(d, Protocol::Http);
    ASSERT_NE(http, nullptr);
    EXPECT_EQ(number(d, "http.response.code"), 200u);
    EXPECT_EQ(number(d, "http.content_length"), 351u);
}

// One Dissector and one Dissection over a whole capture, as the viewer and `osilab show` use
// them: header values longer than a short string reuse strings from earlier packets, and each
// packet's texts must still be its own, the same as a dissection of that packet alone.
TEST(Http, OwnedTextsReusedAcrossPacketsStayRight) {
    TestCapture cap = readPcap(corpus("good/print-flags.pcap"));
    Dissector dissector;
    Dissection d;
    size_t long_texts = 0;
    for (int pass = 0; pass < 2; ++pass) {
        for (size_t i = 0; i < cap.packets.size(); ++i) {
            dissector.dissect(cap.view(i), DissectOptions{}, d);
            const Dissection alone = dissectOne(cap.view(i));
            EXPECT_EQ(d.texts, alone.texts) << "packet " << i + 1;
            for (const std::string& t : d.texts) long_texts += t.size() > 15;
        }
    }
    EXPECT_GT(long_texts, 4u);  // the User-Agent and Accept values, at least
}

}  // namespace
}  // namespace osilab::packet::testing
