// Snapshots of the TCP and UDP sockets of the current network namespace, as the kernel reports
// them through sock_diag netlink (what `ss -tuan` shows): state, addresses, the inode that links
// a socket to its file descriptor, and the timer that keeps TIME-WAIT alive.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lab/common/result.h"

namespace osilab::labnet {

enum class TransportProtocol { Tcp, Udp };

// The TCP states, in the words of RFC 9293 (and of `ss`).
enum class TcpState {
    Listen,
    SynSent,
    SynRecv,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    LastAck,
    Closing,
    TimeWait,
    Close,
};

// "LISTEN", "SYN-SENT", "SYN-RECV", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT",
// "LAST-ACK", "CLOSING", "TIME-WAIT", "CLOSE".
const char* tcpStateName(TcpState state);

// The kernel timer running on a socket (idiag_timer).
enum class SocketTimer { None, Retransmit, KeepAlive, TimeWait, ZeroWindowProbe };

const char* socketTimerName(SocketTimer timer);  // "", "retransmit", "keepalive", ...

struct SocketEntry {
    TransportProtocol protocol = TransportProtocol::Tcp;
    int family = 0;  // AF_INET or AF_INET6
    // For UDP the kernel says Established for a connected socket and Close for one that is not.
    TcpState state = TcpState::Close;
    std::string local_address;  // "127.0.0.1", "::1", "0.0.0.0"
    uint16_t local_port = 0;
    std::string remote_address;  // "0.0.0.0" / "::" while there is no peer
    uint16_t remote_port = 0;
    // The socket's inode, equal to fstat(fd).st_ino of the descriptor that owns it (see
    // socketInode()); 0 when no descriptor does: TIME-WAIT, a half-open SYN-RECV, or a socket
    // closed by its program that the kernel still finishes (FIN-WAIT-2, LAST-ACK...).
    uint64_t inode = 0;
    uint32_t uid = 0;
    // Bytes waiting (for LISTEN: connections waiting in the accept queue, and its limit).
    uint32_t receive_queue = 0;
    uint32_t send_queue = 0;
    SocketTimer timer = SocketTimer::None;
    uint32_t timer_ms = 0;  // until the timer fires; for TIME-WAIT the time left in that state
    uint8_t retransmits = 0;

    // TCP: tcpStateName(state). UDP: "UNCONNECTED" or "CONNECTED" (a UDP socket has no states;
    // connect() only fixes its peer).
    const char* stateName() const;
    bool isTimeWait() const {
        return protocol == TransportProtocol::Tcp && state == TcpState::TimeWait;
    }
};

struct SocketSnapshot {
    int64_t time_ns = 0;  // CLOCK_REALTIME when the kernel was asked, the packets' clock
    std::vector<SocketEntry> sockets;  // TCP before UDP, IPv4 before IPv6, in kernel order

    // The entry owned by this descriptor's inode, or nullptr (inode 0 never matches).
    const SocketEntry* findByInode(uint64_t inode) const;
};

struct SnapshotOptions {
    bool tcp = true;
    bool udp = true;
};

// Asks the kernel (NETLINK_SOCK_DIAG, inet_diag_req_v2, AF_INET and AF_INET6, every TCP state)
// for the sockets of the current network namespace. Needs no privilege. Reads are bounded
// (a receive timeout and a cap on the number of sockets), and every failure is an Error.
// A TCP socket that is only created or bound (neither listening nor connecting) is not listed:
// its state is CLOSE. Inside the private lab network a snapshot takes well under a millisecond;
// on the host's network it walks the host's socket tables (milliseconds to tens of them).
Result<SocketSnapshot> snapshotSockets(const SnapshotOptions& options = {});

// The inode of a socket descriptor (fstat st_ino), to find it in a snapshot.
Result<uint64_t> socketInode(int fd);

}  // namespace osilab::labnet
