// Addresses a lesson may name, the words used to refuse the others, and the sockaddr round trip.
#include "lab/lesson/address.h"

#include <gtest/gtest.h>

#include "lab/lesson/socket_address.h"
#include "lab/lesson/suggest.h"

namespace osilab::lesson {
namespace {

std::string problem(std::string_view text) {
    auto parsed = parseAddress(text);
    return parsed.ok() ? "(accepted)" : parsed.error().message;
}

TEST(Address, LoopbackForms) {
    auto v4 = parseAddress("127.0.0.1:8898");
    ASSERT_TRUE(v4.ok());
    EXPECT_EQ(v4.value().family, Family::Inet);
    EXPECT_EQ(v4.value().port, 8898);
    EXPECT_EQ(v4.value().ip[0], 127);
    EXPECT_EQ(v4.value().ip[3], 1);
    EXPECT_EQ(hostText(v4.value()), "127.0.0.1");

    auto other = parseAddress("127.42.0.7:1");  // all of 127.0.0.0/8 is loopback
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(hostText(other.value()), "127.42.0.7");

    auto v6 = parseAddress("[::1]:65535");
    ASSERT_TRUE(v6.ok());
    EXPECT_EQ(v6.value().family, Family::Inet6);
    EXPECT_EQ(v6.value().port, 65535);
    EXPECT_EQ(hostText(v6.value()), "::1");
    EXPECT_TRUE(parseAddress("[0:0:0:0:0:0:0:1]:80").ok());

    auto unix_name = parseAddress("osilab-demo.sock");
    ASSERT_TRUE(unix_name.ok());
    EXPECT_EQ(unix_name.value().family, Family::Unix);
    EXPECT_EQ(unix_name.value().path, "osilab-demo.sock");
}

TEST(Address, RefusedWithTheReason) {
    EXPECT_EQ(problem("127.0.0.1:70000"), "port 70000 is out of range (1-65535)");
    EXPECT_EQ(problem("127.0.0.1:0"), "port 0 is out of range (1-65535)");
    EXPECT_EQ(problem("127.0.0.1:99999999"), "port 99999999 is out of range (1-65535)");
    EXPECT_EQ(problem("127.0.0.1:http"), "port 'http' is not a number");
    EXPECT_EQ(problem("127.0.0.1"), "'127.0.0.1' has no port: write it as 127.0.0.1:8898");
    EXPECT_EQ(problem("127.0.0.1:"), "'127.0.0.1:' has no port after the ':'");
    EXPECT_NE(problem("10.0.0.1:80")
                  .find("10.0.0.1 is not a loopback address: lessons only talk "
                        "on loopback (127.0.0.0/8 or ::1)"),
              std::string::npos);
    EXPECT_NE(problem("8.8.8.8:53").find("not a loopback address"), std::string::npos);
    EXPECT_NE(problem("0.0.0.0:80").find("0.0.0.0 (any address)"), std::string::npos);
    EXPECT_NE(problem("localhost:80").find("host names are not looked up"), std::string::npos);
    EXPECT_NE(problem("127.1:80").find("not an IPv4 address in dotted decimal"), std::string::npos);
    EXPECT_NE(problem("127.0.0.256:80").find("not an IPv4 address"), std::string::npos);
    EXPECT_NE(problem("[::2]:80").find("::2 is not a loopback address"), std::string::npos);
    EXPECT_NE(problem("[::]:80").find(":: (any address)"), std::string::npos);
    EXPECT_NE(problem("[::ffff:127.0.0.1]:80").find("not a loopback address"), std::string::npos);
    EXPECT_NE(problem("[fe80::1]:80").find("not a loopback address"), std::string::npos);
    EXPECT_NE(problem("[::1]").find("has no port"), std::string::npos);
    EXPECT_NE(problem("[::1:80").find("without closing it"), std::string::npos);
    EXPECT_NE(problem("::1:80").find("without brackets"), std::string::npos);
    EXPECT_NE(problem("[zz]:80").find("'zz' is not an IPv6 address"), std::string::npos);
    EXPECT_NE(problem("/tmp/demo.sock").find("it has a '/'"), std::string::npos);
    EXPECT_NE(problem("..").find("is not a file name"), std::string::npos);
    EXPECT_NE(problem(std::string(65, 'a')).find("longer than 64"), std::string::npos);
    EXPECT_EQ(problem(""), "the address is empty");
}

TEST(SocketAddress, RoundTrip) {
    for (const char* text : {"127.0.0.1:8898", "[::1]:9000"}) {
        const Address address = parseAddress(text).value();
        const SockAddr sa = toSockAddr(address, "");
        ASSERT_GT(sa.length, 0u);
        EXPECT_EQ(formatSockAddr(sa.get(), sa.length, ""), text);
    }
    const Address unix_name = parseAddress("demo.sock").value();
    const SockAddr sa = toSockAddr(unix_name, "/tmp/osilab-run-1");
    ASSERT_GT(sa.length, 0u);
    EXPECT_EQ(formatSockAddr(sa.get(), sa.length, "/tmp/osilab-run-1"), "demo.sock");
    EXPECT_EQ(formatSockAddr(sa.get(), sa.length, "/elsewhere"), "/tmp/osilab-run-1/demo.sock");
    // sun_path holds 108 bytes: a run directory too deep is reported, not truncated.
    EXPECT_EQ(toSockAddr(unix_name, "/" + std::string(120, 'd')).length, 0u);
}

TEST(Suggest, CloseNamesOnly) {
    const std::vector<std::string_view> keys = {"sock", "addr", "backlog", "bufsize"};
    EXPECT_EQ(closestName("adr", keys), "addr");
    EXPECT_EQ(closestName("address", keys), "addr");     // the longer word a teacher might write
    EXPECT_EQ(closestName("bakclog", keys), "backlog");  // swapped letters
    EXPECT_EQ(closestName("socket", keys), "sock");
    EXPECT_EQ(closestName("zzz", keys), "");
    EXPECT_EQ(closestName("time_wait", {"TIME-WAIT", "LISTEN"}), "TIME-WAIT");
    EXPECT_EQ(didYouMean("lisen", {"listen", "accept"}), " (did you mean 'listen'?)");
    EXPECT_EQ(didYouMean("hello", {"listen", "accept"}), "");
}

}  // namespace
}  // namespace osilab::lesson
