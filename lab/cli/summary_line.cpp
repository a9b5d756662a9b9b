#include "lab/cli/summary_line.h"

#include <string_view>

#include "lab/packet/text_format.h"

namespace osilab::cli {
namespace {

// Column widths count characters, not bytes; our column texts are ASCII except the arrow.
void appendPadded(std::string& out, std::string_view text, size_t width, bool right) {
    size_t pad = text.size() < width ? width - text.size() : 0;
    if (right) out.append(pad, ' ');
    out.append(text);
    if (!right) out.append(pad, ' ');
}

}  // namespace

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

void appendSummaryLine(std::string& out, uint64_t number, int64_t relative_ns,
                       const packet::Summary& summary, uint32_t frame_len) {
    char scratch[32];
    std::string_view sv;
    {
        std::string tmp;  // small: stays in the SSO buffer
        packet::appendUint(tmp, number);
        appendPadded(out, tmp, 6, true);
        out.push_back(' ');
        tmp.clear();
        appendSeconds(tmp, relative_ns);
        appendPadded(out, tmp, 11, true);
    }
    out.push_back(' ');
    appendPadded(out, summary.source, 15, true);
    out.append(" → ");
    appendPadded(out, summary.destination, 15, false);
    out.push_back(' ');
    appendPadded(out, packet::protocolDisplay(summary.protocol), 6, false);
    out.push_back(' ');
    size_t n = 0;
    uint32_t len = frame_len;
    do {
        scratch[sizeof scratch - 1 - n++] = static_cast<char>('0' + len % 10);
        len /= 10;
    } while (len);
    sv = std::string_view(scratch + sizeof scratch - n, n);
    appendPadded(out, sv, 5, true);
    out.push_back(' ');
    out.append(summary.info);
    out.push_back('\n');
}

}  // namespace osilab::cli
