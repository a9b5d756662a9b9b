#include "lab/labnet/network_rights.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace osilab::labnet {

namespace {

std::optional<long> readSysctl(const char* path) {
    std::FILE* file = std::fopen(path, "re");
    if (file == nullptr) return std::nullopt;
    char text[64] = {};
    const bool got = std::fgets(text, sizeof text, file) != nullptr;
    std::fclose(file);
    if (!got) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const long value = std::strtol(text, &end, 10);
    if (errno != 0 || end == text) return std::nullopt;
    return value;
}

std::string errnoText(int error_number) {
    // strerrorname_np is glibc 2.32+; the names students search for are few.
    const char* name = nullptr;
    switch (error_number) {
        case EPERM: name = "EPERM"; break;
        case EACCES: name = "EACCES"; break;
        case ENOSPC: name = "ENOSPC"; break;
        case EUSERS: name = "EUSERS"; break;
        case EINVAL: name = "EINVAL"; break;
        case ENOMEM: name = "ENOMEM"; break;
        case ENOSYS: name = "ENOSYS"; break;
        default: break;
    }
    std::string text = name != nullptr ? std::string(name) + ", " : std::string();
    return text + std::strerror(error_number);
}

}  // namespace

UserNamespacePolicy UserNamespacePolicy::read() {
    UserNamespacePolicy policy;
    policy.unprivileged_userns_clone = readSysctl("/proc/sys/kernel/unprivileged_userns_clone");
    policy.max_user_namespaces = readSysctl("/proc/sys/user/max_user_namespaces");
    policy.apparmor_restrict = readSysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
    return policy;
}

std::string alternativesToPrivateNetwork() {
    return "Other ways to run the lesson: run it as root (sudo osilab run LESSON); use the host's "
           "loopback instead with --net host, which needs capture rights (" +
           captureRightsHint() +
           "); or replay the lesson's recorded capture, which needs no rights at all "
           "(osilab show captures/LESSON.pcapng).";
}

std::string captureRightsHint() {
    return "run as root, or give the program the capture capabilities once with "
           "`sudo setcap cap_net_raw,cap_net_admin=eip $(which osilab)`";
}

std::string explainUserNamespaceRefusal(const std::string& step, int error_number,
                                        const UserNamespacePolicy& policy) {
    std::string message = "Cannot create the private lab network: " + step + " failed (" +
                          errnoText(error_number) + "). ";

    // Most specific first: each of these settings alone is enough to refuse.
    std::string reason;
    if (policy.unprivileged_userns_clone && *policy.unprivileged_userns_clone == 0) {
        reason +=
            "The kernel setting kernel.unprivileged_userns_clone is 0, so only root may "
            "create user namespaces. To allow them: "
            "`sudo sysctl -w kernel.unprivileged_userns_clone=1` (to keep it after a "
            "reboot, put kernel.unprivileged_userns_clone=1 in "
            "/etc/sysctl.d/60-osilab.conf). ";
    }
    if (policy.max_user_namespaces && *policy.max_user_namespaces == 0) {
        reason +=
            "The kernel setting user.max_user_namespaces is 0, so no user namespace may be "
            "created. To allow them: `sudo sysctl -w user.max_user_namespaces=15000` (to "
            "keep it, put user.max_user_namespaces=15000 in /etc/sysctl.d/60-osilab.conf). ";
    } else if (policy.max_user_namespaces && (error_number == ENOSPC || error_number == EUSERS)) {
        reason += "The limit user.max_user_namespaces (" +
                  std::to_string(*policy.max_user_namespaces) +
                  ") is reached, or namespaces are nested too deeply. Close other lab runs or "
                  "containers, or raise it: `sudo sysctl -w user.max_user_namespaces=15000`. ";
    }
    if (policy.apparmor_restrict && *policy.apparmor_restrict != 0) {
        reason +=
            "AppArmor restricts unprivileged user namespaces "
            "(kernel.apparmor_restrict_unprivileged_userns = 1, the default on Ubuntu "
            "23.10 and later): the namespace is created but gets no rights in it. To allow "
            "them: `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or "
            "install an AppArmor profile for osilab that allows `userns,`. ";
    }
    if (error_number == EINVAL && reason.empty()) {
        reason +=
            "The kernel refuses a user namespace to a process that already runs several "
            "threads; the lab network must be entered before any thread starts. ";
    }
    if (error_number == ENOSYS) {
        reason += "This kernel was built without namespaces (CONFIG_USER_NS / CONFIG_NET_NS). ";
    }
    if (reason.empty()) {
        reason +=
            "No kernel setting that this program knows forbids it, so something else "
            "refuses: a container's seccomp profile (Docker and Podman block unshare() "
            "unless the container runs with --privileged or "
            "--security-opt seccomp=unconfined), a chroot, or a security module. ";
    }
    return message + reason + alternativesToPrivateNetwork();
}

bool hasCaptureCapabilities() {
    __user_cap_header_struct header{};
    header.version = _LINUX_CAPABILITY_VERSION_3;
    header.pid = 0;
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    if (syscall(SYS_capget, &header, data) != 0) return false;
    auto has = [&](int capability) {
        return (data[capability / 32].effective & (1u << (capability % 32))) != 0;
    };
    return has(CAP_NET_RAW) && has(CAP_NET_ADMIN);
}

}  // namespace osilab::labnet
