// Stopping a run in the middle (a call still blocked in accept) leaves no thread and no socket.
#include <gtest/gtest.h>

#include <dirent.h>

#include <string>

#include "lab/labnet/private_network.h"
#include "lab/labnet/tests/forked_child.h"
#include "lab/lesson/loader.h"
#include "lab/runner/runner.h"

namespace osilab::runner {
namespace {

int openFds() {
    int n = 0;
    if (DIR* dir = opendir("/proc/self/fd")) {
        while (readdir(dir)) ++n;
        closedir(dir);
    }
    return n;
}

TEST(RunnerStop, StopWhileAcceptIsBlockedLeavesNothingBehind) {
    LABNET_EXPECT_CHILD(labnet::testing::runInChild([]() -> std::string {
        LABNET_ENTER_OR_SKIP(info);
        auto lesson = lesson::findLesson(OSILAB_LESSONS_DIR, "tcp-server-client");
        LABNET_REQUIRE(lesson.ok(), lesson.error().message);
        const int fds_before = openFds();
        RunOptions options;
        int started = 0;
        // Steps 0-3 run (3 is the accept that stays pending); stop before step 4.
        options.before_step = [&](const lesson::Step&) { return started++ < 4; };
        auto result = runLesson(lesson.value(), options);
        LABNET_REQUIRE(result.ok(), result.error().message);
        LABNET_REQUIRE(result.value().stopped, "the run was not stopped");
        LABNET_REQUIRE(result.value().steps.size() == 4,
                       "ran " + std::to_string(result.value().steps.size()) + " steps");
        LABNET_REQUIRE(result.value().steps[3].call_pending, "accept did not stay blocked");
        LABNET_REQUIRE(labnet::currentThreadCount() == 1,
                       "threads left: " + std::to_string(labnet::currentThreadCount()));
        LABNET_REQUIRE(openFds() == fds_before, "descriptors left: " +
                                                    std::to_string(openFds() - fds_before));
        return "";
    }));
}

}  // namespace
}  // namespace osilab::runner
