// Addresses a lesson may name: IPv4 127.0.0.0/8 and IPv6 ::1 with a port, or an AF_UNIX file name.
//
// Lessons only talk on loopback, so nothing a lesson does can reach another machine, even when it
// runs with --net host; anything else is refused when the lesson is loaded.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "lab/common/result.h"

namespace osilab::lesson {

enum class Family : uint8_t { Inet, Inet6, Unix };  // AF_INET, AF_INET6, AF_UNIX

struct Address {
    Family family = Family::Inet;
    std::string text;              // as the lesson writes it: "127.0.0.1:8898", "[::1]:8898"
    std::array<uint8_t, 16> ip{};  // network byte order; the first 4 bytes for Inet
    uint16_t port = 0;
    std::string path;  // Unix: a plain file name ("demo.sock"), created in the run's own directory
};

// "127.0.0.1:8898" → Inet, "[::1]:8898" → Inet6, "demo.sock" → Unix. The error says what is wrong
// in words a teacher can act on ("port 70000 is out of range (1-65535)").
Result<Address> parseAddress(std::string_view text);

// "127.0.0.1", "::1" (no port), for messages and for the runner's records.
std::string hostText(const Address& address);

std::string_view familyName(Family family);      // "inet", "inet6", "unix" (the lesson's words)
std::string_view familyConstant(Family family);  // "AF_INET", "AF_INET6", "AF_UNIX"

}  // namespace osilab::lesson
