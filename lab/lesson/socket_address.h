// The bridge from a lesson's Address to the kernel's sockaddr, and back for the runner's records.
#pragma once

#include <sys/socket.h>

#include <string>
#include <string_view>

#include "lab/lesson/address.h"

namespace osilab::lesson {

struct SockAddr {
    sockaddr_storage storage{};
    socklen_t length = 0;
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// An AF_UNIX name is made inside `unix_dir` (the run's own directory, removed after the run). The
// result's length is 0 when the full path does not fit in sun_path.
SockAddr toSockAddr(const Address& address, std::string_view unix_dir);

// "127.0.0.1:8898", "[::1]:8898", the file name of an AF_UNIX address (relative to `unix_dir` when
// inside it), or "" for an unnamed AF_UNIX socket.
std::string formatSockAddr(const sockaddr* address, socklen_t length, std::string_view unix_dir);

}  // namespace osilab::lesson
