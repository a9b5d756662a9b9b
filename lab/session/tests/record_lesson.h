// Records a lesson run for tests with the built `osilab` CLI (`osilab run LESSON --save FILE`) in
// a private network of its own, once per test program and lesson. Without the lab network (a
// sandbox refusing user namespaces) the recording is skipped with the reason; set
// OSILAB_REQUIRE_LABNET (CI does) to make that a failure. Needs the compile definitions
// OSILAB_CLI (the program) and OSILAB_LESSONS (the lessons folder).
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

namespace osilab::testing {

struct LessonRecording {
    std::string path;
    std::string skip;  // why there is no recording
    bool failed = false;
};

inline LessonRecording recordLesson(const std::string& lesson) {
    constexpr int kExitMismatch = 4;   // osilab run: a kernel result differed from the lesson's
    constexpr int kExitNoNetwork = 5;  // osilab run: the lab network could not be set up
    static std::map<std::string, LessonRecording> done;
    if (auto it = done.find(lesson); it != done.end()) return it->second;
    const std::string dir = ::testing::TempDir() + "osilab_lessons_" + std::to_string(::getpid());
    std::filesystem::create_directories(dir);
    LessonRecording r;
    r.path = dir + "/" + lesson + ".pcapng";
    const std::string log = dir + "/" + lesson + ".log";
    const std::string command = std::string("'") + OSILAB_CLI + "' run " + lesson + " --lessons '" +
                                OSILAB_LESSONS + "' --save '" + r.path + "' > '" + log + "' 2>&1";
    const int status = std::system(command.c_str());
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code != 0 && code != kExitMismatch) {
        std::ifstream in(log);
        const std::string output((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
        if (code == kExitNoNetwork) {
            r.skip = "the lab network cannot start here: " + output;
        } else {
            r.skip =
                "osilab run " + lesson + " exited with " + std::to_string(code) + ": " + output;
            r.failed = true;
        }
    }
    done[lesson] = r;
    return r;
}

}  // namespace osilab::testing

// In a TEST body: records `lesson` into `var` (a LessonRecording), or skips/fails the test.
#define OSILAB_RECORD_LESSON_OR_SKIP(var, lesson)                                              \
    const ::osilab::testing::LessonRecording var = ::osilab::testing::recordLesson(lesson);    \
    if (!var.skip.empty()) {                                                                   \
        if (var.failed || std::getenv("OSILAB_REQUIRE_LABNET") != nullptr) FAIL() << var.skip; \
        GTEST_SKIP() << var.skip;                                                              \
    }
