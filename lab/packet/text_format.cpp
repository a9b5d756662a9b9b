#include "lab/packet/text_format.h"

#include <charconv>

namespace osilab::packet {

void appendUint(std::string& out, uint64_t value) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    (void)ec;
    out.append(buf, end);
}

void appendHex(std::string& out, uint64_t value, int min_digits) {
    static constexpr char kDigits[] = "0123456789abcdef";
    char buf[16];
    int n = 0;
    do {
        buf[n++] = kDigits[value & 0xf];
        value >>= 4;
    } while (value != 0 && n < 16);
    while (n < min_digits && n < 16) buf[n++] = '0';
    while (n > 0) out.push_back(buf[--n]);
}

void appendIpv4(std::string& out, uint32_t a) {
    for (int shift = 24; shift >= 0; shift -= 8) {
        appendUint(out, (a >> shift) & 0xff);
        if (shift) out.push_back('.');
    }
}

void appendIpv6(std::string& out, const uint8_t* b) {
    uint16_t words[8];
    for (int i = 0; i < 8; ++i) words[i] = static_cast<uint16_t>(b[2 * i] << 8 | b[2 * i + 1]);
    // RFC 5952: the longest run (>= 2) of zero words becomes "::"; the first one on a tie.
    int best_start = -1, best_len = 0;
    for (int i = 0; i < 8;) {
        if (words[i] != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < 8 && words[j] == 0) ++j;
        if (j - i > best_len) {
            best_start = i;
            best_len = j - i;
        }
        i = j;
    }
    if (best_len < 2) best_start = -1;
    // IPv4-mapped (::ffff:a.b.c.d) is written with the dotted tail, as Wireshark does.
    bool mapped = best_start == 0 && best_len == 5 && words[5] == 0xffff;
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            out.append("::");
            i += best_len - 1;
            continue;
        }
        if (mapped && i == 6) {
            appendIpv4(out, uint32_t(words[6]) << 16 | words[7]);
            break;
        }
        if (i > 0 && !(best_start >= 0 && i == best_start + best_len)) out.push_back(':');
        appendHex(out, words[i], 1);
    }
}

void appendMac(std::string& out, const uint8_t* b) { appendColonHex(out, b, 6); }

void appendColonHex(std::string& out, const uint8_t* bytes, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) {
        if (i) out.push_back(':');
        appendHex(out, bytes[i], 2);
    }
}

std::string ipv4Binary(uint32_t a) {
    std::string out;
    out.reserve(35);
    for (int bit = 31; bit >= 0; --bit) {
        out.push_back((a >> bit) & 1 ? '1' : '0');
        if (bit % 8 == 0 && bit) out.push_back('.');
    }
    return out;
}

}  // namespace osilab::packet
