#include "lab/lesson/names.h"

#include <cerrno>

namespace osilab::lesson {
namespace {

template <typename T>
struct Named {
    std::string_view name;
    T value;
};

template <typename T, size_t N>
std::string_view nameOf(const Named<T> (&table)[N], T value) {
    for (const auto& entry : table) {
        if (entry.value == value) return entry.name;
    }
    return "?";
}

template <typename T, size_t N>
std::optional<T> valueOf(const Named<T> (&table)[N], std::string_view name) {
    for (const auto& entry : table) {
        if (entry.name == name) return entry.value;
    }
    return std::nullopt;
}

template <typename T, size_t N>
std::vector<std::string_view> namesOf(const Named<T> (&table)[N]) {
    std::vector<std::string_view> names;
    for (const auto& entry : table) names.push_back(entry.name);
    return names;
}

constexpr Named<Call> kCalls[] = {
    {"socket", Call::Socket}, {"setsockopt", Call::Setsockopt}, {"bind", Call::Bind},
    {"listen", Call::Listen}, {"accept", Call::Accept},         {"connect", Call::Connect},
    {"send", Call::Send},     {"sendall", Call::Sendall},       {"recv", Call::Recv},
    {"sendto", Call::Sendto}, {"recvfrom", Call::Recvfrom},     {"shutdown", Call::Shutdown},
    {"close", Call::Close},
};

constexpr Named<SocketOption> kOptions[] = {
    {"SO_REUSEADDR", SocketOption::ReuseAddr}, {"SO_REUSEPORT", SocketOption::ReusePort},
    {"SO_KEEPALIVE", SocketOption::KeepAlive}, {"SO_BROADCAST", SocketOption::Broadcast},
    {"SO_RCVBUF", SocketOption::RcvBuf},       {"SO_SNDBUF", SocketOption::SndBuf},
    {"SO_RCVTIMEO", SocketOption::RcvTimeo},   {"SO_SNDTIMEO", SocketOption::SndTimeo},
    {"SO_LINGER", SocketOption::Linger},       {"TCP_NODELAY", SocketOption::NoDelay},
};

constexpr Named<TcpState> kStates[] = {
    {"LISTEN", TcpState::Listen},        {"SYN-SENT", TcpState::SynSent},
    {"SYN-RECV", TcpState::SynRecv},     {"ESTABLISHED", TcpState::Established},
    {"FIN-WAIT-1", TcpState::FinWait1},  {"FIN-WAIT-2", TcpState::FinWait2},
    {"CLOSE-WAIT", TcpState::CloseWait}, {"LAST-ACK", TcpState::LastAck},
    {"CLOSING", TcpState::Closing},      {"TIME-WAIT", TcpState::TimeWait},
    {"CLOSED", TcpState::Closed},
};

constexpr Named<uint8_t> kFlags[] = {
    {"FIN", kFin}, {"SYN", kSyn}, {"RST", kRst}, {"PSH", kPsh},
    {"ACK", kAck}, {"URG", kUrg}, {"ECE", kEce}, {"CWR", kCwr},
};

constexpr Named<int> kErrnos[] = {
    {"EPERM", EPERM},
    {"ENOENT", ENOENT},
    {"EINTR", EINTR},
    {"EBADF", EBADF},
    {"EAGAIN", EAGAIN},
    {"EWOULDBLOCK", EWOULDBLOCK},
    {"ENOMEM", ENOMEM},
    {"EACCES", EACCES},
    {"EFAULT", EFAULT},
    {"EEXIST", EEXIST},
    {"ENOTDIR", ENOTDIR},
    {"EINVAL", EINVAL},
    {"EMFILE", EMFILE},
    {"ENOSPC", ENOSPC},
    {"EPIPE", EPIPE},
    {"ENAMETOOLONG", ENAMETOOLONG},
    {"ENOTSOCK", ENOTSOCK},
    {"EDESTADDRREQ", EDESTADDRREQ},
    {"EMSGSIZE", EMSGSIZE},
    {"EPROTOTYPE", EPROTOTYPE},
    {"ENOPROTOOPT", ENOPROTOOPT},
    {"EPROTONOSUPPORT", EPROTONOSUPPORT},
    {"ESOCKTNOSUPPORT", ESOCKTNOSUPPORT},
    {"EOPNOTSUPP", EOPNOTSUPP},
    {"ENOTSUP", ENOTSUP},
    {"EAFNOSUPPORT", EAFNOSUPPORT},
    {"EADDRINUSE", EADDRINUSE},
    {"EADDRNOTAVAIL", EADDRNOTAVAIL},
    {"ENETDOWN", ENETDOWN},
    {"ENETUNREACH", ENETUNREACH},
    {"ECONNABORTED", ECONNABORTED},
    {"ECONNRESET", ECONNRESET},
    {"ENOBUFS", ENOBUFS},
    {"EISCONN", EISCONN},
    {"ENOTCONN", ENOTCONN},
    {"ETIMEDOUT", ETIMEDOUT},
    {"ECONNREFUSED", ECONNREFUSED},
    {"EHOSTUNREACH", EHOSTUNREACH},
    {"EALREADY", EALREADY},
    {"EINPROGRESS", EINPROGRESS},
};

}  // namespace

std::string_view callName(Call call) {
    return nameOf(kCalls, call);
}
std::optional<Call> callFromName(std::string_view name) {
    return valueOf(kCalls, name);
}
std::vector<std::string_view> callNames() {
    return namesOf(kCalls);
}

std::string_view socketTypeName(SocketType type) {
    return type == SocketType::Stream ? "stream" : "dgram";
}
std::string_view socketTypeConstant(SocketType type) {
    return type == SocketType::Stream ? "SOCK_STREAM" : "SOCK_DGRAM";
}
std::string_view protocolName(Protocol proto) {
    switch (proto) {
        case Protocol::Default: return "default";
        case Protocol::Tcp: return "tcp";
        case Protocol::Udp: return "udp";
    }
    return "?";
}

std::string_view optionName(SocketOption option) {
    return nameOf(kOptions, option);
}
std::optional<SocketOption> optionFromName(std::string_view name) {
    return valueOf(kOptions, name);
}
std::vector<std::string_view> optionNames() {
    return namesOf(kOptions);
}

std::string_view shutdownName(ShutdownHow how) {
    switch (how) {
        case ShutdownHow::Read: return "rd";
        case ShutdownHow::Write: return "wr";
        case ShutdownHow::Both: return "rdwr";
    }
    return "?";
}

std::string_view tcpStateName(TcpState state) {
    return nameOf(kStates, state);
}
std::optional<TcpState> tcpStateFromName(std::string_view name) {
    return valueOf(kStates, name);
}
std::vector<std::string_view> tcpStateNames() {
    return namesOf(kStates);
}

std::optional<TcpState> tcpStateFromKernel(int tcp_state) {
    switch (tcp_state) {
        case 1: return TcpState::Established;
        case 2: return TcpState::SynSent;
        case 3: return TcpState::SynRecv;
        case 4: return TcpState::FinWait1;
        case 5: return TcpState::FinWait2;
        case 6: return TcpState::TimeWait;
        case 7: return TcpState::Closed;
        case 8: return TcpState::CloseWait;
        case 9: return TcpState::LastAck;
        case 10: return TcpState::Listen;
        case 11: return TcpState::Closing;
        case 12: return TcpState::SynRecv;  // TCP_NEW_SYN_RECV: a request socket, shown as SYN-RECV
        default: return std::nullopt;
    }
}

std::string tcpFlagsText(uint8_t flags) {
    std::string text;
    for (const auto& flag : kFlags) {
        if (flags & flag.value) {
            if (!text.empty()) text += ',';
            text += flag.name;
        }
    }
    return text.empty() ? "none" : text;
}

std::optional<uint8_t> tcpFlagFromName(std::string_view name) {
    return valueOf(kFlags, name);
}

std::string errnoName(int value) {
    if (value == 0) return "";
    for (const auto& entry : kErrnos) {
        if (entry.value == value) return std::string(entry.name);  // EAGAIN before EWOULDBLOCK
    }
    std::string unknown = "E";  // built in two steps: GCC 12 warns falsely on "E" + std::string
    unknown += std::to_string(value);
    return unknown;
}

std::optional<int> errnoFromName(std::string_view name) {
    return valueOf(kErrnos, name);
}
std::vector<std::string_view> errnoNames() {
    return namesOf(kErrnos);
}

}  // namespace osilab::lesson
