// The few facts the runner needs from a captured frame to match it against a lesson: transport
// kind, TCP flags, the two endpoints and the payload. Bounds-checked; anything else is "other".
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include <sys/socket.h>

#include "lab/lesson/expect_check.h"

namespace osilab::runner {

// An IP address and port (family AF_INET or AF_INET6; 0 = unknown).
struct Endpoint {
    int family = 0;
    std::array<uint8_t, 16> ip{};
    uint16_t port = 0;
    bool valid() const { return family != 0; }
    bool wildcard() const;
    bool operator==(const Endpoint& other) const = default;
    std::string text() const;  // "127.0.0.1:8898", "[::1]:8898"
    std::string hostText() const;  // "127.0.0.1"
};

Endpoint endpointFromSockaddr(const sockaddr* address, socklen_t length);

struct FrameFacts {
    lesson::ObservedPacket observed;  // without source/destination (the runner resolves them)
    Endpoint source;
    Endpoint destination;
};

// link_type: LINKTYPE_ETHERNET (1) or raw IP (101).
FrameFacts frameFacts(uint32_t link_type, const uint8_t* data, uint32_t size);

}  // namespace osilab::runner
