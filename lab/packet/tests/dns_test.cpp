// DNS over UDP and TCP: header, questions, records, EDNS and broken names, against tshark 4.0.
#include <gtest/gtest.h>

#include "lab/packet/tests/transport_test_util.h"

namespace osilab::packet::testing {
namespace {

// tshark -r dns_loopback.pcap (dig against dnsmasq on 127.0.0.1, recorded in a private netns)
const char* const kLoopbackInfo[] = {
    "Standard query 0x5e74 A www.osilab.test OPT",
    "Standard query response 0x5e74 A www.osilab.test A 10.1.2.3 OPT",
    "Standard query 0x7526 AAAA www.osilab.test OPT",
    "Standard query response 0x7526 AAAA www.osilab.test AAAA fd00::1 OPT",
    "Standard query 0xbc0f A alias.osilab.test OPT",
    "Standard query response 0xbc0f A alias.osilab.test CNAME www.osilab.test OPT",
    "Standard query 0x1285 MX osilab.test OPT",
    "Standard query response 0x1285 MX osilab.test MX 10 mail.osilab.test OPT",
    "Standard query 0x423f TXT osilab.test OPT",
    "Standard query response 0x423f TXT osilab.test TXT OPT",
    "Standard query 0x4ef6 PTR 3.2.1.10.in-addr.arpa OPT",
    "Standard query response 0x4ef6 PTR 3.2.1.10.in-addr.arpa PTR www.osilab.test OPT",
    "Standard query 0x44c5 SRV _http._tcp.osilab.test OPT",
    "Standard query response 0x44c5 SRV _http._tcp.osilab.test SRV 0 5 80 www.osilab.test OPT",
    "Standard query 0xae9a A nothere.osilab.test OPT",
    "Standard query response 0xae9a Refused A nothere.osilab.test OPT",
};

TEST(Dns, LoopbackQueriesInfoMatchesTshark) {
    TestCapture cap = readPcap(testData("dns_loopback.pcap"));
    ASSERT_EQ(cap.packets.size(), 28u);
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    for (size_t i = 0; i < std::size(kLoopbackInfo); ++i) {
        EXPECT_EQ(d[i].summary.info, kLoopbackInfo[i]) << "frame " << i + 1;
        EXPECT_EQ(d[i].summary.protocol, Protocol::Dns);
        EXPECT_TRUE(d[i].problems.empty()) << "frame " << i + 1;
    }
    // Over TCP (dig +tcp) and without EDNS (dig +noedns).
    EXPECT_EQ(d[19].summary.info, "Standard query 0xef23 A www.osilab.test OPT");
    EXPECT_EQ(d[21].summary.info,
              "Standard query response 0xef23 A www.osilab.test A 10.1.2.3 OPT");
    EXPECT_EQ(d[26].summary.info, "Standard query 0x34b6 A www.osilab.test");
    EXPECT_EQ(d[27].summary.info, "Standard query response 0x34b6 A www.osilab.test A 10.1.2.3");
    EXPECT_EQ(d[20].summary.protocol, Protocol::Tcp);  // a bare ACK stays TCP

    // Record data, as tshark shows it.
    EXPECT_EQ(value(cap, 5, d[5], findField(d[5], "dns.cname")), "www.osilab.test");
    EXPECT_EQ(number(d[7], "dns.mx.preference"), 10u);
    EXPECT_EQ(value(cap, 7, d[7], findField(d[7], "dns.mx.mail_exchange")), "mail.osilab.test");
    EXPECT_EQ(number(d[9], "dns.txt.length"), 11u);
    EXPECT_EQ(value(cap, 9, d[9], findField(d[9], "dns.txt")), "hello world");
    EXPECT_EQ(value(cap, 9, d[9], findField(d[9], "dns.txt", 1)), "第二段");
    EXPECT_EQ(value(cap, 11, d[11], findField(d[11], "dns.ptr.domain_name")), "www.osilab.test");
    EXPECT_EQ(value(cap, 13, d[13], findField(d[13], "dns.srv.service")), "_http");
    EXPECT_EQ(value(cap, 13, d[13], findField(d[13], "dns.srv.proto")), "_tcp");
    EXPECT_EQ(value(cap, 13, d[13], findField(d[13], "dns.srv.name")), "osilab.test");
    EXPECT_EQ(number(d[13], "dns.srv.port"), 80u);
    EXPECT_EQ(number(d[13], "dns.srv.weight"), 5u);
    EXPECT_EQ(value(cap, 13, d[13], findField(d[13], "dns.srv.target")), "www.osilab.test");
    EXPECT_EQ(value(cap, 3, d[3], findField(d[3], "dns.aaaa")), "fd00::1");
    EXPECT_EQ(show(cap, 15, d[15], findField(d[15], "dns.flags.rcode")), "Refused (5)");
    EXPECT_EQ(number(d[19], "dns.length"), 56u);
}

TEST(Dns, ResponseFieldsAndSpansMatchTshark) {
    TestCapture cap = readPcap(corpus("good/dns_udp.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    const Dissection& r = d[1];
    const Layer* dns = findLayer(r, Protocol::Dns);
    ASSERT_NE(dns, nullptr);
    EXPECT_EQ(dns->osi, OsiLayer::Application);
    EXPECT_EQ(dns->begin, 42u);
    EXPECT_EQ(dns->end, 266u);
    EXPECT_EQ(show(cap, 1, r, findField(r, "dns.id")), "0x5934");
    EXPECT_EQ(show(cap, 1, r, findField(r, "dns.flags")),
              "0x8500 (Standard query response, No error)");
    EXPECT_EQ(number(r, "dns.flags.response"), 1u);
    EXPECT_EQ(number(r, "dns.flags.authoritative"), 1u);
    EXPECT_EQ(number(r, "dns.flags.recdesired"), 1u);
    EXPECT_EQ(number(r, "dns.flags.recavail"), 0u);
    EXPECT_EQ(show(cap, 1, r, findField(r, "dns.flags.opcode")), "Standard query (0)");
    EXPECT_EQ(show(cap, 1, r, findField(r, "dns.flags.rcode")), "No error (0)");
    EXPECT_EQ(findField(r, "dns.flags.rcode")->begin, 44u);
    EXPECT_EQ(number(r, "dns.count.queries"), 1u);
    EXPECT_EQ(number(r, "dns.count.answers"), 2u);
    EXPECT_EQ(number(r, "dns.count.auth_rr"), 2u);
    EXPECT_EQ(number(r, "dns.count.add_rr"), 5u);

    const Field* f = findField(r, "dns.qry.name");
    EXPECT_EQ(value(cap, 1, r, f), "www.tcpdump.org");
    EXPECT_EQ(f->begin, 54u);
    EXPECT_EQ(f->end, 71u);
    EXPECT_EQ(number(r, "dns.qry.name.len"), 15u);
    EXPECT_EQ(number(r, "dns.count.labels"), 3u);
    EXPECT_EQ(show(cap, 1, r, findField(r, "dns.qry.type")), "A (Host Address) (1)");
    EXPECT_EQ(show(cap, 1, r, findField(r, "dns.qry.class")), "0x0001 (IN)");

    f = findField(r, "dns.resp.name");  // a 2-byte compression pointer
    EXPECT_EQ(value(cap, 1, r, f), "www.tcpdump.org");
    EXPECT_EQ(f->begin, 75u);
    EXPECT_EQ(f->end, 77u);
    EXPECT_EQ(number(r, "dns.resp.ttl"), 60u);
    EXPECT_EQ(number(r, "dns.resp.len"), 4u);
    f = findField(r, "dns.a");
    EXPECT_EQ(value(cap, 1, r, f), "192.139.46.66");
    EXPECT_EQ(f->begin, 87u);
    EXPECT_EQ(value(cap, 1, r, findField(r, "dns.a", 1)), "198.199.88.104");
    f = findField(r, "dns.ns");
    EXPECT_EQ(value(cap, 1, r, f), "sns.cooperix.net");
    EXPECT_EQ(f->begin, 119u);
    EXPECT_EQ(f->end, 137u);
    EXPECT_EQ(value(cap, 1, r, findField(r, "dns.aaaa")), "2607:f0b0:f::babe:f00d");

    // The EDNS OPT record replaces class and TTL by its own fields.
    EXPECT_EQ(number(r, "dns.rr.udp_payload_size"), 4096u);
    EXPECT_EQ(show(cap, 1, r, findField(r, "dns.resp.ext_rcode")), "0x00");
    EXPECT_EQ(number(r, "dns.resp.edns0_version"), 0u);
    EXPECT_EQ(show(cap, 1, r, findField(r, "dns.resp.z")), "0x0000");
    EXPECT_EQ(number(r, "dns.resp.z.do"), 0u);
    EXPECT_EQ(show(cap, 1, r, findField(r, "dns.resp.z.reserved")), "0x0000");

    // The query's EDNS cookie option.
    const Dissection& q = d[0];
    EXPECT_EQ(show(cap, 0, q, findField(q, "dns.opt.code")), "COOKIE (10)");
    EXPECT_EQ(number(q, "dns.opt.len"), 8u);
    EXPECT_EQ(value(cap, 0, q, findField(q, "dns.opt.cookie.client")), "42:f5:d0:09:96:f9:0b:13");
    EXPECT_EQ(findField(q, "dns.flags.authoritative"), nullptr);  // only in responses
    EXPECT_EQ(number(q, "dns.flags.authenticated"), 1u);
}

TEST(Dns, OverTcpHasTheLengthPrefix) {
    TestCapture cap = readPcap(corpus("good/dns_tcp.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    EXPECT_EQ(d[3].summary.info, "Standard query 0x4319 A www.tcpdump.org OPT");
    const Layer* dns = findLayer(d[3], Protocol::Dns);
    ASSERT_NE(dns, nullptr);
    EXPECT_EQ(dns->begin, 54u);
    const Field* f = findField(d[3], "dns.length");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->number, 56u);
    EXPECT_EQ(f->begin, 54u);
    EXPECT_EQ(findField(d[3], "dns.id")->begin, 56u);
    EXPECT_EQ(d[5].summary.info,
              "Standard query response 0x4319 A www.tcpdump.org A 192.139.46.66 A 198.199.88.104 "
              "NS nic.sandelman.ca NS sns.cooperix.net A 209.87.249.18 AAAA 2607:f0b0:f::babe:f00d "
              "A 97.107.133.15 AAAA 2600:3c03::f03c:91ff:fe96:e8ef OPT");
    EXPECT_TRUE(d[5].problems.empty());
}

TEST(Dns, OddNamesAsTsharkWritesThem) {
    TestCapture cap = readPcap(testData("dns_names.pcap"));
    Conversations conversations;
    std::vector<Dissection> d = dissectAllTransport(cap, conversations);
    EXPECT_EQ(d[0].summary.info, "Standard query 0x0001 ANY example.com");
    EXPECT_EQ(show(cap, 0, d[0], findField(d[0], "dns.qry.type")),
              "* (A request for all records the server/cache has available) (255)");
    // Control bytes in octal; a dot inside a label counts as a label separator for the count.
    EXPECT_EQ(value(cap, 1, d[1], findField(d[1], "dns.qry.name")), "a\\001b.c.com");
    EXPECT_EQ(number(d[1], "dns.qry.name.len"), 9u);
    EXPECT_EQ(number(d[1], "dns.count.labels"), 3u);
    EXPECT_EQ(value(cap, 2, d[2], findField(d[2], "dns.qry.name")), "a b你.com");
    EXPECT_EQ(number(d[2], "dns.qry.name.len"), 10u);
    EXPECT_EQ(value(cap, 10, d[10], findField(d[10], "dns.qry.name")), "\\020\\177\x80\\");
    EXPECT_EQ(number(d[10], "dns.qry.name.len"), 4u);

    // A pointer to itself, and a name longer than 255 bytes: shown, and parsing goes on.
    EXPECT_EQ(d[3].summary.info, "Standard query 0x0004 A <Name contains a pointer that loops>");
    EXPECT_EQ(number(d[3], "dns.qry.name.len"), 36u);
    EXPECT_TRUE(hasProblem(d[3], ProblemKind::Unusual));
    EXPECT_EQ(d[11].summary.info, "Standard query 0x000c A <Name too long>");
    EXPECT_EQ(number(d[11], "dns.qry.name.len"), 15u);
    EXPECT_EQ(number(d[11], "dns.count.labels"), 1u);

    // A label type DNS does not define, a message cut after the name, a pointer outside the
    // message: stop.
    EXPECT_TRUE(hasProblem(d[4], ProblemKind::Malformed));
    EXPECT_TRUE(hasProblem(d[5], ProblemKind::Truncated));
    EXPECT_TRUE(hasProblem(d[12], ProblemKind::Malformed));
    for (size_t i : {4u, 5u, 12u}) {
        SCOPED_TRACE("frame " + std::to_string(i + 1));
        EXPECT_EQ(findField(d[i], "dns.qry.name"), nullptr);
        EXPECT_TRUE(findLayer(d[i], Protocol::Dns)->has_problem);
    }
    EXPECT_EQ(d[4].summary.info, "Standard query 0x0005[Malformed Packet]");
    EXPECT_EQ(d[4].problems[0].message,
              "a domain name uses a label type DNS does not define (first bits 01 or 10)");

    EXPECT_EQ(d[6].summary.info, "Standard query 0x0007 Unknown (4660) example.com");
    EXPECT_EQ(show(cap, 6, d[6], findField(d[6], "dns.qry.type")), "Unknown (4660)");
    EXPECT_EQ(show(cap, 6, d[6], findField(d[6], "dns.qry.class")), "0x00fe (NONE)");
    EXPECT_EQ(d[7].summary.info, "Unknown operation (15) 0x0008 A example.com");
    EXPECT_EQ(show(cap, 7, d[7], findField(d[7], "dns.flags")), "0x7800 (Unknown operation)");
    EXPECT_EQ(d[8].summary.info, "Standard query response 0x0009 No such name A example.com");
    EXPECT_EQ(d[9].summary.info, "Dynamic update 0x000a A example.com");
    EXPECT_EQ(number(d[9], "dns.count.zones"), 1u);  // RFC 2136 names the sections differently
    EXPECT_EQ(findField(d[9], "dns.count.queries"), nullptr);
}

TEST(Dns, HostileMessagesStayBounded) {
    for (const char* name : {"bad/dns-badlabel.pcap", "bad/dns_fwdptr.pcap", "bad/dns-zlip-1.pcap",
                             "bad/dns-zlip-2.pcap", "bad/dns-zlip-3.pcap"}) {
        SCOPED_TRACE(name);
        TestCapture cap = readPcap(corpus(name));
        Conversations conversations;
        Dissection d;
        for (size_t i = 0; i < cap.packets.size(); ++i) {
            dissectTransport(cap, i, &conversations, d);
            for (const Field& f : d.fields) EXPECT_LE(f.end, cap.packets[i].bytes.size());
        }
    }
    TestCapture cap = readPcap(corpus("bad/dns_fwdptr.pcap"));
    Conversations conversations;
    Dissection d;
    dissectTransport(cap, 0, &conversations, d);
    const Layer* dns = findLayer(d, Protocol::Dns);
    ASSERT_NE(dns, nullptr);
    EXPECT_TRUE(dns->has_problem);
    EXPECT_EQ(value(cap, 0, d, findField(d, "dns.qry.name")), "<Name too long>");
    const std::string start =
        "Unknown operation (15) response 0xc980 Unknown error (15) Unknown (507) <Name too long>";
    EXPECT_EQ(d.summary.info.substr(0, start.size()), start);
    EXPECT_EQ(d.summary.info.size(), 4095u);  // tshark's column limit
}

TEST(Dns, SummaryPathBuildsTheSameInfo) {
    TestCapture cap = readPcap(testData("dns_loopback.pcap"));
    Conversations conversations;
    Dissection d;
    for (size_t i = 0; i < std::size(kLoopbackInfo); ++i) {
        dissectTransport(cap, i, &conversations, d, /*fields=*/false);
        EXPECT_EQ(d.summary.info, kLoopbackInfo[i]) << "frame " << i + 1;
        EXPECT_TRUE(d.fields.empty());
        EXPECT_TRUE(d.texts.empty());
    }
}

TEST(Dns, FullDissectorOnRawIp) {
    TestCapture cap = readPcap(corpus("good/LINKTYPE_RAW_ipv6.pcap"));
    Dissection d = dissectOne(cap.view(0));
    EXPECT_EQ(d.summary.info, "Standard query 0x1234 A example.com");
    EXPECT_EQ(d.summary.protocol, Protocol::Dns);
    EXPECT_EQ(d.summary.source, "2001:db8::1");
}

}  // namespace
}  // namespace osilab::packet::testing
