#include "lab/lesson/socket_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>

namespace osilab::lesson {

SockAddr toSockAddr(const Address& address, std::string_view unix_dir) {
    SockAddr out;
    switch (address.family) {
        case Family::Inet: {
            auto* in = reinterpret_cast<sockaddr_in*>(&out.storage);
            in->sin_family = AF_INET;
            in->sin_port = htons(address.port);
            std::memcpy(&in->sin_addr, address.ip.data(), 4);
            out.length = sizeof(sockaddr_in);
            break;
        }
        case Family::Inet6: {
            auto* in6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
            in6->sin6_family = AF_INET6;
            in6->sin6_port = htons(address.port);
            std::memcpy(&in6->sin6_addr, address.ip.data(), 16);
            out.length = sizeof(sockaddr_in6);
            break;
        }
        case Family::Unix: {
            auto* un = reinterpret_cast<sockaddr_un*>(&out.storage);
            un->sun_family = AF_UNIX;
            std::string path(unix_dir);
            if (!path.empty() && path.back() != '/') path += '/';
            path += address.path;
            if (path.size() >= sizeof(un->sun_path)) return SockAddr{};
            std::memcpy(un->sun_path, path.c_str(), path.size() + 1);
            out.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
            break;
        }
    }
    return out;
}

std::string formatSockAddr(const sockaddr* address, socklen_t length, std::string_view unix_dir) {
    char host[INET6_ADDRSTRLEN] = {};
    if (address == nullptr || length < sizeof(sa_family_t)) return "";
    switch (address->sa_family) {
        case AF_INET: {
            if (length < sizeof(sockaddr_in)) return "";
            const auto* in = reinterpret_cast<const sockaddr_in*>(address);
            inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
            return std::string(host) + ":" + std::to_string(ntohs(in->sin_port));
        }
        case AF_INET6: {
            if (length < sizeof(sockaddr_in6)) return "";
            const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
            inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
            std::string text = "[";  // in steps: GCC 12 warns falsely on "[" + std::string
            text += host;
            text += "]:";
            text += std::to_string(ntohs(in6->sin6_port));
            return text;
        }
        case AF_UNIX: {
            const auto* un = reinterpret_cast<const sockaddr_un*>(address);
            const size_t max = length - offsetof(sockaddr_un, sun_path);
            if (length <= offsetof(sockaddr_un, sun_path) || un->sun_path[0] == '\0') return "";
            std::string path(un->sun_path, strnlen(un->sun_path, max));
            std::string prefix(unix_dir);
            if (!prefix.empty() && prefix.back() != '/') prefix += '/';
            if (!prefix.empty() && path.rfind(prefix, 0) == 0) path.erase(0, prefix.size());
            return path;
        }
        default: return "";
    }
}

}  // namespace osilab::lesson
