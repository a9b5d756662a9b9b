// The Internet checksum (RFC 1071): the one's-complement sum that IPv4, ICMP, ICMPv6, UDP and
// TCP use to detect damaged bytes.
#pragma once

#include <cstdint>

namespace osilab::packet {

// Adds `n` bytes, read as big-endian 16-bit words, to a running 32-bit sum. An odd final byte
// is padded with zero. Callers add at most 64 KiB at a time, so the sum cannot overflow.
inline uint64_t checksumAdd(uint64_t sum, const uint8_t* p, uint32_t n) {
    uint32_t i = 0;
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

}  // namespace osilab::packet
