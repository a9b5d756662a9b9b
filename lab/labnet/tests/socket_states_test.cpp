#include "lab/labnet/socket_states.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "lab/labnet/tests/forked_child.h"
#include "lab/labnet/tests/loopback_support.h"

namespace osilab::labnet {
namespace {

using testing::runInChild;

TEST(TcpStateName, UsesTheExactDisplayNames) {
    EXPECT_STREQ(tcpStateName(TcpState::Listen), "LISTEN");
    EXPECT_STREQ(tcpStateName(TcpState::SynSent), "SYN-SENT");
    EXPECT_STREQ(tcpStateName(TcpState::SynRecv), "SYN-RECV");
    EXPECT_STREQ(tcpStateName(TcpState::Established), "ESTABLISHED");
    EXPECT_STREQ(tcpStateName(TcpState::FinWait1), "FIN-WAIT-1");
    EXPECT_STREQ(tcpStateName(TcpState::FinWait2), "FIN-WAIT-2");
    EXPECT_STREQ(tcpStateName(TcpState::CloseWait), "CLOSE-WAIT");
    EXPECT_STREQ(tcpStateName(TcpState::LastAck), "LAST-ACK");
    EXPECT_STREQ(tcpStateName(TcpState::Closing), "CLOSING");
    EXPECT_STREQ(tcpStateName(TcpState::TimeWait), "TIME-WAIT");
    EXPECT_STREQ(tcpStateName(TcpState::Close), "CLOSE");
}

// These run in the test's own process, on the host's network: sockets are bound to loopback
// ports the kernel picks, and nothing is sent.
TEST(SocketStates, FindsAListenerByItsInode) {
    const int listener = testing::tcpListener(0);
    ASSERT_GE(listener, 0) << std::strerror(errno);
    auto inode = socketInode(listener);
    ASSERT_TRUE(inode.ok()) << inode.error().message;
    auto snapshot = snapshotSockets();
    ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
    const SocketEntry* entry = snapshot.value().findByInode(inode.value());
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->protocol, TransportProtocol::Tcp);
    EXPECT_EQ(entry->family, AF_INET);
    EXPECT_EQ(entry->state, TcpState::Listen);
    EXPECT_STREQ(entry->stateName(), "LISTEN");
    EXPECT_EQ(entry->local_address, "127.0.0.1");
    EXPECT_EQ(entry->local_port, testing::localPort(listener));
    EXPECT_EQ(entry->remote_address, "0.0.0.0");
    EXPECT_EQ(entry->remote_port, 0);
    EXPECT_EQ(entry->uid, geteuid());
    EXPECT_EQ(entry->send_queue, 16u);  // for LISTEN: the backlog given to listen()
    EXPECT_GT(snapshot.value().time_ns, 1'600'000'000'000'000'000);
    close(listener);

    auto later = snapshotSockets();
    ASSERT_TRUE(later.ok()) << later.error().message;
    EXPECT_EQ(later.value().findByInode(inode.value()), nullptr) << "a closed listener remains";
}

TEST(SocketStates, ShowsUdpSocketsAsUnconnectedOrConnected) {
    const int bound = testing::boundSocket(SOCK_DGRAM, 0);
    const int connected = testing::boundSocket(SOCK_DGRAM, 0);
    ASSERT_GE(bound, 0);
    ASSERT_GE(connected, 0);
    const sockaddr_in peer = testing::loopback(testing::localPort(bound));
    ASSERT_EQ(connect(connected, reinterpret_cast<const sockaddr*>(&peer), sizeof peer), 0);

    auto snapshot = snapshotSockets();
    ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
    const SocketEntry* a = snapshot.value().findByInode(socketInode(bound).value());
    const SocketEntry* b = snapshot.value().findByInode(socketInode(connected).value());
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(a->protocol, TransportProtocol::Udp);
    EXPECT_STREQ(a->stateName(), "UNCONNECTED");
    EXPECT_STREQ(b->stateName(), "CONNECTED");
    EXPECT_EQ(b->remote_address, "127.0.0.1");
    EXPECT_EQ(b->remote_port, testing::localPort(bound));

    SnapshotOptions tcp_only;
    tcp_only.udp = false;
    auto tcp = snapshotSockets(tcp_only);
    ASSERT_TRUE(tcp.ok()) << tcp.error().message;
    for (const SocketEntry& entry : tcp.value().sockets) {
        EXPECT_EQ(entry.protocol, TransportProtocol::Tcp);
    }
    close(bound);
    close(connected);
}

TEST(SocketStates, SeesIpv6Sockets) {
    const int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) GTEST_SKIP() << "no IPv6 here";
    sockaddr_in6 address{};
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_loopback;
    if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        GTEST_SKIP() << "::1 is not configured here";
    }
    ASSERT_EQ(listen(fd, 4), 0);
    auto snapshot = snapshotSockets();
    ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
    const SocketEntry* entry = snapshot.value().findByInode(socketInode(fd).value());
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->family, AF_INET6);
    EXPECT_EQ(entry->local_address, "::1");
    EXPECT_EQ(entry->remote_address, "::");
    EXPECT_EQ(entry->state, TcpState::Listen);
    close(fd);
}

TEST(SocketInode, RefusesWhatIsNotASocket) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    auto pipe_inode = socketInode(fds[0]);
    ASSERT_FALSE(pipe_inode.ok());
    EXPECT_NE(pipe_inode.error().message.find("not a socket"), std::string::npos);
    close(fds[0]);
    close(fds[1]);
    EXPECT_FALSE(socketInode(-1).ok());
    SocketSnapshot empty;
    EXPECT_EQ(empty.findByInode(0), nullptr);
}

TEST(SocketStates, SynSentWhileTheAcceptQueueIsFull) {
    LABNET_EXPECT_CHILD(runInChild([]() -> std::string {
        LABNET_ENTER_OR_SKIP(info);
        // listen(0) takes one connection; the kernel drops the next SYN, so the second client
        // stays in SYN-SENT and retransmits.
        const int listener = testing::tcpListener(8898, 0);
        const int first = testing::tcpConnect(8898);
        LABNET_REQUIRE(listener >= 0 && first >= 0, "first connection");
        const int second = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        const sockaddr_in address = testing::loopback(8898);
        const int connected =
            connect(second, reinterpret_cast<const sockaddr*>(&address), sizeof address);
        LABNET_REQUIRE(connected != 0 && errno == EINPROGRESS,
                       std::string("connect: ") + std::strerror(errno));
        auto snapshot = snapshotSockets();
        LABNET_REQUIRE(snapshot.ok(), snapshot.error().message);
        const SocketEntry* entry = snapshot.value().findByInode(socketInode(second).value());
        LABNET_REQUIRE(entry != nullptr, "the second client is missing");
        LABNET_REQUIRE(entry->state == TcpState::SynSent,
                       std::string("second client is ") + entry->stateName());
        LABNET_REQUIRE(entry->timer == SocketTimer::Retransmit,
                       std::string("timer ") + socketTimerName(entry->timer));
        LABNET_REQUIRE(entry->timer_ms > 0 && entry->timer_ms <= 3000,
                       "retransmission in " + std::to_string(entry->timer_ms) + " ms");
        const SocketEntry* listening = snapshot.value().findByInode(socketInode(listener).value());
        LABNET_REQUIRE(listening != nullptr && listening->receive_queue == 1,
                       "accept queue not full");
        close(second);
        close(first);
        close(listener);
        return "";
    }));
}

TEST(SocketStates, BoundOnlyTcpSocketIsNotListed) {
    LABNET_EXPECT_CHILD(runInChild([]() -> std::string {
        LABNET_ENTER_OR_SKIP(info);
        const int fd = testing::boundSocket(SOCK_STREAM, 8899);
        LABNET_REQUIRE(fd >= 0, "bind");
        auto snapshot = snapshotSockets();
        LABNET_REQUIRE(snapshot.ok(), snapshot.error().message);
        LABNET_REQUIRE(snapshot.value().findByInode(socketInode(fd).value()) == nullptr,
                       "a bound-only socket is listed");
        LABNET_REQUIRE(listen(fd, 1) == 0, "listen");
        auto listening = snapshotSockets();
        LABNET_REQUIRE(listening.ok(), listening.error().message);
        const SocketEntry* entry = listening.value().findByInode(socketInode(fd).value());
        LABNET_REQUIRE(entry != nullptr && entry->state == TcpState::Listen, "not LISTEN");
        close(fd);
        return "";
    }));
}

TEST(SocketStates, SnapshotInsideTheLabNetworkIsQuick) {
    LABNET_EXPECT_CHILD(runInChild([]() -> std::string {
        LABNET_ENTER_OR_SKIP(info);
        // The lab network has socket tables of its own (Linux 6.1+), so listing walks a few
        // thousand buckets, not the host's hundreds of thousands. Not a timing test: the count
        // of buckets is what is checked.
        FILE* file = fopen("/proc/sys/net/ipv4/tcp_ehash_entries", "re");
        if (file == nullptr) return testing::skipped("this kernel has no per-network TCP tables");
        long entries = 0;
        const bool read = fscanf(file, "%ld", &entries) == 1;
        fclose(file);
        LABNET_REQUIRE(read, "cannot read tcp_ehash_entries");
        // Negative means "shared with the host" in this file's convention.
        LABNET_REQUIRE(entries > 0 && entries <= 4096,
                       "TCP table of " + std::to_string(entries) + " buckets");
        return "";
    }));
}

}  // namespace
}  // namespace osilab::labnet
