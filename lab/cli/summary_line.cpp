#include "lab/cli/summary_line.h"

#include <cstring>

#include "lab/packet/text_format.h"

namespace osilab::cli {

void appendSeconds(std::string& out, int64_t ns, int decimals) {
    if (ns < 0) {
        out.push_back('-');
        ns = -ns;
    }
    packet::appendUint(out, static_cast<uint64_t>(ns / 1000000000));
    out.push_back('.');
    int64_t frac = ns % 1000000000;
    for (int i = decimals; i < 9; ++i) frac /= 10;
    char digits[9];
    for (int i = decimals - 1; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + frac % 10);
        frac /= 10;
    }
    out.append(digits, static_cast<size_t>(decimals));
}

namespace {

// Column widths count bytes; our column texts are ASCII except the arrow, which is not padded.

constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Writes `v` in decimal ending just before `end`, two digits per division; returns where the
// digits start.
char* digitsBefore(char* end, uint64_t v) {
    while (v >= 100) {
        const uint64_t q = v / 100;
        const size_t r = static_cast<size_t>(v - q * 100) * 2;
        *--end = kPairs[r + 1];
        *--end = kPairs[r];
        v = q;
    }
    if (v >= 10) {
        *--end = kPairs[v * 2 + 1];
        *--end = kPairs[v * 2];
    } else {
        *--end = static_cast<char>('0' + v);
    }
    return end;
}

constexpr char kSpaces[17] = "                ";

// Pads to `width` (at most 16) and copies `size` bytes of `text`. When the text fits in 16
// bytes and 16 bytes may be read from it, the copies are fixed-size (single moves, no call):
// the bytes written past the column are overwritten by the next column or cut at the end, and
// the line's room has spare bytes for them.
char* putPadded(char* p, const char* text, size_t size, size_t width, bool right,
                bool readable16) {
    const size_t pad = size < width ? width - size : 0;
    if (right) {
        std::memcpy(p, kSpaces, 16);
        p += pad;
    }
    if (readable16 && size <= 16)
        std::memcpy(p, text, 16);
    else
        std::memcpy(p, text, size);
    p += size;
    if (!right) {
        std::memcpy(p, kSpaces, 16);
        p += pad;
    }
    return p;
}

// libstdc++ strings always hold at least 15 characters plus the terminator (the in-object
// buffer), so their first 16 bytes can be read whatever the size.
bool stringReadable16(const std::string& s) { return s.capacity() >= 15; }

}  // namespace

// Written straight into the output buffer, sized once: this runs for every packet of
// `osilab show`, and building each column in its own string showed up in the profile.
void appendSummaryLine(std::string& out, uint64_t number, int64_t relative_ns,
                       const packet::Summary& summary, uint32_t frame_len) {
    static constexpr char kArrow[] = " \xe2\x86\x92 ";  // " → "
    const char* protocol = packet::protocolDisplay(summary.protocol);
    const size_t protocol_size = std::strlen(protocol);
    // Columns: 6 + 1 + 11 + 1 + 15 + 5 + 15 + 1 + 6 + 1 + 5 + 1 + info + 1, each wider if its
    // text is (the frame number has at most 20 digits, the time at most 28 characters), and
    // up to 16 bytes written past the last column by putPadded.
    const size_t room = 160 + summary.source.size() + summary.destination.size() + protocol_size +
                        summary.info.size();
    const size_t start = out.size();
    out.resize(start + room);
    char* const line = out.data() + start;
    char* p = line;

    // 16 spare bytes after the digits so that putPadded may read 16 bytes from them.
    char scratch[48];
    char* const scratch_end = scratch + 32;
    const char* digits = digitsBefore(scratch_end, number);
    p = putPadded(p, digits, static_cast<size_t>(scratch_end - digits), 6, true, true);
    *p++ = ' ';

    // Seconds with microseconds, as appendSeconds writes them.
    uint64_t magnitude = relative_ns < 0 ? 0 - static_cast<uint64_t>(relative_ns)
                                         : static_cast<uint64_t>(relative_ns);
    char* t = digitsBefore(scratch_end, (magnitude % 1000000000) / 1000 + 1000000);
    *t = '.';  // overwrites the leading 1 that kept the six fraction digits' zeros
    t = digitsBefore(t, magnitude / 1000000000);
    if (relative_ns < 0) *--t = '-';
    p = putPadded(p, t, static_cast<size_t>(scratch_end - t), 11, true, true);
    *p++ = ' ';

    p = putPadded(p, summary.source.data(), summary.source.size(), 15, true,
                  stringReadable16(summary.source));
    std::memcpy(p, kArrow, sizeof kArrow - 1);
    p += sizeof kArrow - 1;
    p = putPadded(p, summary.destination.data(), summary.destination.size(), 15, false,
                  stringReadable16(summary.destination));
    *p++ = ' ';
    p = putPadded(p, protocol, protocol_size, 6, false, false);
    *p++ = ' ';
    digits = digitsBefore(scratch_end, frame_len);
    p = putPadded(p, digits, static_cast<size_t>(scratch_end - digits), 5, true, true);
    *p++ = ' ';
    std::memcpy(p, summary.info.data(), summary.info.size());
    p += summary.info.size();
    *p++ = '\n';
    out.resize(start + static_cast<size_t>(p - line));
}

}  // namespace osilab::cli
