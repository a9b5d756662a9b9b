// Runs a test body in a forked child, so that entering a network namespace (which cannot be
// undone) never touches the gtest process. The body returns "" on success, a failure description
// otherwise, or skipped(...) when the lab network is refused on this machine.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <functional>
#include <string>

#include "lab/labnet/private_network.h"

namespace osilab::labnet::testing {

inline constexpr const char* kSkipPrefix = "SKIP: ";

inline std::string skipped(const std::string& why) {
    return kSkipPrefix + why;
}

// A failure text with its place, for the child's early returns.
#define LABNET_REQUIRE(condition, what)                                                    \
    do {                                                                                   \
        if (!(condition)) {                                                                \
            return std::string(__FILE__) + ":" + std::to_string(__LINE__) + ": " + (what); \
        }                                                                                  \
    } while (0)

// Enters the private network in the child; a refusal skips the test unless
// OSILAB_REQUIRE_LABNET is set (CI sets it: there the lab network must work).
#define LABNET_ENTER_OR_SKIP(info_var)                                                 \
    auto info_var##_result = ::osilab::labnet::enterPrivateNetwork();                  \
    if (!info_var##_result) {                                                          \
        if (std::getenv("OSILAB_REQUIRE_LABNET") != nullptr) {                         \
            return "enterPrivateNetwork failed: " + info_var##_result.error().message; \
        }                                                                              \
        return ::osilab::labnet::testing::skipped(info_var##_result.error().message);  \
    }                                                                                  \
    [[maybe_unused]] const ::osilab::labnet::NetworkInfo info_var = info_var##_result.value()

struct ChildOutcome {
    bool skipped = false;
    bool ok = false;
    std::string report;  // the failure or the reason to skip
};

class ForkedChild {
public:
    explicit ForkedChild(const std::function<std::string()>& body) {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            start_error_ = "pipe failed";
            return;
        }
        pid_ = ::fork();
        if (pid_ < 0) {
            start_error_ = "fork failed";
            ::close(fds[0]);
            ::close(fds[1]);
            return;
        }
        if (pid_ == 0) {
            ::close(fds[0]);
            std::string report;
            try {
                report = body();
            } catch (const std::exception& e) {
                report = std::string("exception: ") + e.what();
            } catch (...) {
                report = "unknown exception";
            }
            const char* data = report.data();
            size_t left = report.size();
            while (left > 0) {
                const ssize_t n = ::write(fds[1], data, left);
                if (n <= 0) break;
                data += n;
                left -= static_cast<size_t>(n);
            }
            ::_exit(0);  // no gtest or static destructors in the child
        }
        ::close(fds[1]);
        fd_ = fds[0];
    }

    ForkedChild(const ForkedChild&) = delete;
    ForkedChild& operator=(const ForkedChild&) = delete;
    ~ForkedChild() {
        if (pid_ > 0 && !reaped_) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (fd_ >= 0) ::close(fd_);
    }

    // Collects the report; kills the child if it takes longer than `timeout_ms`.
    ChildOutcome wait(int timeout_ms = 60'000) {
        ChildOutcome outcome;
        if (!start_error_.empty()) {
            outcome.report = start_error_;
            return outcome;
        }
        std::string report;
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
        bool timed_out = false;
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline - std::chrono::steady_clock::now())
                                  .count();
            if (left <= 0) {
                timed_out = true;
                break;
            }
            pollfd pfd{fd_, POLLIN, 0};
            const int ready = ::poll(&pfd, 1, static_cast<int>(left));
            if (ready < 0 && errno == EINTR) continue;
            if (ready <= 0) {
                timed_out = ready == 0;
                break;
            }
            char chunk[4096];
            const ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            report.append(chunk, static_cast<size_t>(n));
        }
        if (timed_out) ::kill(pid_, SIGKILL);
        int status = 0;
        while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
        }
        reaped_ = true;
        if (timed_out) {
            outcome.report = "the child did not finish within " + std::to_string(timeout_ms) +
                             " ms; partial report: " + report;
        } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            outcome.report =
                "the child died (status " + std::to_string(status) + "); report: " + report;
        } else if (report.rfind(kSkipPrefix, 0) == 0) {
            outcome.skipped = true;
            outcome.report = report.substr(std::string(kSkipPrefix).size());
        } else {
            outcome.ok = report.empty();
            outcome.report = report;
        }
        return outcome;
    }

    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    int fd_ = -1;
    bool reaped_ = false;
    std::string start_error_;
};

// Runs `body` in a child and turns its outcome into a gtest result (use with the macro below).
inline ChildOutcome runInChild(const std::function<std::string()>& body, int timeout_ms = 60'000) {
    ForkedChild child(body);
    return child.wait(timeout_ms);
}

#define LABNET_EXPECT_CHILD(outcome_expression)                            \
    do {                                                                   \
        const auto labnet_outcome = (outcome_expression);                  \
        if (labnet_outcome.skipped) GTEST_SKIP() << labnet_outcome.report; \
        EXPECT_TRUE(labnet_outcome.ok) << labnet_outcome.report;           \
    } while (0)

}  // namespace osilab::labnet::testing
