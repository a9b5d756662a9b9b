#include "lab/labnet/network_rights.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace osilab::labnet {
namespace {

const std::string kStep = "unshare(CLONE_NEWUSER | CLONE_NEWNET)";

void expectAlternatives(const std::string& message) {
    EXPECT_NE(message.find("sudo osilab run"), std::string::npos) << message;
    EXPECT_NE(message.find("--net host"), std::string::npos) << message;
    EXPECT_NE(message.find("sudo setcap cap_net_raw,cap_net_admin=eip $(which osilab)"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("captures/"), std::string::npos) << message;
}

TEST(UserNamespaceRefusal, NamesDebiansSettingAndTheCommandThatAllowsIt) {
    UserNamespacePolicy policy;
    policy.unprivileged_userns_clone = 0;
    policy.max_user_namespaces = 15000;
    const std::string message = explainUserNamespaceRefusal(kStep, EPERM, policy);
    EXPECT_NE(message.find(kStep + " failed (EPERM"), std::string::npos) << message;
    EXPECT_NE(message.find("kernel.unprivileged_userns_clone is 0"), std::string::npos) << message;
    EXPECT_NE(message.find("sudo sysctl -w kernel.unprivileged_userns_clone=1"), std::string::npos)
        << message;
    EXPECT_EQ(message.find("max_user_namespaces"), std::string::npos) << message;
    EXPECT_EQ(message.find("AppArmor"), std::string::npos) << message;
    expectAlternatives(message);
}

TEST(UserNamespaceRefusal, NamesAZeroNamespaceLimit) {
    UserNamespacePolicy policy;
    policy.max_user_namespaces = 0;
    const std::string message = explainUserNamespaceRefusal(kStep, ENOSPC, policy);
    EXPECT_NE(message.find("ENOSPC"), std::string::npos) << message;
    EXPECT_NE(message.find("user.max_user_namespaces is 0"), std::string::npos) << message;
    EXPECT_NE(message.find("sudo sysctl -w user.max_user_namespaces=15000"), std::string::npos)
        << message;
    expectAlternatives(message);
}

TEST(UserNamespaceRefusal, NamesAReachedNamespaceLimit) {
    UserNamespacePolicy policy;
    policy.max_user_namespaces = 3;
    const std::string message = explainUserNamespaceRefusal(kStep, ENOSPC, policy);
    EXPECT_NE(message.find("user.max_user_namespaces (3) is reached"), std::string::npos)
        << message;
    expectAlternatives(message);
}

TEST(UserNamespaceRefusal, NamesUbuntusAppArmorRestriction) {
    UserNamespacePolicy policy;
    policy.max_user_namespaces = 15000;
    policy.apparmor_restrict = 1;
    const std::string message =
        explainUserNamespaceRefusal("writing /proc/self/uid_map", EPERM, policy);
    EXPECT_NE(message.find("writing /proc/self/uid_map failed"), std::string::npos) << message;
    EXPECT_NE(message.find("kernel.apparmor_restrict_unprivileged_userns = 1"), std::string::npos)
        << message;
    EXPECT_NE(message.find("sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"),
              std::string::npos)
        << message;
    expectAlternatives(message);
}

TEST(UserNamespaceRefusal, SuspectsAContainerWhenNoSettingRefuses) {
    UserNamespacePolicy policy;
    policy.max_user_namespaces = 15000;
    policy.unprivileged_userns_clone = 1;
    policy.apparmor_restrict = 0;
    const std::string message = explainUserNamespaceRefusal(kStep, EPERM, policy);
    EXPECT_NE(message.find("seccomp"), std::string::npos) << message;
    EXPECT_EQ(message.find("sudo sysctl"), std::string::npos) << message;
    expectAlternatives(message);
}

TEST(UserNamespaceRefusal, ExplainsThreadsOnEinval) {
    const std::string message = explainUserNamespaceRefusal(kStep, EINVAL, UserNamespacePolicy{});
    EXPECT_NE(message.find("threads"), std::string::npos) << message;
}

TEST(UserNamespacePolicy, ReadsTheSettingsThisKernelHas) {
    const UserNamespacePolicy policy = UserNamespacePolicy::read();
    std::ifstream file("/proc/sys/user/max_user_namespaces");
    long expected = -1;
    if (file >> expected) {
        ASSERT_TRUE(policy.max_user_namespaces.has_value());
        EXPECT_EQ(*policy.max_user_namespaces, expected);
    } else {
        EXPECT_FALSE(policy.max_user_namespaces.has_value());
    }
    std::ifstream debian("/proc/sys/kernel/unprivileged_userns_clone");
    EXPECT_EQ(policy.unprivileged_userns_clone.has_value(), debian.good());
}

TEST(CaptureRights, HintNamesSetcapAndRoot) {
    const std::string hint = captureRightsHint();
    EXPECT_NE(hint.find("`sudo setcap cap_net_raw,cap_net_admin=eip $(which osilab)`"),
              std::string::npos);
    EXPECT_NE(hint.find("root"), std::string::npos);
}

}  // namespace
}  // namespace osilab::labnet
