#include "lab/labnet/private_network.h"

#include <gtest/gtest.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <thread>

#include "lab/labnet/network_rights.h"
#include "lab/labnet/socket_states.h"
#include "lab/labnet/tests/forked_child.h"
#include "lab/labnet/tests/loopback_support.h"

namespace osilab::labnet {
namespace {

using testing::runInChild;

uint64_t networkNamespaceInode() {
    struct stat status {};
    if (stat("/proc/self/ns/net", &status) != 0) return 0;
    return status.st_ino;
}

TEST(LoopbackAddress, AcceptsOnlyLiteralLoopbackAddresses) {
    for (const char* address :
         {"127.0.0.1", "127.1.2.3", "127.255.255.255", "127.0.0.0", "::1", "0:0:0:0:0:0:0:1"}) {
        EXPECT_TRUE(isLoopbackAddress(address)) << address;
    }
}

TEST(LoopbackAddress, RefusesEverythingElse) {
    for (const char* address : {"10.0.0.1",
                                "0.0.0.0",
                                "::",
                                "192.168.1.1",
                                "128.0.0.1",
                                "126.255.255.255",
                                "8.8.8.8",
                                "localhost",
                                "LOCALHOST",
                                "localhost.",
                                "127.0.0.1.nip.io",
                                "127.0.0.1 ",
                                " 127.0.0.1",
                                "127.1",
                                "127.0.1",
                                "0x7f000001",
                                "2130706433",
                                "0177.0.0.1",
                                "127.000.000.001",
                                "127.0.0.01",
                                "127.0.0.1:80",
                                "[::1]",
                                "::1%lo",
                                "::ffff:127.0.0.1",
                                "::2",
                                "fe80::1",
                                "127.0.0.256",
                                "",
                                "1.127.0.0"}) {
        EXPECT_FALSE(isLoopbackAddress(address)) << "'" << address << "'";
    }
    EXPECT_FALSE(isLoopbackAddress(std::string("127.0.0.1\0.evil", 15)));
}

TEST(PrivateNetwork, EntersAnEmptyNetworkWithOnlyLoUp) {
    const bool was_root = geteuid() == 0;
    const uint64_t host_namespace = networkNamespaceInode();
    LABNET_EXPECT_CHILD(runInChild([&]() -> std::string {
        LABNET_ENTER_OR_SKIP(info);
        LABNET_REQUIRE(info.kind == NetworkKind::Private, "not a private network");
        LABNET_REQUIRE(info.isPrivate(), "isPrivate() is false");
        LABNET_REQUIRE(info.privilege == (was_root ? Privilege::Root : Privilege::UserNamespace),
                       std::string("unexpected privilege ") + privilegeName(info.privilege));
        LABNET_REQUIRE(networkNamespaceInode() != host_namespace, "still in the host namespace");
        LABNET_REQUIRE(info.describe().find("private lab network") != std::string::npos,
                       info.describe());

        struct if_nameindex* interfaces = if_nameindex();
        LABNET_REQUIRE(interfaces != nullptr, "if_nameindex failed");
        std::string names;
        for (struct if_nameindex* i = interfaces; i->if_index != 0; ++i) {
            names += std::string(names.empty() ? "" : " ") + i->if_name;
        }
        if_freenameindex(interfaces);
        LABNET_REQUIRE(names == "lo", "interfaces: " + names);

        const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ifreq request{};
        std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
        const bool got_flags = ioctl(fd, SIOCGIFFLAGS, &request) == 0;
        close(fd);
        LABNET_REQUIRE(got_flags, "SIOCGIFFLAGS failed");
        LABNET_REQUIRE((request.ifr_flags & IFF_UP) != 0, "lo is not up");
        LABNET_REQUIRE((request.ifr_flags & IFF_RUNNING) != 0, "lo is not running");

        auto snapshot = snapshotSockets();
        LABNET_REQUIRE(snapshot.ok(), snapshot.error().message);
        LABNET_REQUIRE(
            snapshot.value().sockets.empty(),
            std::to_string(snapshot.value().sockets.size()) + " sockets in a new network");

        // Root inside owns this network: even a port below 1024 is the lesson's to take.
        const int web = testing::tcpListener(80);
        LABNET_REQUIRE(web >= 0,
                       std::string("cannot listen on 127.0.0.1:80: ") + std::strerror(errno));
        close(web);
        return "";
    }));
}

TEST(PrivateNetwork, HostSocketsAreInvisibleAndPortsDoNotClash) {
    // A listener on the host's loopback; it is inherited by the child but stays in the host's
    // network.
    const int host_listener = testing::tcpListener(0);
    ASSERT_GE(host_listener, 0) << std::strerror(errno);
    const uint16_t port = testing::localPort(host_listener);
    LABNET_EXPECT_CHILD(runInChild([&]() -> std::string {
        LABNET_ENTER_OR_SKIP(info);
        auto before = snapshotSockets();
        LABNET_REQUIRE(before.ok(), before.error().message);
        LABNET_REQUIRE(before.value().sockets.empty(), "the host's sockets are visible");

        const int mine = testing::tcpListener(port);
        LABNET_REQUIRE(mine >= 0, "port " + std::to_string(port) +
                                      " clashes with the host: " + std::strerror(errno));
        auto after = snapshotSockets();
        LABNET_REQUIRE(after.ok(), after.error().message);
        LABNET_REQUIRE(after.value().sockets.size() == 1,
                       std::to_string(after.value().sockets.size()) + " sockets");
        const SocketEntry& entry = after.value().sockets.front();
        LABNET_REQUIRE(entry.state == TcpState::Listen && entry.local_port == port,
                       std::string(entry.stateName()) + " on " + std::to_string(entry.local_port));
        close(mine);
        return "";
    }));
    close(host_listener);
}

TEST(PrivateNetwork, RefusesAMultithreadedProcessAndChangesNothing) {
    LABNET_EXPECT_CHILD(runInChild([]() -> std::string {
        const uint64_t before = networkNamespaceInode();
        int release[2];
        LABNET_REQUIRE(pipe(release) == 0, "pipe failed");
        std::thread waiter([&] {
            char byte;
            [[maybe_unused]] ssize_t n = read(release[0], &byte, 1);
        });
        const int threads = currentThreadCount();
        auto entered = enterPrivateNetwork();
        [[maybe_unused]] ssize_t n = write(release[1], "x", 1);
        waiter.join();
        close(release[0]);
        close(release[1]);

        LABNET_REQUIRE(threads == 2, "thread count " + std::to_string(threads));
        LABNET_REQUIRE(!entered.ok(), "a multithreaded process entered the lab network");
        const std::string& message = entered.error().message;
        LABNET_REQUIRE(message.find("2 threads") != std::string::npos, message);
        LABNET_REQUIRE(message.find("single-threaded") != std::string::npos, message);
        LABNET_REQUIRE(networkNamespaceInode() == before, "the namespace changed");
        return "";
    }));
}

TEST(PrivateNetwork, CountsThreads) {
    EXPECT_EQ(currentThreadCount(), 1);  // gtest starts no thread
    int release[2];
    ASSERT_EQ(pipe(release), 0);
    std::thread waiter([&] {
        char byte;
        [[maybe_unused]] ssize_t n = read(release[0], &byte, 1);
    });
    EXPECT_EQ(currentThreadCount(), 2);
    [[maybe_unused]] ssize_t n = write(release[1], "x", 1);
    waiter.join();
    close(release[0]);
    close(release[1]);
}

TEST(HostNetwork, NeedsCaptureRightsAndSaysHowToGetThem) {
    auto host = useHostNetwork();
    if (hasCaptureCapabilities()) {
        ASSERT_TRUE(host.ok()) << host.error().message;
        EXPECT_EQ(host.value().kind, NetworkKind::Host);
        EXPECT_FALSE(host.value().isPrivate());
        EXPECT_EQ(host.value().privilege,
                  geteuid() == 0 ? Privilege::Root : Privilege::Capabilities);
        EXPECT_NE(host.value().describe().find("host network"), std::string::npos);
    } else {
        ASSERT_FALSE(host.ok());
        const std::string& message = host.error().message;
        EXPECT_NE(message.find("sudo setcap cap_net_raw,cap_net_admin=eip $(which osilab)"),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("root"), std::string::npos) << message;
        EXPECT_NE(message.find("private lab network"), std::string::npos) << message;
    }
}

TEST(NetworkInfo, NamesItsParts) {
    EXPECT_STREQ(networkKindName(NetworkKind::Private), "private");
    EXPECT_STREQ(networkKindName(NetworkKind::Host), "host");
    EXPECT_STREQ(privilegeName(Privilege::Root), "root");
    EXPECT_STREQ(privilegeName(Privilege::UserNamespace), "user namespace");
    EXPECT_STREQ(privilegeName(Privilege::Capabilities), "capabilities");
    NetworkInfo info;
    info.host_uid = 1000;
    EXPECT_EQ(info.describe(),
              "private lab network (user namespace: uid 1000 is root inside; only lo, up)");
}

}  // namespace
}  // namespace osilab::labnet
