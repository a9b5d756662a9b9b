#include "lab/lesson/address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace osilab::lesson {
namespace {

// 'text', built step by step: GCC 12 warns falsely (-Wrestrict) on "'" + std::string(...).
std::string quoted(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '\'';
    out += text;
    out += '\'';
    return out;
}

constexpr std::string_view kLoopbackOnly =
    "lessons only talk on loopback (127.0.0.0/8 or ::1), so no packet ever leaves this machine";

Result<uint16_t> parsePort(std::string_view text, std::string_view whole) {
    if (text.empty()) {
        return Error{quoted(whole) + " has no port after the ':'"};
    }
    for (char c : text) {
        if (c < '0' || c > '9') {
            return Error{"port '" + std::string(text) + "' is not a number"};
        }
    }
    if (text.size() > 6) return Error{"port " + std::string(text) + " is out of range (1-65535)"};
    unsigned value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    if (value < 1 || value > 65535) {
        return Error{"port " + std::to_string(value) + " is out of range (1-65535)"};
    }
    return static_cast<uint16_t>(value);
}

// Strict dotted decimal: four numbers 0-255, nothing else (no "127.1", no host names).
bool parseIpv4(std::string_view text, std::array<uint8_t, 16>& out) {
    int part = 0;
    size_t i = 0;
    while (part < 4) {
        size_t start = i;
        unsigned value = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3) {
            value = value * 10 + static_cast<unsigned>(text[i] - '0');
            ++i;
        }
        if (i == start || value > 255) return false;
        out[part++] = static_cast<uint8_t>(value);
        if (part < 4) {
            if (i >= text.size() || text[i] != '.') return false;
            ++i;
        }
    }
    return i == text.size();
}

bool isUnixNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

Result<Address> parseUnix(std::string_view text) {
    Address address;
    address.family = Family::Unix;
    address.text = std::string(text);
    if (text.size() > 64) {
        return Error{"the AF_UNIX file name '" + std::string(text) +
                     "' is longer than 64 characters"};
    }
    for (char c : text) {
        if (!isUnixNameChar(c)) {
            std::string what = c == '/' ? "a '/'" : "the character '" + std::string(1, c) + "'";
            return Error{quoted(text) +
                         " is neither 127.x.x.x:port, [::1]:port nor a "
                         "plain AF_UNIX file name (letters, digits, '.', '_', '-'): it has " +
                         what + "; AF_UNIX files are made in the run's own directory"};
        }
    }
    if (text == "." || text == "..") {
        return Error{quoted(text) + " is not a file name"};
    }
    address.path = std::string(text);
    return address;
}

}  // namespace

Result<Address> parseAddress(std::string_view text) {
    if (text.empty()) return Error{"the address is empty"};
    Address address;
    address.text = std::string(text);
    if (text.front() == '[') {
        const size_t close = text.find(']');
        if (close == std::string_view::npos) {
            return Error{quoted(text) + " opens '[' without closing it: write [::1]:8898"};
        }
        const std::string host(text.substr(1, close - 1));
        std::string_view rest = text.substr(close + 1);
        if (rest.empty() || rest.front() != ':') {
            return Error{quoted(text) + " has no port: write it as [" + host + "]:8898"};
        }
        auto port = parsePort(rest.substr(1), text);
        if (!port) return port.error();
        in6_addr in6{};
        if (inet_pton(AF_INET6, host.c_str(), &in6) != 1) {
            return Error{"'" + host + "' is not an IPv6 address"};
        }
        if (IN6_IS_ADDR_UNSPECIFIED(&in6)) {
            return Error{
                ":: (any address) would also accept connections from other machines "
                "with --net host; " +
                std::string(kLoopbackOnly) + ": use [::1]"};
        }
        if (!IN6_IS_ADDR_LOOPBACK(&in6)) {
            return Error{host + " is not a loopback address: " + std::string(kLoopbackOnly)};
        }
        address.family = Family::Inet6;
        std::memcpy(address.ip.data(), &in6, 16);
        address.port = port.value();
        return address;
    }
    const size_t colon = text.rfind(':');
    const bool looks_ipv4 = !text.empty() && text.front() >= '0' && text.front() <= '9' &&
                            text.find('.') != std::string_view::npos;
    if (colon == std::string_view::npos) {
        if (looks_ipv4 && parseIpv4(text, address.ip)) {
            return Error{quoted(text) + " has no port: write it as " + std::string(text) + ":8898"};
        }
        return parseUnix(text);
    }
    if (text.find(':') != colon) {
        return Error{quoted(text) +
                     " looks like an IPv6 address without brackets: "
                     "write it as [::1]:8898"};
    }
    const std::string_view host = text.substr(0, colon);
    auto port = parsePort(text.substr(colon + 1), text);
    if (!parseIpv4(host, address.ip)) {
        return Error{quoted(host) +
                     " is not an IPv4 address in dotted decimal (host "
                     "names are not looked up): write 127.0.0.1"};
    }
    if (!port) return port.error();
    if (address.ip[0] == 0 && address.ip[1] == 0 && address.ip[2] == 0 && address.ip[3] == 0) {
        return Error{
            "0.0.0.0 (any address) would also accept connections from other machines "
            "with --net host; " +
            std::string(kLoopbackOnly) + ": use 127.0.0.1"};
    }
    if (address.ip[0] != 127) {
        return Error{std::string(host) +
                     " is not a loopback address: " + std::string(kLoopbackOnly)};
    }
    address.family = Family::Inet;
    address.port = port.value();
    return address;
}

std::string hostText(const Address& address) {
    char buffer[INET6_ADDRSTRLEN] = {};
    switch (address.family) {
        case Family::Inet: inet_ntop(AF_INET, address.ip.data(), buffer, sizeof buffer); break;
        case Family::Inet6: inet_ntop(AF_INET6, address.ip.data(), buffer, sizeof buffer); break;
        case Family::Unix: return address.path;
    }
    return buffer;
}

std::string_view familyName(Family family) {
    switch (family) {
        case Family::Inet: return "inet";
        case Family::Inet6: return "inet6";
        case Family::Unix: return "unix";
    }
    return "?";
}

std::string_view familyConstant(Family family) {
    switch (family) {
        case Family::Inet: return "AF_INET";
        case Family::Inet6: return "AF_INET6";
        case Family::Unix: return "AF_UNIX";
    }
    return "?";
}

}  // namespace osilab::lesson
