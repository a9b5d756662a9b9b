// The words a lesson file uses for calls, options, states, flags and errors, both ways.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/lesson/lesson.h"

namespace osilab::lesson {

std::string_view callName(Call call);  // "socket", "recvfrom"
std::optional<Call> callFromName(std::string_view name);
std::vector<std::string_view> callNames();

std::string_view socketTypeName(SocketType type);      // "stream", "dgram"
std::string_view socketTypeConstant(SocketType type);  // "SOCK_STREAM", "SOCK_DGRAM"
std::string_view protocolName(Protocol proto);         // "default", "tcp", "udp"

std::string_view optionName(SocketOption option);  // "SO_REUSEADDR", "TCP_NODELAY"
std::optional<SocketOption> optionFromName(std::string_view name);
std::vector<std::string_view> optionNames();

std::string_view shutdownName(ShutdownHow how);  // "rd", "wr", "rdwr"

std::string_view tcpStateName(TcpState state);  // "TIME-WAIT", as ss writes it; "CLOSED"
std::optional<TcpState> tcpStateFromName(std::string_view name);
std::vector<std::string_view> tcpStateNames();
// The kernel's numbering (include/net/tcp_states.h, as sock_diag reports idiag_state).
// TCP_CLOSE (7) is Closed, TCP_NEW_SYN_RECV (12) is SynRecv; unknown numbers give nullopt.
std::optional<TcpState> tcpStateFromKernel(int tcp_state);

// "SYN,ACK" ↔ flag bits, in the order tshark lists them (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR).
std::string tcpFlagsText(uint8_t flags);
std::optional<uint8_t> tcpFlagFromName(std::string_view name);

// errno names of this system, the ones sockets produce: "EADDRINUSE" ↔ EADDRINUSE.
// errnoName(0) is "". Unknown numbers give "E<number>".
std::string errnoName(int value);
std::optional<int> errnoFromName(std::string_view name);
std::vector<std::string_view> errnoNames();

}  // namespace osilab::lesson
