// A fixed-size scratch buffer for building Info column text, appended to the summary string
// once per layer: cheaper than many small std::string appends on the summary fast path.
// Internal to lab/packet.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace osilab::packet {

class InfoWriter {
public:
    void text(std::string_view s) {
        const size_t n = s.size() <= kCapacity - size_ ? s.size() : kCapacity - size_;
        char* d = buf_ + size_;
        const char* src = s.data();
        // Short texts (TCP's "ACK", "PSH, ACK") with two overlapping fixed-size moves instead
        // of a library memcpy call, which costs more than the copy itself at these sizes.
        if (n >= 8 && n <= 16) {
            std::memcpy(d, src, 8);
            std::memcpy(d + n - 8, src + n - 8, 8);
        } else if (n >= 4 && n < 8) {
            std::memcpy(d, src, 4);
            std::memcpy(d + n - 4, src + n - 4, 4);
        } else if (n > 0 && n < 4) {
            d[0] = src[0];
            d[n / 2] = src[n / 2];
            d[n - 1] = src[n - 1];
        } else {
            std::memcpy(d, src, n);
        }
        size_ += n;
    }
    // A string literal: its length is known at compile time, so the copy is a few moves.
    template <size_t N>
    void lit(const char (&s)[N]) {
        constexpr size_t n = N - 1;
        if (n > kCapacity - size_) return;
        std::memcpy(buf_ + size_, s, n);
        size_ += n;
    }
    void ch(char c) {
        if (size_ < kCapacity) buf_[size_++] = c;
    }
    void number(uint64_t v) {
        if (v > UINT32_MAX) {
            number(v / 1000000000);  // at most 11 more digits: recurse once
            const uint32_t low = static_cast<uint32_t>(v % 1000000000);
            for (uint32_t p = 100000000; p > low && p > 1; p /= 10) ch('0');  // zero padding
            number32(low);
            return;
        }
        number32(static_cast<uint32_t>(v));
    }
    void hex(uint64_t v, int min_digits) {
        static constexpr char kDigits[] = "0123456789abcdef";
        char digits[16];
        int n = 0;
        do {
            digits[n++] = kDigits[v & 0xf];
            v >>= 4;
        } while (v != 0 && n < 16);
        while (n < min_digits && n < 16) digits[n++] = '0';
        if (static_cast<size_t>(n) > kCapacity - size_) return;
        while (n > 0) buf_[size_++] = digits[--n];
    }

private:
    // Up to 8 decimal digits at once (v < 10^8), as the 8 bytes of a little-endian word with
    // the first digit in the lowest byte (digit values, not yet characters): v splits into
    // 4-digit halves, each half into 2-digit quarters, each quarter into digits, all lanes at
    // once with multiply-shift division. Info lines carry 10-digit numbers (TCP timestamps,
    // sequence numbers): a division per two digits took about 90 instructions for those.
    static uint64_t eightDigits(uint32_t v) {
        uint64_t x = v / 10000 | uint64_t{v % 10000} << 32;
        const uint64_t hundreds = ((x * 10486) >> 20) & 0x0000007f0000007fULL;  // lane / 100
        x = hundreds | (x - hundreds * 100) << 16;
        const uint64_t tens = ((x * 103) >> 10) & 0x000f000f000f000fULL;  // lane / 10
        return tens | (x - tens * 10) << 8;
    }
    static constexpr uint64_t kZeros = 0x3030303030303030ULL;  // '0' in every byte

    void number32(uint32_t v) {
        if (std::endian::native != std::endian::little || kCapacity - size_ < 16) {
            numberNearEnd(v);
            return;
        }
        size_ = static_cast<size_t>(putNumber(buf_ + size_, v) - buf_);
    }

public:
    // ---- unchecked writing through a cursor ------------------------------------------------
    // The checked calls above keep size_ in the object, and every character stored may alias
    // it (a char store may change any object), so each call reloaded and stored it again.
    // A caller writing a line of bounded length (TCP's) takes a cursor once, writes through
    // the static put* functions with the cursor in a register, and hands it back. Each put*
    // may store up to 16 bytes past what it writes; the caller checks room() first.
    size_t room() const { return kCapacity - size_; }
    char* cursor() { return buf_ + size_; }
    void setCursor(char* p) { size_ = static_cast<size_t>(p - buf_); }

    // Decimal digits of v at d; may store 8 bytes past the last digit.
    [[gnu::always_inline]] static char* putNumber(char* d, uint32_t v) {
        if constexpr (std::endian::native != std::endian::little) {
            const size_t n = digitCount(v);
            numberBackwards(v, d + n);
            return d + n;
        }
        // Seq=1, Ack=1, Len=0: most numbers on TCP lines are one or two digits.
        if (v < 100) {
            if (v < 10) {
                *d = static_cast<char>('0' + v);
                return d + 1;
            }
            std::memcpy(d, kPairs + v * 2, 2);
            return d + 2;
        }
        if (v >= 100000000) {
            const uint32_t high = v / 100000000;  // 1..42
            v -= high * 100000000;
            if (high >= 10) {
                std::memcpy(d, kPairs + high * 2, 2);
                d += 2;
            } else {
                *d++ = static_cast<char>('0' + high);
            }
            const uint64_t w = eightDigits(v) + kZeros;
            std::memcpy(d, &w, 8);
            return d + 8;
        }
        // 3 to 8 digits: the leading zero digits are the lowest zero bytes; shift them out.
        // The 8-byte store writes past the number into the caller's spare room.
        const uint64_t x = eightDigits(v);
        const int leading = std::countr_zero(x) / 8;
        const uint64_t w = (x + kZeros) >> (8 * leading);
        std::memcpy(d, &w, 8);
        return d + (8 - leading);
    }
    template <size_t N>
    [[gnu::always_inline]] static char* putLit(char* d, const char (&s)[N]) {
        std::memcpy(d, s, N - 1);
        return d + (N - 1);
    }
    // " Len=0": a literal label and a number, with one load and one store of the size.
    template <size_t N>
    [[gnu::always_inline]] void labelled(const char (&label)[N], uint32_t v) {
        if (kCapacity - size_ < N + 26) {  // label, 10 digits, 16 spare
            lit(label);
            number(v);
            return;
        }
        setCursor(putNumber(putLit(cursor(), label), v));
    }

private:
    static size_t digitCount(uint32_t v) {
        static constexpr uint32_t kPow10[] = {1,      10,      100,      1000,      10000,
                                              100000, 1000000, 10000000, 100000000, 1000000000};
        // Without a loop: log10 from the bit width (1233/4096 ≈ log10 2), then one compare.
        const uint32_t t = static_cast<uint32_t>(std::bit_width(v | 1)) * 1233 >> 12;
        return t + ((v | 1) >= kPow10[t]);
    }

    // Within 16 bytes of the end (or on a big-endian machine): no 8-byte stores.
    void numberNearEnd(uint32_t v) {
        const size_t n = digitCount(v);
        if (n > kCapacity - size_) return;
        size_ += n;
        numberBackwards(v, buf_ + size_);
    }

    // Digits written backwards from `end`, two per division.
    static void numberBackwards(uint32_t v, char* end) {
        char* p = end;
        while (v >= 100) {
            const uint32_t q = v / 100;
            p -= 2;
            std::memcpy(p, kPairs + (v - q * 100) * 2, 2);
            v = q;
        }
        if (v >= 10) {
            p -= 2;
            std::memcpy(p, kPairs + v * 2, 2);
        } else {
            *--p = static_cast<char>('0' + v);
        }
    }

    static constexpr char kPairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";

public:
    void appendTo(std::string& out) const { out.append(buf_, size_); }
    std::string_view view() const { return {buf_, size_}; }

private:
    static constexpr size_t kCapacity = 512;  // more than any TCP or UDP Info line needs
    char buf_[kCapacity];
    size_t size_ = 0;
};

}  // namespace osilab::packet
