// Fast text building for summaries and field display: appends to a caller's string, never
// allocates beyond the string's own growth (the summary path formats millions of lines).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace osilab::packet {

// Inline: called about twenty times per packet on the summary path.
inline void appendUint(std::string& out, uint64_t value) {
    char buf[20];
    char* end = buf + sizeof buf;
    char* p = end;
    do {
        *--p = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value != 0);
    out.append(p, static_cast<size_t>(end - p));
}
void appendHex(std::string& out, uint64_t value, int min_digits);  // lower-case, no "0x"
void appendIpv4(std::string& out, uint32_t address_host_order);   // "127.0.0.1"
void appendIpv6(std::string& out, const uint8_t* bytes16);        // RFC 5952: "::1", "fe80::1"
void appendMac(std::string& out, const uint8_t* bytes6);          // "00:00:00:00:00:00"
void appendColonHex(std::string& out, const uint8_t* bytes, uint32_t n);  // "0a:1b:2c"

// IPv4 address as 32 binary digits in octets: "01111111.00000000.00000000.00000001".
std::string ipv4Binary(uint32_t address_host_order);

}  // namespace osilab::packet
