// Why the kernel refuses a lab network or a capture, and what the student can do about it.
// The words live here so that the private network, the host mode and the live capture all give
// the same advice.
#pragma once

#include <optional>
#include <string>

namespace osilab::labnet {

// The settings that can forbid unprivileged user namespaces. A value is empty when the setting
// does not exist on this kernel (each distribution has its own).
struct UserNamespacePolicy {
    std::optional<long> unprivileged_userns_clone;  // kernel.unprivileged_userns_clone (Debian)
    std::optional<long> max_user_namespaces;        // user.max_user_namespaces
    std::optional<long> apparmor_restrict;  // kernel.apparmor_restrict_unprivileged_userns (Ubuntu)

    // Reads the three settings from /proc/sys.
    static UserNamespacePolicy read();
};

// The whole message for a refused user namespace: which step failed (e.g.
// "unshare(CLONE_NEWUSER | CLONE_NEWNET)") with which errno, the setting that refuses and the
// command that allows it, then the other ways to run the lesson (root, --net host, the recorded
// capture in captures/).
std::string explainUserNamespaceRefusal(const std::string& step, int error_number,
                                        const UserNamespacePolicy& policy);

// The other ways to run a lesson when the private network is refused, one sentence.
std::string alternativesToPrivateNetwork();

// How to get the rights to capture on the host's interfaces, one sentence naming
// `sudo setcap cap_net_raw,cap_net_admin=eip $(which osilab)` and root.
std::string captureRightsHint();

// Whether this process holds both CAP_NET_RAW and CAP_NET_ADMIN in its effective set (root
// normally does; so does a binary given them with setcap).
bool hasCaptureCapabilities();

}  // namespace osilab::labnet
