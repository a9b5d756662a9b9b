// Test-only: reads a classic pcap file into memory so dissector tests can use tiny real captures
// without linking libpcap (the dissector library must not depend on capture code).
#pragma once

#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "lab/packet/dissector.h"

namespace osilab::packet::testing {

struct TestPacket {
    std::vector<uint8_t> bytes;
    uint32_t orig_len = 0;
    int64_t time_ns = 0;
};

struct TestCapture {
    uint32_t link_type = 0;
    std::vector<TestPacket> packets;

    PacketView view(size_t index) const {
        const TestPacket& p = packets.at(index);
        PacketView v;
        v.link_type = link_type;
        v.data = p.bytes.data();
        v.cap_len = static_cast<uint32_t>(p.bytes.size());
        v.orig_len = p.orig_len;
        v.time_ns = p.time_ns;
        v.number = index + 1;
        return v;
    }
};

inline TestCapture readPcap(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<uint8_t> file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (file.size() < 24) throw std::runtime_error(path + ": not a pcap file");
    uint32_t magic;
    std::memcpy(&magic, file.data(), 4);
    bool swapped = false, nano = false;
    if (magic == 0xa1b2c3d4u) {
    } else if (magic == 0xd4c3b2a1u) {
        swapped = true;
    } else if (magic == 0xa1b23c4du) {
        nano = true;
    } else if (magic == 0x4d3cb2a1u) {
        swapped = nano = true;
    } else {
        throw std::runtime_error(path + ": not a classic pcap file");
    }
    auto rd32 = [&](size_t off) {
        uint32_t v;
        std::memcpy(&v, file.data() + off, 4);
        return swapped ? __builtin_bswap32(v) : v;
    };
    TestCapture cap;
    cap.link_type = rd32(20) & 0x0fffffff;
    size_t off = 24;
    while (off + 16 <= file.size()) {
        uint32_t sec = rd32(off), frac = rd32(off + 4), incl = rd32(off + 8), orig = rd32(off + 12);
        off += 16;
        if (incl > file.size() - off) break;
        TestPacket p;
        p.bytes.assign(file.begin() + off, file.begin() + off + incl);
        p.orig_len = orig;
        p.time_ns = int64_t(sec) * 1000000000 + int64_t(frac) * (nano ? 1 : 1000);
        cap.packets.push_back(std::move(p));
        off += incl;
    }
    return cap;
}

// Finds a field by Wireshark name in a dissection; nullptr if absent. `nth` picks later ones.
inline const Field* findField(const Dissection& d, const char* name, int nth = 0) {
    for (const Field& f : d.fields)
        if (std::strcmp(f.info->name, name) == 0 && nth-- == 0) return &f;
    return nullptr;
}

inline const Layer* findLayer(const Dissection& d, Protocol p) {
    for (const Layer& l : d.layers)
        if (l.protocol == p) return &l;
    return nullptr;
}

}  // namespace osilab::packet::testing
