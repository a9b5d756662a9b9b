// A fixed-size scratch buffer for building Info column text, appended to the summary string
// once per layer: cheaper than many small std::string appends on the summary fast path.
// Internal to lab/packet.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace osilab::packet {

class InfoWriter {
public:
    void text(std::string_view s) {
        size_t n = s.size() <= kCapacity - size_ ? s.size() : kCapacity - size_;
        std::memcpy(buf_ + size_, s.data(), n);
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
    // Digits are written straight into the buffer, two per division: Info lines are mostly
    // 2- to 10-digit numbers and this runs a dozen times per packet.
    void number32(uint32_t v) {
        static constexpr char kPairs[] =
            "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
            "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
            "8081828384858687888990919293949596979899";
        static constexpr uint32_t kPow10[] = {10,      100,      1000,      10000,     100000,
                                              1000000, 10000000, 100000000, 1000000000};
        size_t n = 1;
        while (n < 10 && v >= kPow10[n - 1]) ++n;
        if (n > kCapacity - size_) return;
        char* p = buf_ + size_ + n;
        size_ += n;
        while (v >= 100) {
            const uint32_t q = v / 100;
            const uint32_t r = (v - q * 100) * 2;
            *--p = kPairs[r + 1];
            *--p = kPairs[r];
            v = q;
        }
        if (v >= 10) {
            *--p = kPairs[v * 2 + 1];
            *--p = kPairs[v * 2];
        } else {
            *--p = static_cast<char>('0' + v);
        }
    }

public:
    void appendTo(std::string& out) const { out.append(buf_, size_); }
    std::string_view view() const { return {buf_, size_}; }

private:
    static constexpr size_t kCapacity = 512;  // more than any TCP or UDP Info line needs
    char buf_[kCapacity];
    size_t size_ = 0;
};

}  // namespace osilab::packet
