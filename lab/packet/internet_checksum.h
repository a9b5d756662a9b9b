// The Internet checksum (RFC 1071): the one's-complement sum that IPv4, ICMP, ICMPv6, UDP and
// TCP use to detect damaged bytes.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace osilab::packet {

// Adds `n` bytes, read as big-endian 16-bit words, to a running sum (equal to the plain sum of
// those words modulo 0xffff, and never below any single word of it). An odd final byte is padded
// with zero.
// Four bytes are added at a time as one big-endian 32-bit word: that word equals the two 16-bit
// words' sum modulo 0xffff, which is all the folded result depends on (IPv4 verifies every
// header on the summary path, so this loop runs for every packet).
inline uint64_t checksumAdd(uint64_t sum, const uint8_t* p, uint32_t n) {
    uint32_t i = 0;
    for (; i + 4 <= n; i += 4) {
        uint32_t word;
        std::memcpy(&word, p + i, 4);
        if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap32(word);
        sum += word;
    }
    for (; i + 1 < n; i += 2) sum += uint32_t(p[i]) << 8 | p[i + 1];
    if (i < n) sum += uint32_t(p[i]) << 8;
    return sum;
}

// Folds a running sum into 16 bits. A message whose checksum field is included verifies when
// the folded sum is 0xffff.
inline uint16_t checksumFold(uint64_t sum) {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(sum);
}

// True when `n` bytes that include their checksum field add up to 0xffff (a verified header).
// The one's-complement sum does not depend on byte order (RFC 1071, 2.B), and 0xffff reads the
// same both ways, so the words are added as the machine reads them, without swapping; a
// 20-byte IPv4 header (nearly every one) is five loads and a fixed fold, not a loop.
inline bool checksumVerifies(const uint8_t* p, uint32_t n) {
    if (n != 20) return checksumFold(checksumAdd(0, p, n)) == 0xffff;
    uint32_t w[5];
    std::memcpy(w, p, sizeof w);
    uint64_t sum = uint64_t{w[0]} + w[1] + w[2] + w[3] + w[4];  // < 2^35
    sum = (sum & 0xffffffff) + (sum >> 32);                       // < 2^32 + 8
    sum = (sum & 0xffff) + (sum >> 16);                           // < 2^17
    sum = (sum & 0xffff) + (sum >> 16);                           // <= 0xffff + 1
    sum = (sum & 0xffff) + (sum >> 16);
    return sum == 0xffff;
}

}  // namespace osilab::packet
