// Every capture in the shared corpus (good and bad) dissects without crashing, with fields and
// on the summary path, and what comes out is consistent: spans inside the frame, field ranges
// inside the field list, problems pointing at real layers. Under ASan/UBSan this is also the
// out-of-bounds check. (test_pcap.h stops at a file's first broken record, and skips pcapng.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>

#include "lab/packet/tests/network_test_util.h"

namespace osilab::packet::testing {
namespace {

std::vector<std::string> corpusFiles() {
    std::vector<std::string> files;
    for (const char* dir : {"good", "bad"}) {
        std::filesystem::path p = std::filesystem::path(OSILAB_CORPUS) / dir;
        if (!std::filesystem::exists(p)) continue;
        for (const auto& entry : std::filesystem::directory_iterator(p))
            if (entry.path().extension() == ".pcap") files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

void checkConsistent(const Dissection& d, uint32_t cap_len, const std::string& where) {
    for (const Layer& l : d.layers) {
        EXPECT_LE(l.begin, l.end) << where;
        EXPECT_LE(l.end, cap_len) << where;
        EXPECT_LE(l.first_field + l.field_count, d.fields.size()) << where;
    }
    for (const Field& f : d.fields) {
        ASSERT_NE(f.info, nullptr) << where;
        EXPECT_LE(f.begin, f.end) << where << " " << f.info->name;
        EXPECT_LE(f.end, cap_len) << where << " " << f.info->name;
        if (f.kind == FieldKind::OwnedText) {
            EXPECT_LT(f.number, d.texts.size()) << where;
        }
    }
    for (const Problem& p : d.problems) {
        EXPECT_LT(p.layer, d.layers.size()) << where;
        EXPECT_FALSE(p.message.empty()) << where;
        if (p.layer < d.layers.size()) {
            EXPECT_TRUE(d.layers[p.layer].has_problem) << where;
        }
    }
}

TEST(MalformedCorpus, EveryFileDissectsConsistently) {
    std::vector<std::string> files = corpusFiles();
    ASSERT_GT(files.size(), 50u);  // the corpus is there
    size_t packets = 0;
    for (const std::string& path : files) {
        TestCapture cap;
        try {
            cap = readPcap(path);
        } catch (const std::exception&) {
            continue;  // not a classic pcap file test_pcap.h can read (the reader's business)
        }
        Dissector full, fast;
        Dissection d;
        DissectOptions with_fields, summary_only;
        summary_only.fields = false;
        for (size_t i = 0; i < cap.packets.size(); ++i) {
            const std::string where = path + " frame " + std::to_string(i + 1);
            full.dissect(cap.view(i), with_fields, d);
            checkConsistent(d, cap.view(i).cap_len, where);
            std::string info = d.summary.info;
            fast.dissect(cap.view(i), summary_only, d);
            checkConsistent(d, cap.view(i).cap_len, where);
            EXPECT_TRUE(d.fields.empty()) << where;
            EXPECT_EQ(d.summary.info, info) << where;
            ++packets;
        }
    }
    EXPECT_GT(packets, 200u);
}

TEST(MalformedCorpus, TruncatedCopiesOfEveryFrameAreSafe) {
    // Each frame of a few files cut at every length: the dissectors must stop at the cut.
    for (const char* name : {"good/gateway_or_not.pcap", "good/ipv6_ext_headers.pcap",
                             "good/icmpv6.pcap", "good/802.1ad_QinQ.pcap"}) {
        TestCapture cap = readPcap(netCorpus(name));
        for (size_t i = 0; i < cap.packets.size(); ++i) {
            const std::vector<uint8_t>& full = cap.packets[i].bytes;
            for (size_t len = 0; len <= full.size(); ++len) {
                std::vector<uint8_t> cut(full.begin(), full.begin() + len);
                PacketView v = cap.view(i);
                v.data = cut.data();
                v.cap_len = static_cast<uint32_t>(len);
                Dissection d = dissectOne(v);
                checkConsistent(d, v.cap_len, std::string(name) + " cut at " + std::to_string(len));
            }
        }
    }
}

// Every field the link and network dissectors emit carries both titles and a teaching line in
// both languages.
TEST(MalformedCorpus, NetworkFieldsAreExplained) {
    const char* prefixes[] = {"eth", "vlan", "ieee8021a", "sll", "null",
                              "arp", "ip.",  "ipv6",      "icmp"};
    for (const char* name :
         {"good/gateway_or_not.pcap", "good/ipv6_ext_headers.pcap", "good/icmpv6.pcap",
          "good/802.1ad_QinQ.pcap", "good/tcp-handshake-nano.pcap", "good/dns-badcookie.pcap"}) {
        DissectedCapture c = dissectCapture(netCorpus(name));
        for (const Dissection& d : c.frames) {
            for (const Field& f : d.fields) {
                bool mine = false;
                for (const char* p : prefixes)
                    if (std::strncmp(f.info->name, p, std::strlen(p)) == 0) mine = true;
                if (!mine) continue;
                EXPECT_GT(std::strlen(f.info->title_en), 0u) << f.info->name;
                EXPECT_GT(std::strlen(f.info->title_zh), 0u) << f.info->name;
                EXPECT_GT(std::strlen(f.info->explain_en), 10u) << f.info->name;
                EXPECT_GT(std::strlen(f.info->explain_zh), 3u) << f.info->name;
            }
        }
    }
}

}  // namespace
}  // namespace osilab::packet::testing
