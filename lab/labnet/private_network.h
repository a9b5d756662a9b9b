// The private lab network: the current process gets a network namespace of its own with only
// `lo`, up. Other programs' traffic never appears in it, ports never clash with the host's, and
// every run starts with an empty TIME-WAIT table, so a lesson behaves the same every time.
// Without root a user namespace maps the caller's uid to root inside, which is what lets libpcap
// capture on that `lo`. The host mode uses the host's loopback instead (needs capture rights).
#pragma once

#include <cstdint>
#include <string>

#include "lab/common/result.h"

namespace osilab::labnet {

enum class NetworkKind {
    Private,  // a network namespace of our own: only lo
    Host,     // the host's network: the host's lo, shared with every other program
};

enum class Privilege {
    Root,           // the process was root: a plain network namespace, or the host as root
    UserNamespace,  // an unprivileged user: user namespace + network namespace, root inside
    Capabilities,   // the host network, with CAP_NET_RAW and CAP_NET_ADMIN but not root
};

struct NetworkInfo {
    NetworkKind kind = NetworkKind::Private;
    Privilege privilege = Privilege::UserNamespace;
    uint32_t host_uid = 0;  // who the process is outside, on the host
    uint32_t host_gid = 0;

    bool isPrivate() const { return kind == NetworkKind::Private; }
    // One line for the student, e.g. "private lab network (user namespace: uid 1000 is root
    // inside; only lo, up)".
    std::string describe() const;
};

const char* networkKindName(NetworkKind kind);   // "private" or "host"
const char* privilegeName(Privilege privilege);  // "root", "user namespace", "capabilities"

// Moves the current process into a new, empty network with `lo` up. The process must still be
// single-threaded (the kernel refuses a user namespace to a multithreaded process, and a network
// namespace would only move the calling thread), so call it first thing in main(), before any
// thread starts; the error names the thread count otherwise.
// As root: unshare(CLONE_NEWNET). Otherwise: unshare(CLONE_NEWUSER | CLONE_NEWNET), setgroups
// "deny", the caller's uid and gid mapped to 0 inside. The unprivileged way is first tried in a
// short-lived child, so on failure this process is unchanged (still on the host's network) and
// can fall back to the host mode or to a recorded capture; the error says which setting refuses
// (kernel.unprivileged_userns_clone, user.max_user_namespaces,
// kernel.apparmor_restrict_unprivileged_userns), the command that allows it, and the
// alternatives.
Result<NetworkInfo> enterPrivateNetwork();

// Stays on the host's network and checks that this process may capture on the host's `lo`
// (root, or CAP_NET_RAW + CAP_NET_ADMIN); the error says how to get the rights. Changes nothing.
Result<NetworkInfo> useHostNetwork();

// True only for a literal IPv4 address in 127.0.0.0/8 (dotted decimal, as inet_pton reads it)
// or the IPv6 loopback ::1 (without brackets). Names such as "localhost", short or hex forms
// ("127.1", "0x7f000001"), 0.0.0.0, ::, and IPv4-mapped ::ffff:127.0.0.1 are refused: a lesson
// names exact loopback addresses so that no packet can ever leave the machine.
bool isLoopbackAddress(const std::string& host);

// The number of threads of the current process (from /proc/self/status), 0 if unknown.
int currentThreadCount();

}  // namespace osilab::labnet
