#include "lab/packet/text_format.h"

#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif


namespace osilab::packet {


namespace {
constexpr char kHexDigits[] = "0123456789abcdef";

// "0".."255" with their lengths, four bytes each: the summary path formats two addresses per
// packet, and a table look-up and one 4-byte move beat dividing each octet by 100 and 10.
struct OctetText {
    char digits[3];
    uint8_t size;
};
constexpr std::array<OctetText, 256> kOctets = [] {
    std::array<OctetText, 256> t{};
    for (unsigned v = 0; v < 256; ++v) {
        OctetText& o = t[v];
        if (v >= 100) {
            o = {{char('0' + v / 100), char('0' + v / 10 % 10), char('0' + v % 10)}, 3};
        } else if (v >= 10) {
            o = {{char('0' + v / 10), char('0' + v % 10), 0}, 2};
        } else {
            o = {{char('0' + v), 0, 0}, 1};
        }
    }
    return t;
}();

// The run of zero words RFC 5952 shortens to "::", for each pattern of zero words in an IPv6
// address (bit i set: word i is 0): the longest run of at least two, the first on a tie;
// start -1 when there is none. A look-up instead of scanning the words, twice an IPv6 packet.
struct ZeroRun {
    int8_t start;
    int8_t len;
};
constexpr std::array<ZeroRun, 256> kZeroRuns = [] {
    std::array<ZeroRun, 256> t{};
    for (unsigned mask = 0; mask < 256; ++mask) {
        int best_start = -1, best_len = 0;
        for (int i = 0; i < 8;) {
            if (!(mask & (1u << i))) {
                ++i;
                continue;
            }
            int j = i;
            while (j < 8 && (mask & (1u << j))) ++j;
            if (j - i > best_len) {
                best_start = i;
                best_len = j - i;
            }
            i = j;
        }
        if (best_len < 2) best_start = -1;
        t[mask] = {static_cast<int8_t>(best_start), static_cast<int8_t>(best_len)};
    }
    return t;
}();

// Bit i set: the IPv6 address's 16-bit word i is zero. With SSE2 (every x86-64) one compare
// for all eight; reading the words byte by byte was half the cost of formatting an address.
uint32_t zeroWordMask(const uint8_t* b) {
#if defined(__SSE2__)
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b));
    uint32_t m = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi16(v, _mm_setzero_si128())));
    // Both bits of each word agree: keep the even ones and pack them together.
    m &= 0x5555;
    m = (m | m >> 1) & 0x3333;
    m = (m | m >> 2) & 0x0f0f;
    m = (m | m >> 4) & 0x00ff;
    return m;
#else
    uint32_t m = 0;
    for (int i = 0; i < 8; ++i) m |= uint32_t{(b[2 * i] | b[2 * i + 1]) == 0} << i;
    return m;
#endif
}

// Writes 0..255 at p, returns the new end; writes 4 bytes (the ones past the digits are
// garbage the caller overwrites or ignores).
char* putOctet(char* p, unsigned v) {
    const OctetText& o = kOctets[v & 0xff];
    std::memcpy(p, &o, 4);  // one move; the size byte lands past the digits
    return p + o.size;
}
}  // namespace

void appendHex(std::string& out, uint64_t value, int min_digits) {
    char buf[16];
    int n = 0;
    do {
        buf[15 - n++] = kHexDigits[value & 0xf];
        value >>= 4;
    } while (value != 0 && n < 16);
    while (n < min_digits && n < 16) buf[15 - n++] = '0';
    out.append(buf + 16 - n, static_cast<size_t>(n));
}

void appendIpv4(std::string& out, uint32_t a) {
    // Written straight into the string (room for the longest address plus putOctet's spare
    // byte, then cut to size): text built on the stack with 4-byte stores and then copied by
    // memcpy's 8-byte loads stalled each load until the stores had retired (no store
    // forwarding), twice a packet on the summary path.
    const size_t old = out.size();
    out.append(16, '.');
    char* const begin = out.data() + old;
    char* p = putOctet(begin, a >> 24);
    *p++ = '.';
    p = putOctet(p, (a >> 16) & 0xff);
    *p++ = '.';
    p = putOctet(p, (a >> 8) & 0xff);
    *p++ = '.';
    p = putOctet(p, a & 0xff);
    out.resize(old + static_cast<size_t>(p - begin));
}

void appendIpv6(std::string& out, const uint8_t* b) {
    // Words are read where they are written: "::1" reads one of them.
    auto word = [b](int i) { return static_cast<uint32_t>(b[2 * i] << 8 | b[2 * i + 1]); };
    // RFC 5952: the longest run (>= 2) of zero words becomes "::"; the first one on a tie.
    const ZeroRun run = kZeroRuns[zeroWordMask(b)];
    const int best_start = run.start, best_len = run.len;
    // IPv4-mapped (::ffff:a.b.c.d) is written with the dotted tail, as Wireshark does.
    bool mapped = best_start == 0 && best_len == 5 && word(5) == 0xffff;
    // Written straight into the string (room for 8 * 4 digits + 7 colons, then cut to size),
    // as appendIpv4 does and for the same reason: the summary path formats two addresses per
    // IPv6 packet.
    const size_t old = out.size();
    out.append(40, ':');
    char* const buf = out.data() + old;
    char* p = buf;
    for (int i = 0; i < 8; ++i) {
        if (i == best_start) {
            *p++ = ':';
            *p++ = ':';
            i += best_len - 1;
            continue;
        }
        if (mapped && i == 6) {
            *p++ = ':';
            out.resize(old + static_cast<size_t>(p - buf));
            appendIpv4(out, word(6) << 16 | word(7));
            return;
        }
        if (i > 0 && !(best_start >= 0 && i == best_start + best_len)) *p++ = ':';
        const uint32_t w = word(i);
        const int digits = w >= 0x1000 ? 4 : w >= 0x100 ? 3 : w >= 0x10 ? 2 : 1;
        for (int d = digits - 1; d >= 0; --d) *p++ = kHexDigits[(w >> (4 * d)) & 0xf];
    }
    out.resize(old + static_cast<size_t>(p - buf));
}

void appendMac(std::string& out, const uint8_t* b) { appendColonHex(out, b, 6); }

void appendColonHex(std::string& out, const uint8_t* bytes, uint32_t n) {
    if (n == 0) return;
    size_t start = out.size();
    out.resize(start + size_t(n) * 3 - 1);
    char* p = out.data() + start;
    for (uint32_t i = 0; i < n; ++i) {
        if (i) *p++ = ':';
        *p++ = kHexDigits[bytes[i] >> 4];
        *p++ = kHexDigits[bytes[i] & 0xf];
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
