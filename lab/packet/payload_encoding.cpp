#include "lab/packet/payload_encoding.h"

#include <bit>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace osilab::packet {
namespace {

// Control characters that still belong in text files: tab, LF, CR (and form feed, which plain
// text from editors occasionally carries).
bool isTextControl(uint8_t c) {
    return c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// The high bit of each of the 8 bytes that is not printable ASCII (0x20..0x7e), SWAR style.
// Borrows and carries only run upwards, so the lowest flagged byte is exact (higher flags may
// be spurious). HTTP bodies and text payloads are mostly long printable runs: checking them a
// word at a time, and jumping straight to the first odd byte, took this function off the top
// of the profile.
uint64_t notPrintable8(const uint8_t* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
    const uint64_t below_space = (w - kOnes * 0x20) & ~w;          // byte < 0x20
    const uint64_t del_or_more = (w + kOnes * (0x80 - 0x7f)) | w;  // byte >= 0x7f
    return (below_space | del_or_more) & kHigh;
}

#if defined(__SSE2__)
// 0xff in each byte lane that is printable ASCII (0x20..0x7e). Adding 0x60 moves exactly that
// range to the signed bytes -128..-34, so one compare tells it (two compares and an AND
// otherwise).
inline __m128i printable16(const uint8_t* p) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return _mm_cmpgt_epi8(_mm_set1_epi8(-33), _mm_add_epi8(v, _mm_set1_epi8(0x60)));
}
// The same, with LF and CR also counted.
inline __m128i textAscii16(const uint8_t* p) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i printable =
        _mm_cmpgt_epi8(_mm_set1_epi8(-33), _mm_add_epi8(v, _mm_set1_epi8(0x60)));
    const __m128i line_break = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                            _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')));
    return _mm_or_si128(printable, line_break);
}
#endif

}  // namespace

PayloadEncoding classifyPayload(const uint8_t* p, uint32_t n) {
    if (n == 0) return PayloadEncoding::Empty;
    bool multibyte = false;
    uint32_t i = 0;
    while (i < n) {
#if defined(__SSE2__)
        // 16 bytes a step where SSE2 is there (every x86-64): a text run costs a third of the
        // 8-byte steps below.
        // Long text runs (HTTP bodies, text payloads) 64 bytes a step, line breaks included
        // (HTML has one every few dozen bytes); the first step with another byte goes on 16
        // bytes at a time to find it.
        if (n - i >= 64) {
            const __m128i all = _mm_and_si128(
                _mm_and_si128(textAscii16(p + i), textAscii16(p + i + 16)),
                _mm_and_si128(textAscii16(p + i + 32), textAscii16(p + i + 48)));
            if (_mm_movemask_epi8(all) == 0xffff) {
                i += 64;
                continue;
            }
        }
        if (n - i >= 16) {
            const __m128i printable = printable16(p + i);
            const uint32_t odd = ~static_cast<uint32_t>(_mm_movemask_epi8(printable)) & 0xffff;
            if (odd == 0) {
                i += 16;
                continue;
            }
            i += static_cast<uint32_t>(std::countr_zero(odd));  // to the first odd byte
        } else if (n - i >= 8) {
#else
        if (n - i >= 8) {
#endif
            const uint64_t odd = notPrintable8(p + i);
            if (odd == 0) {
                i += 8;
                continue;
            }
            i += static_cast<uint32_t>(std::countr_zero(odd)) / 8;  // to the first odd byte
        }
        uint8_t c = p[i];
        if (c < 0x80) {
            if ((c < 0x20 && !isTextControl(c)) || c == 0x7f) return PayloadEncoding::Binary;
            ++i;
            continue;
        }
        // Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
        uint32_t len, cp, min;
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3, cp = c & 0x0f, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return PayloadEncoding::Binary;
        }
        uint32_t have = n - i < len ? n - i : len;
        for (uint32_t k = 1; k < have; ++k) {
            uint8_t cc = p[i + k];
            if ((cc & 0xc0) != 0x80) return PayloadEncoding::Binary;
            cp = cp << 6 | (cc & 0x3f);
        }
        if (have == len && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)))
            return PayloadEncoding::Binary;
        multibyte = true;
        i += have;
    }
    return multibyte ? PayloadEncoding::Utf8 : PayloadEncoding::Ascii;
}

const char* payloadEncodingName(PayloadEncoding e) {
    switch (e) {
        case PayloadEncoding::Empty: return "empty";
        case PayloadEncoding::Ascii: return "ASCII text";
        case PayloadEncoding::Utf8: return "UTF-8 text";
        case PayloadEncoding::Binary: return "binary";
    }
    return "binary";
}

const char* payloadEncodingNameZh(PayloadEncoding e) {
    switch (e) {
        case PayloadEncoding::Empty: return "空";
        case PayloadEncoding::Ascii: return "ASCII 文本";
        case PayloadEncoding::Utf8: return "UTF-8 文本";
        case PayloadEncoding::Binary: return "二进制";
    }
    return "二进制";
}

}  // namespace osilab::packet
