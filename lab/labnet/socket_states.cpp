#include "lab/labnet/socket_states.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <optional>

namespace osilab::labnet {

namespace {

// Bounds: a lab network holds a handful of sockets; a busy host a few thousand. Beyond these the
// answer is refused rather than read forever.
constexpr size_t kReceiveBufferBytes = 64 * 1024;  // above the kernel's 32 KiB dump messages
constexpr int kMaxReceives = 100'000;
constexpr size_t kMaxSockets = 1'000'000;
constexpr int kReceiveTimeoutSeconds = 2;
constexpr uint32_t kAllStates = ((1u << 13) - 1) & ~1u;  // bits 1..12

// The kernel's state numbers (include/net/tcp_states.h), not exported to user space.
TcpState stateFromKernel(uint8_t state) {
    switch (state) {
        case 1: return TcpState::Established;
        case 2: return TcpState::SynSent;
        case 3: return TcpState::SynRecv;
        case 4: return TcpState::FinWait1;
        case 5: return TcpState::FinWait2;
        case 6: return TcpState::TimeWait;
        case 8: return TcpState::CloseWait;
        case 9: return TcpState::LastAck;
        case 10: return TcpState::Listen;
        case 11: return TcpState::Closing;
        case 12: return TcpState::SynRecv;  // TCP_NEW_SYN_RECV: a request socket, shown as SYN-RECV
        default: return TcpState::Close;    // 7 TCP_CLOSE, 13 TCP_BOUND_INACTIVE (bound only)
    }
}

SocketTimer timerFromKernel(uint8_t timer) {
    switch (timer) {
        case 1: return SocketTimer::Retransmit;
        case 2: return SocketTimer::KeepAlive;
        case 3: return SocketTimer::TimeWait;
        case 4: return SocketTimer::ZeroWindowProbe;
        default: return SocketTimer::None;
    }
}

int64_t realtimeNs() {
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

std::string addressText(int family, const uint32_t* words) {
    char text[INET6_ADDRSTRLEN] = {};
    if (::inet_ntop(family, words, text, sizeof text) == nullptr) return "?";
    return text;
}

const char* protocolName(TransportProtocol protocol, int family) {
    if (protocol == TransportProtocol::Tcp) return family == AF_INET ? "TCP/IPv4" : "TCP/IPv6";
    return family == AF_INET ? "UDP/IPv4" : "UDP/IPv6";
}

SocketEntry entryFrom(const inet_diag_msg& message, TransportProtocol protocol) {
    SocketEntry entry;
    entry.protocol = protocol;
    entry.family = message.idiag_family;
    entry.state = stateFromKernel(message.idiag_state);
    entry.local_address = addressText(entry.family, message.id.idiag_src);
    entry.local_port = ntohs(message.id.idiag_sport);
    entry.remote_address = addressText(entry.family, message.id.idiag_dst);
    entry.remote_port = ntohs(message.id.idiag_dport);
    entry.inode = message.idiag_inode;
    entry.uid = message.idiag_uid;
    entry.receive_queue = message.idiag_rqueue;
    entry.send_queue = message.idiag_wqueue;
    entry.timer = timerFromKernel(message.idiag_timer);
    entry.timer_ms = entry.timer == SocketTimer::None ? 0 : message.idiag_expires;
    entry.retransmits = message.idiag_retrans;
    return entry;
}

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

private:
    int fd_;
};

// One dump: every socket of one family and protocol. Returns an Error's message on failure.
std::optional<std::string> dump(int fd, uint32_t sequence, int family, TransportProtocol protocol,
                                std::vector<uint8_t>& buffer, std::vector<SocketEntry>& out) {
    const char* what = protocolName(protocol, family);
    struct {
        nlmsghdr header;
        inet_diag_req_v2 request;
    } message{};
    message.header.nlmsg_len = sizeof message;
    message.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
    message.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    message.header.nlmsg_seq = sequence;
    message.request.sdiag_family = static_cast<uint8_t>(family);
    message.request.sdiag_protocol = protocol == TransportProtocol::Tcp ? IPPROTO_TCP : IPPROTO_UDP;
    // Every real state, 1 (ESTABLISHED) to 12 (NEW_SYN_RECV). Not 13, "bound but inactive"
    // (Linux 6.5+): listing those walks the host's whole bind table, and a bound-only socket is
    // CLOSE whether or not it is listed.
    message.request.idiag_states = kAllStates;

    sockaddr_nl kernel{};
    kernel.nl_family = AF_NETLINK;
    ssize_t sent;
    do {
        sent = ::sendto(fd, &message, sizeof message, 0, reinterpret_cast<sockaddr*>(&kernel),
                        sizeof kernel);
    } while (sent < 0 && errno == EINTR);
    if (sent != static_cast<ssize_t>(sizeof message)) {
        return std::string("Cannot ask the kernel for the ") + what +
               " socket states: " + std::strerror(sent < 0 ? errno : EIO);
    }

    for (int receives = 0; receives < kMaxReceives; ++receives) {
        sockaddr_nl from{};
        iovec vector{buffer.data(), buffer.size()};
        msghdr header{};
        header.msg_name = &from;
        header.msg_namelen = sizeof from;
        header.msg_iov = &vector;
        header.msg_iovlen = 1;
        const ssize_t received = ::recvmsg(fd, &header, 0);
        if (received < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                return std::string("The kernel did not finish the ") + what +
                       " socket states within " + std::to_string(kReceiveTimeoutSeconds) + " s.";
            }
            return std::string("Cannot read the ") + what +
                   " socket states: " + std::strerror(errno);
        }
        if ((header.msg_flags & MSG_TRUNC) != 0) {
            return std::string("The kernel's answer about ") + what +
                   " sockets did not fit in the buffer.";
        }
        if (from.nl_pid != 0) continue;  // only the kernel may answer

        // NLMSG_OK/NLMSG_NEXT by hand, with sizes kept unsigned: each message must lie wholly
        // inside what was received.
        const size_t length = static_cast<size_t>(received);
        for (size_t offset = 0; offset + sizeof(nlmsghdr) <= length;) {
            const auto* reply = reinterpret_cast<const nlmsghdr*>(buffer.data() + offset);
            if (reply->nlmsg_len < sizeof(nlmsghdr) || reply->nlmsg_len > length - offset) {
                return std::string("The kernel sent a damaged message about ") + what + " sockets.";
            }
            offset += NLMSG_ALIGN(reply->nlmsg_len);
            if (reply->nlmsg_seq != sequence) continue;  // late answer to an earlier question
            if (reply->nlmsg_type == NLMSG_DONE) return std::nullopt;
            if (reply->nlmsg_type == NLMSG_ERROR) {
                if (reply->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) {
                    return std::string("The kernel sent a damaged error about ") + what +
                           " sockets.";
                }
                const int error_number = -static_cast<const nlmsgerr*>(NLMSG_DATA(reply))->error;
                if (error_number == 0) continue;  // an acknowledgement
                // No IPv6 in this kernel (ipv6.disable=1): there are simply no such sockets.
                if (family == AF_INET6 &&
                    (error_number == ENOENT || error_number == EAFNOSUPPORT)) {
                    return std::nullopt;
                }
                return std::string("The kernel refused to list the ") + what +
                       " sockets: " + std::strerror(error_number) +
                       (error_number == ENOENT
                            ? " (its sock_diag support for this protocol is missing; try "
                              "`sudo modprobe tcp_diag udp_diag`)"
                            : "");
            }
            if (reply->nlmsg_type != SOCK_DIAG_BY_FAMILY) continue;
            if (reply->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) {
                return std::string("The kernel sent a damaged entry about ") + what + " sockets.";
            }
            if (out.size() >= kMaxSockets) {
                return std::string("More than ") + std::to_string(kMaxSockets) + " " + what +
                       " sockets: too many to show.";
            }
            out.push_back(
                entryFrom(*static_cast<const inet_diag_msg*>(NLMSG_DATA(reply)), protocol));
        }
    }
    return std::string("The kernel's list of ") + what + " sockets did not end.";
}

}  // namespace

const char* tcpStateName(TcpState state) {
    switch (state) {
        case TcpState::Listen: return "LISTEN";
        case TcpState::SynSent: return "SYN-SENT";
        case TcpState::SynRecv: return "SYN-RECV";
        case TcpState::Established: return "ESTABLISHED";
        case TcpState::FinWait1: return "FIN-WAIT-1";
        case TcpState::FinWait2: return "FIN-WAIT-2";
        case TcpState::CloseWait: return "CLOSE-WAIT";
        case TcpState::LastAck: return "LAST-ACK";
        case TcpState::Closing: return "CLOSING";
        case TcpState::TimeWait: return "TIME-WAIT";
        case TcpState::Close: return "CLOSE";
    }
    return "?";
}

const char* socketTimerName(SocketTimer timer) {
    switch (timer) {
        case SocketTimer::None: return "";
        case SocketTimer::Retransmit: return "retransmit";
        case SocketTimer::KeepAlive: return "keepalive";
        case SocketTimer::TimeWait: return "time-wait";
        case SocketTimer::ZeroWindowProbe: return "zero-window probe";
    }
    return "?";
}

const char* SocketEntry::stateName() const {
    if (protocol == TransportProtocol::Udp) {
        return state == TcpState::Established ? "CONNECTED" : "UNCONNECTED";
    }
    return tcpStateName(state);
}

const SocketEntry* SocketSnapshot::findByInode(uint64_t inode) const {
    if (inode == 0) return nullptr;
    for (const SocketEntry& entry : sockets) {
        if (entry.inode == inode) return &entry;
    }
    return nullptr;
}

Result<SocketSnapshot> snapshotSockets(const SnapshotOptions& options) {
    SocketSnapshot snapshot;
    snapshot.time_ns = realtimeNs();

    Fd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG));
    if (fd.get() < 0) {
        return Error{std::string("Cannot open a sock_diag netlink socket to read socket states: ") +
                     std::strerror(errno)};
    }
    timeval timeout{kReceiveTimeoutSeconds, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

    std::vector<uint8_t> buffer(kReceiveBufferBytes);
    uint32_t sequence = static_cast<uint32_t>(snapshot.time_ns);
    for (TransportProtocol protocol : {TransportProtocol::Tcp, TransportProtocol::Udp}) {
        if (protocol == TransportProtocol::Tcp && !options.tcp) continue;
        if (protocol == TransportProtocol::Udp && !options.udp) continue;
        for (int family : {AF_INET, AF_INET6}) {
            if (std::optional<std::string> problem =
                    dump(fd.get(), ++sequence, family, protocol, buffer, snapshot.sockets)) {
                return Error{std::move(*problem)};
            }
        }
    }
    return snapshot;
}

Result<uint64_t> socketInode(int fd) {
    struct stat status {};
    if (::fstat(fd, &status) != 0) {
        return Error{"Cannot look at descriptor " + std::to_string(fd) + ": " +
                     std::strerror(errno)};
    }
    if (!S_ISSOCK(status.st_mode)) {
        return Error{"Descriptor " + std::to_string(fd) + " is not a socket."};
    }
    return static_cast<uint64_t>(status.st_ino);
}

}  // namespace osilab::labnet
