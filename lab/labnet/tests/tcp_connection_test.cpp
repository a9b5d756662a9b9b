// A whole TCP connection inside the private network, watched two ways at once: the packets on
// lo (LiveCapture) and the sockets' states (sock_diag), as a lesson run shows them.
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "lab/labnet/live_capture.h"
#include "lab/labnet/socket_states.h"
#include "lab/labnet/tests/forked_child.h"
#include "lab/labnet/tests/loopback_support.h"

namespace osilab::labnet {
namespace {

using testing::kAck;
using testing::kFin;
using testing::kSyn;
using testing::readUntil;
using testing::runInChild;
using testing::SeenPacket;

constexpr uint16_t kServerPort = 8898;

// The kernel moves a socket to its next state while it handles the packet the capture has just
// shown; a few snapshots bridge that gap (each a netlink round trip, no sleeping).
Result<SocketSnapshot> snapshotWhen(const std::function<bool(const SocketSnapshot&)>& wanted,
                                    int timeout_ms = 2000) {
    const int64_t deadline = testing::nowMs() + timeout_ms;
    for (;;) {
        auto snapshot = snapshotSockets();
        if (!snapshot.ok() || wanted(snapshot.value()) || testing::nowMs() > deadline) {
            return snapshot;
        }
        sched_yield();
    }
}

const SocketEntry* findTcp(const SocketSnapshot& snapshot, uint16_t local, uint16_t remote) {
    for (const SocketEntry& entry : snapshot.sockets) {
        if (entry.protocol == TransportProtocol::Tcp && entry.local_port == local &&
            entry.remote_port == remote) {
            return &entry;
        }
    }
    return nullptr;
}

std::string describe(const SocketSnapshot& snapshot) {
    std::string text;
    for (const SocketEntry& entry : snapshot.sockets) {
        text += std::string(" [") + entry.stateName() + " " + entry.local_address + ":" +
                std::to_string(entry.local_port) + " -> " + entry.remote_address + ":" +
                std::to_string(entry.remote_port) + "]";
    }
    return text.empty() ? " (no sockets)" : text;
}

std::string describe(const std::vector<SeenPacket>& packets) {
    std::string text;
    for (const SeenPacket& p : packets) {
        text += " " + std::to_string(p.source_port) + ">" + std::to_string(p.destination_port) +
                "[" + testing::flagsText(p.tcp_flags) + "]";
    }
    return text;
}

// True once `packets` holds, in order, segments with exactly these flags in these directions.
bool hasSequence(const std::vector<SeenPacket>& packets,
                 const std::vector<std::pair<uint16_t, uint8_t>>& wanted) {
    size_t next = 0;
    for (const SeenPacket& p : packets) {
        if (next < wanted.size() && p.source_port == wanted[next].first &&
            p.tcp_flags == wanted[next].second) {
            ++next;
        }
    }
    return next == wanted.size();
}

TEST(TcpConnection, CapturedPacketsAndStatesFromHandshakeToTimeWait) {
    LABNET_EXPECT_CHILD(runInChild([]() -> std::string {
        LABNET_ENTER_OR_SKIP(info);
        auto opened = LiveCapture::open();
        LABNET_REQUIRE(opened.ok(), opened.error().message);
        LiveCapture& capture = opened.value();
        std::vector<SeenPacket> packets;
        auto keep = [&](const CapturedPacket& p) { packets.push_back(testing::readPacket(p)); };
        auto live = capture.confirmLive(keep);
        LABNET_REQUIRE(live.ok(), live.error().message);
        std::string problem;

        // socket, bind, listen: no packet, one LISTEN socket.
        const int listener = testing::tcpListener(kServerPort);
        LABNET_REQUIRE(listener >= 0, std::string("listen: ") + std::strerror(errno));
        LABNET_REQUIRE(capture.readAvailable(keep, 50) == ReadStatus::Quiet, "listen() sent");
        auto listening = snapshotSockets();
        LABNET_REQUIRE(listening.ok(), listening.error().message);
        const SocketEntry* listen_entry =
            listening.value().findByInode(socketInode(listener).value());
        LABNET_REQUIRE(listen_entry != nullptr && listen_entry->state == TcpState::Listen,
                       "no LISTEN:" + describe(listening.value()));

        // connect: the three-way handshake.
        const int client = testing::tcpConnect(kServerPort);
        LABNET_REQUIRE(client >= 0, std::string("connect: ") + std::strerror(errno));
        const uint16_t client_port = testing::localPort(client);
        const std::vector<std::pair<uint16_t, uint8_t>> handshake = {
            {client_port, kSyn}, {kServerPort, kSyn | kAck}, {client_port, kAck}};
        LABNET_REQUIRE(
            readUntil(
                capture, packets, [&](const auto& got) { return hasSequence(got, handshake); },
                3000, problem),
            "handshake: " + problem + describe(packets));
        LABNET_REQUIRE(packets.size() == 3, "handshake packets:" + describe(packets));
        for (const SeenPacket& p : packets) {
            LABNET_REQUIRE(p.source == "127.0.0.1" && p.destination == "127.0.0.1",
                           "a packet off 127.0.0.1");
        }

        // accept: both ends ESTABLISHED, found by their descriptors' inodes.
        const int server = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        LABNET_REQUIRE(server >= 0, std::string("accept: ") + std::strerror(errno));
        auto established = snapshotSockets();
        LABNET_REQUIRE(established.ok(), established.error().message);
        const SocketEntry* client_entry =
            established.value().findByInode(socketInode(client).value());
        const SocketEntry* server_entry =
            established.value().findByInode(socketInode(server).value());
        LABNET_REQUIRE(client_entry != nullptr && server_entry != nullptr,
                       "ends not found:" + describe(established.value()));
        LABNET_REQUIRE(client_entry->state == TcpState::Established &&
                           server_entry->state == TcpState::Established,
                       "not ESTABLISHED:" + describe(established.value()));
        LABNET_REQUIRE(
            client_entry->local_port == client_port && client_entry->remote_port == kServerPort &&
                server_entry->local_port == kServerPort && server_entry->remote_port == client_port,
            "ports:" + describe(established.value()));
        LABNET_REQUIRE(established.value().findByInode(socketInode(listener).value()) != nullptr,
                       "the listener vanished");

        // The client closes first: FIN from the client, ACK from the server.
        close(client);
        const std::vector<std::pair<uint16_t, uint8_t>> first_half = {{client_port, kFin | kAck},
                                                                      {kServerPort, kAck}};
        LABNET_REQUIRE(
            readUntil(
                capture, packets, [&](const auto& got) { return hasSequence(got, first_half); },
                3000, problem),
            "first FIN: " + problem + describe(packets));
        auto half_closed = snapshotWhen([&](const SocketSnapshot& s) {
            const SocketEntry* c = findTcp(s, client_port, kServerPort);
            return c != nullptr && c->state == TcpState::FinWait2;
        });
        LABNET_REQUIRE(half_closed.ok(), half_closed.error().message);
        const SocketEntry* closing_client = findTcp(half_closed.value(), client_port, kServerPort);
        const SocketEntry* waiting_server =
            half_closed.value().findByInode(socketInode(server).value());
        LABNET_REQUIRE(closing_client != nullptr && closing_client->state == TcpState::FinWait2,
                       "client not FIN-WAIT-2:" + describe(half_closed.value()));
        LABNET_REQUIRE(waiting_server != nullptr && waiting_server->state == TcpState::CloseWait,
                       "server not CLOSE-WAIT:" + describe(half_closed.value()));

        // The server closes: FIN from the server, the client's last ACK.
        close(server);
        const std::vector<std::pair<uint16_t, uint8_t>> second_half = {{kServerPort, kFin | kAck},
                                                                       {client_port, kAck}};
        LABNET_REQUIRE(
            readUntil(
                capture, packets,
                [&](const auto& got) { return got.size() >= 7 && hasSequence(got, second_half); },
                3000, problem),
            "second FIN: " + problem + describe(packets));
        LABNET_REQUIRE(packets.size() == 7, "teardown packets:" + describe(packets));

        // TIME-WAIT on the side that closed first, and only there.
        auto after = snapshotWhen([&](const SocketSnapshot& s) {
            const SocketEntry* c = findTcp(s, client_port, kServerPort);
            return c != nullptr && c->state == TcpState::TimeWait &&
                   findTcp(s, kServerPort, client_port) == nullptr;
        });
        LABNET_REQUIRE(after.ok(), after.error().message);
        const SocketEntry* time_wait = findTcp(after.value(), client_port, kServerPort);
        LABNET_REQUIRE(time_wait != nullptr && time_wait->isTimeWait(),
                       "client not in TIME-WAIT:" + describe(after.value()));
        LABNET_REQUIRE(std::string(time_wait->stateName()) == "TIME-WAIT", "display name");
        LABNET_REQUIRE(time_wait->inode == 0, "a TIME-WAIT socket has no descriptor");
        LABNET_REQUIRE(time_wait->timer == SocketTimer::TimeWait,
                       std::string("timer: ") + socketTimerName(time_wait->timer));
        LABNET_REQUIRE(time_wait->timer_ms > 0 && time_wait->timer_ms <= 60'000,
                       "TIME-WAIT remaining " + std::to_string(time_wait->timer_ms) + " ms");
        LABNET_REQUIRE(findTcp(after.value(), kServerPort, client_port) == nullptr,
                       "the server side lingers:" + describe(after.value()));
        int time_waits = 0;
        for (const SocketEntry& entry : after.value().sockets) time_waits += entry.isTimeWait();
        LABNET_REQUIRE(time_waits == 1, "TIME-WAIT sockets:" + describe(after.value()));

        auto stats = capture.stats();
        LABNET_REQUIRE(stats.ok() && stats.value().dropped == 0, "dropped packets");
        close(listener);
        return "";
    }));
}

TEST(TcpConnection, EveryPrivateNetworkStartsWithAnEmptyTimeWaitTable) {
    int ready[2];
    int release[2];
    ASSERT_EQ(pipe(ready), 0);
    ASSERT_EQ(pipe(release), 0);

    // The first network ends a connection with the server closing first, so TIME-WAIT holds
    // the server's port, and stays alive while the second network is examined.
    testing::ForkedChild first([&]() -> std::string {
        close(ready[0]);
        close(release[1]);
        LABNET_ENTER_OR_SKIP(info);
        const int listener = testing::tcpListener(kServerPort);
        const int client = testing::tcpConnect(kServerPort);
        LABNET_REQUIRE(listener >= 0 && client >= 0, std::strerror(errno));
        const int server = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        LABNET_REQUIRE(server >= 0, "accept");
        close(listener);
        close(server);
        char byte;
        LABNET_REQUIRE(recv(client, &byte, 1, 0) == 0, "the client did not see the FIN");
        const uint16_t client_port = testing::localPort(client);
        close(client);
        auto snapshot = snapshotWhen([&](const SocketSnapshot& s) {
            const SocketEntry* e = findTcp(s, kServerPort, client_port);
            return e != nullptr && e->isTimeWait();
        });
        LABNET_REQUIRE(snapshot.ok(), snapshot.error().message);
        const SocketEntry* entry = findTcp(snapshot.value(), kServerPort, client_port);
        LABNET_REQUIRE(entry != nullptr && entry->isTimeWait(),
                       "no TIME-WAIT on the server port:" + describe(snapshot.value()));
        // This is what a restarted server meets without SO_REUSEADDR.
        const int again = testing::tcpListener(kServerPort);
        LABNET_REQUIRE(again < 0 && errno == EADDRINUSE,
                       "TIME-WAIT did not hold the port: " + std::string(std::strerror(errno)));

        [[maybe_unused]] ssize_t n = write(ready[1], "r", 1);
        pollfd wait_for_release{release[0], POLLIN, 0};
        poll(&wait_for_release, 1, 30'000);
        return "";
    });
    close(ready[1]);
    close(release[0]);

    char byte = 0;
    pollfd wait_for_ready{ready[0], POLLIN, 0};
    const bool first_ready = poll(&wait_for_ready, 1, 30'000) == 1 && read(ready[0], &byte, 1) == 1;
    if (first_ready) {
        LABNET_EXPECT_CHILD(runInChild([]() -> std::string {
            LABNET_ENTER_OR_SKIP(info);
            auto snapshot = snapshotSockets();
            LABNET_REQUIRE(snapshot.ok(), snapshot.error().message);
            LABNET_REQUIRE(snapshot.value().sockets.empty(),
                           "a fresh network has sockets:" + describe(snapshot.value()));
            const int listener = testing::tcpListener(kServerPort);
            LABNET_REQUIRE(listener >= 0,
                           std::string("port held in a fresh network: ") + std::strerror(errno));
            close(listener);
            return "";
        }));
    }
    [[maybe_unused]] ssize_t n = write(release[1], "g", 1);
    close(release[1]);
    close(ready[0]);
    const testing::ChildOutcome outcome = first.wait();
    if (outcome.skipped) GTEST_SKIP() << outcome.report;
    EXPECT_TRUE(outcome.ok) << outcome.report;
    EXPECT_TRUE(first_ready) << "the first network never got its TIME-WAIT";
}

}  // namespace
}  // namespace osilab::labnet
