// Test-only helpers for the link and network layer tests: dissect a whole capture with the
// public Dissector, and compare fields with what `tshark -T pdml` shows (name, show, pos, size).
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "lab/packet/dissector.h"
#include "lab/packet/tests/test_pcap.h"
#include "lab/packet/text_format.h"

namespace osilab::packet::testing {

inline std::string netTestData(const char* name) {
    return std::string(OSILAB_TEST_DATA) + "/" + name;
}
inline std::string netCorpus(const char* name) {
    return std::string(OSILAB_CORPUS) + "/" + name;
}

struct DissectedCapture {
    TestCapture cap;
    std::vector<Dissection> frames;
    const std::vector<uint8_t>& bytes(size_t i) const { return cap.packets.at(i).bytes; }
};

// Every packet through one Dissector, in order, as `osilab show` does.
inline DissectedCapture dissectCapture(const std::string& path, bool fields = true) {
    DissectedCapture out;
    out.cap = readPcap(path);
    Dissector dissector;
    DissectOptions options;
    options.fields = fields;
    for (size_t i = 0; i < out.cap.packets.size(); ++i) {
        out.frames.emplace_back();
        dissector.dissect(out.cap.view(i), options, out.frames.back());
    }
    return out;
}

// A field's value written the way tshark's PDML "show" attribute writes it.
inline std::string tsharkShow(const Dissection& d, const Field& f, const std::vector<uint8_t>& b) {
    std::string out;
    const bool inside = f.begin <= f.end && f.end <= b.size();
    switch (f.kind) {
        case FieldKind::Unsigned: {
            int digits = 0;
            switch (f.info->base) {
                case NumberBase::Hex2: digits = 2; break;
                case NumberBase::Hex3: digits = 3; break;
                case NumberBase::Hex4: digits = 4; break;
                case NumberBase::Hex6: digits = 6; break;
                case NumberBase::Hex8: digits = 8; break;
                case NumberBase::Decimal: break;
            }
            if (digits) {
                out = "0x";
                appendHex(out, f.number, digits);
            } else {
                appendUint(out, f.number);
            }
            break;
        }
        case FieldKind::Boolean: out = f.number ? "1" : "0"; break;
        case FieldKind::Ipv4: appendIpv4(out, static_cast<uint32_t>(f.number)); break;
        case FieldKind::Ipv6:
            if (inside) appendIpv6(out, b.data() + f.begin);
            break;
        case FieldKind::Mac:
            if (inside) appendMac(out, b.data() + f.begin);
            break;
        case FieldKind::Bytes:
            if (inside) appendColonHex(out, b.data() + f.begin, f.end - f.begin);
            break;
        case FieldKind::FrameText:
            if (inside)
                out.assign(reinterpret_cast<const char*>(b.data() + f.begin), f.end - f.begin);
            break;
        case FieldKind::OwnedText: out = d.texts.at(f.number); break;
        case FieldKind::Label: break;
    }
    return out;
}

// Passes when the nth field called `name` shows `show` over [pos, pos + size), as in tshark.
inline ::testing::AssertionResult hasField(const DissectedCapture& c, size_t frame,
                                           const char* name, const std::string& show, uint32_t pos,
                                           uint32_t size, int nth = 0) {
    const Dissection& d = c.frames.at(frame);
    const Field* f = findField(d, name, nth);
    if (!f) return ::testing::AssertionFailure() << name << " missing in frame " << frame + 1;
    std::string got = tsharkShow(d, *f, c.bytes(frame));
    if (got != show || f->begin != pos || f->end != pos + size)
        return ::testing::AssertionFailure()
               << name << " in frame " << frame + 1 << ": show '" << got << "' at [" << f->begin
               << "," << f->end << "), tshark shows '" << show << "' at [" << pos << ","
               << pos + size << ")";
    return ::testing::AssertionSuccess();
}

inline bool hasProblem(const Dissection& d, Protocol layer, ProblemKind kind) {
    for (const Problem& p : d.problems)
        if (p.layer < d.layers.size() && d.layers[p.layer].protocol == layer && p.kind == kind)
            return true;
    return false;
}

inline std::vector<Protocol> protocols(const Dissection& d) {
    std::vector<Protocol> out;
    for (const Layer& l : d.layers) out.push_back(l.protocol);
    return out;
}

}  // namespace osilab::packet::testing
