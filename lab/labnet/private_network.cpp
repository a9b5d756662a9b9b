#include "lab/labnet/private_network.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "lab/labnet/network_rights.h"

namespace osilab::labnet {

namespace {

// The steps of entering, in order; a failure names its step.
enum class Step : int {
    Unshare,
    Setgroups,
    UidMap,
    GidMap,
    LoopbackUp,
    LoopbackCheck,
};

const char* stepText(Step step, bool user_namespace) {
    switch (step) {
        case Step::Unshare:
            return user_namespace ? "unshare(CLONE_NEWUSER | CLONE_NEWNET)"
                                  : "unshare(CLONE_NEWNET)";
        case Step::Setgroups: return "writing \"deny\" to /proc/self/setgroups";
        case Step::UidMap: return "writing /proc/self/uid_map";
        case Step::GidMap: return "writing /proc/self/gid_map";
        case Step::LoopbackUp: return "bringing lo up (ioctl SIOCSIFFLAGS)";
        case Step::LoopbackCheck: return "binding a socket to 127.0.0.1 on the new lo";
    }
    return "entering the lab network";
}

struct Failure {
    Step step = Step::Unshare;
    int error_number = 0;
};

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

// Writes the whole text in one write(): the kernel takes a map only in a single write.
bool writeProcFile(const char* path, const std::string& text, int& error_number) {
    Fd fd(::open(path, O_WRONLY | O_CLOEXEC));
    if (fd.get() < 0) {
        error_number = errno;
        return false;
    }
    const ssize_t written = ::write(fd.get(), text.data(), text.size());
    if (written != static_cast<ssize_t>(text.size())) {
        error_number = written < 0 ? errno : EIO;
        return false;
    }
    return true;
}

std::optional<Failure> loopbackUp() {
    Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) return Failure{Step::LoopbackUp, errno};
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(fd.get(), SIOCGIFFLAGS, &request) != 0) return Failure{Step::LoopbackUp, errno};
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
    if (::ioctl(fd.get(), SIOCSIFFLAGS, &request) != 0) return Failure{Step::LoopbackUp, errno};

    // The kernel gives lo 127.0.0.1/8 as it comes up; a bind proves the network is usable.
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        return Failure{Step::LoopbackCheck, errno};
    }
    return std::nullopt;
}

// Best effort, then a second, nested network namespace: Linux 6.1+ can give a network
// namespace its own small TCP/UDP socket tables, sized when it is created from its parent's
// tcp_child_ehash_entries / udp_child_hash_entries. Otherwise every socket-state snapshot walks
// the host's tables (hundreds of thousands of buckets, tens of milliseconds). What the lesson
// sees does not change; only how fast its sockets can be listed.
void useOwnSocketTables() {
    int ignored = 0;
    const bool tcp = writeProcFile("/proc/sys/net/ipv4/tcp_child_ehash_entries", "4096", ignored);
    const bool udp = writeProcFile("/proc/sys/net/ipv4/udp_child_hash_entries", "256", ignored);
    if (tcp || udp) ::unshare(CLONE_NEWNET);  // on failure the first namespace serves as well
}

std::optional<Failure> enterUserNamespace(uint32_t uid, uint32_t gid) {
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) return Failure{Step::Unshare, errno};
    int error_number = 0;
    // Kernels before 3.19 have no setgroups file and need no "deny".
    if (!writeProcFile("/proc/self/setgroups", "deny", error_number) && error_number != ENOENT) {
        return Failure{Step::Setgroups, error_number};
    }
    if (!writeProcFile("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1\n", error_number)) {
        return Failure{Step::UidMap, error_number};
    }
    if (!writeProcFile("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1\n", error_number)) {
        return Failure{Step::GidMap, error_number};
    }
    useOwnSocketTables();
    return loopbackUp();
}

// Tries the unprivileged way in a child: once a process is in a user namespace it cannot go
// back, so a failure halfway must not happen to the caller.
std::optional<Failure> tryUserNamespaceInChild(uint32_t uid, uint32_t gid) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Failure{Step::Unshare, errno};
    const pid_t child = ::fork();
    if (child < 0) {
        const int error_number = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return Failure{Step::Unshare, error_number};
    }
    if (child == 0) {
        ::close(fds[0]);
        const std::optional<Failure> failure = enterUserNamespace(uid, gid);
        int report[2] = {0, 0};
        if (failure) {
            report[0] = static_cast<int>(failure->step) + 1;
            report[1] = failure->error_number;
        }
        const ssize_t ignored = ::write(fds[1], report, sizeof report);
        (void)ignored;
        ::_exit(0);
    }
    ::close(fds[1]);
    int report[2] = {0, 0};
    size_t got = 0;
    while (got < sizeof report) {
        const ssize_t n =
            ::read(fds[0], reinterpret_cast<char*>(report) + got, sizeof report - got);
        if (n > 0) {
            got += static_cast<size_t>(n);
        } else if (n == 0 || errno != EINTR) {
            break;
        }
    }
    ::close(fds[0]);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (got != sizeof report) return Failure{Step::Unshare, ECHILD};
    if (report[0] == 0) return std::nullopt;
    return Failure{static_cast<Step>(report[0] - 1), report[1]};
}

Error refusal(const Failure& failure, bool user_namespace) {
    return Error{explainUserNamespaceRefusal(stepText(failure.step, user_namespace),
                                             failure.error_number, UserNamespacePolicy::read())};
}

}  // namespace

const char* networkKindName(NetworkKind kind) {
    return kind == NetworkKind::Private ? "private" : "host";
}

const char* privilegeName(Privilege privilege) {
    switch (privilege) {
        case Privilege::Root: return "root";
        case Privilege::UserNamespace: return "user namespace";
        case Privilege::Capabilities: return "capabilities";
    }
    return "?";
}

std::string NetworkInfo::describe() const {
    if (kind == NetworkKind::Host) {
        return privilege == Privilege::Root
                   ? "host network (root: the host's lo, shared with every other program)"
                   : "host network (capture capabilities: the host's lo, shared with every "
                     "other program)";
    }
    if (privilege == Privilege::Root) return "private lab network (root; only lo, up)";
    return "private lab network (user namespace: uid " + std::to_string(host_uid) +
           " is root inside; only lo, up)";
}

int currentThreadCount() {
    std::FILE* file = std::fopen("/proc/self/status", "re");
    if (file == nullptr) return 0;
    char line[256];
    int threads = 0;
    while (std::fgets(line, sizeof line, file) != nullptr) {
        if (std::sscanf(line, "Threads: %d", &threads) == 1) break;
    }
    std::fclose(file);
    return threads;
}

Result<NetworkInfo> enterPrivateNetwork() {
    const int threads = currentThreadCount();
    if (threads > 1) {
        return Error{"Cannot create the private lab network: this process already runs " +
                     std::to_string(threads) +
                     " threads, and the kernel gives a new user namespace only to a "
                     "single-threaded process (a network namespace would move only the calling "
                     "thread). Enter the lab network first thing in main(), before any thread "
                     "starts, or run the lesson in a process of its own "
                     "(osilab run LESSON --stream)."};
    }

    NetworkInfo info;
    info.kind = NetworkKind::Private;
    info.host_uid = ::geteuid();
    info.host_gid = ::getegid();

    if (info.host_uid == 0) {
        if (::unshare(CLONE_NEWNET) == 0) {
            useOwnSocketTables();
            if (std::optional<Failure> failure = loopbackUp()) return refusal(*failure, false);
            info.privilege = Privilege::Root;
            return info;
        }
        // Root without CAP_SYS_ADMIN (a container) may still own a user namespace.
        if (errno != EPERM) return refusal(Failure{Step::Unshare, errno}, false);
    }

    if (std::optional<Failure> failure = tryUserNamespaceInChild(info.host_uid, info.host_gid)) {
        return refusal(*failure, true);
    }
    if (std::optional<Failure> failure = enterUserNamespace(info.host_uid, info.host_gid)) {
        // The child succeeded, so this is rare; the process may be half inside now.
        Error error = refusal(*failure, true);
        error.message += " This process may have lost the host network: start it again.";
        return error;
    }
    info.privilege = Privilege::UserNamespace;
    return info;
}

Result<NetworkInfo> useHostNetwork() {
    NetworkInfo info;
    info.kind = NetworkKind::Host;
    info.host_uid = ::geteuid();
    info.host_gid = ::getegid();
    info.privilege = info.host_uid == 0 ? Privilege::Root : Privilege::Capabilities;

    if (!hasCaptureCapabilities()) {
        return Error{
            "Cannot capture on the host's loopback (--net host): that needs root or the "
            "capabilities CAP_NET_RAW and CAP_NET_ADMIN, and this process (uid " +
            std::to_string(info.host_uid) + ") has neither. To fix it, " + captureRightsHint() +
            ". Without --net host, the private lab network needs no rights at all."};
    }
    // The capabilities can be there and a security module still say no: ask the kernel.
    const int probe = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (probe < 0) {
        const int error_number = errno;
        return Error{std::string("Cannot capture on the host's loopback (--net host): the kernel "
                                 "refuses a packet socket (") +
                     std::strerror(error_number) +
                     ") although this process has the capture capabilities; a security module "
                     "(AppArmor, SELinux) or a container may forbid it. Use the private lab "
                     "network instead (the default), or replay the lesson's recorded capture."};
    }
    ::close(probe);

    Fd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ifreq request{};
    std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
    if (fd.get() < 0 || ::ioctl(fd.get(), SIOCGIFFLAGS, &request) != 0) {
        return Error{std::string("The host has no usable loopback interface lo (") +
                     std::strerror(errno) + ")."};
    }
    if ((request.ifr_flags & IFF_UP) == 0) {
        return Error{
            "The host's loopback interface lo is down; bring it up with "
            "`sudo ip link set lo up`, or use the private lab network (the default)."};
    }
    return info;
}

bool isLoopbackAddress(const std::string& host) {
    if (host.find('\0') != std::string::npos) return false;  // c_str() would stop early
    // inet_pton accepts exactly four decimal parts without leading zeros: no "127.1", no hex.
    in_addr v4{};
    if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    in6_addr v6{};
    if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
        return std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
    }
    return false;
}

}  // namespace osilab::labnet
