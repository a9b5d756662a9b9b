// The runner end to end: real lessons in a private network, in a forked child each (entering a
// network namespace cannot be undone, and needs a single-threaded process).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "lab/labnet/tests/forked_child.h"
#include "lab/lesson/loader.h"
#include "lab/runner/runner.h"

namespace osilab::runner {
namespace {

using labnet::testing::runInChild;

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string describe(const RunResult& result) {
    std::string text;
    for (const auto& m : result.mismatches) text += "\n  " + m.path + ": " + m.message;
    return text;
}

// Runs a lesson's text in a fresh private network; the child reports the mismatches.
std::string runText(const std::string& text, const std::string& name, bool want_mismatch,
                    const std::string& want_path = "") {
    LABNET_ENTER_OR_SKIP(info);
    auto lesson = lesson::loadLessonText(text, name);
    LABNET_REQUIRE(lesson.ok(), lesson.error().message);
    auto result = runLesson(lesson.value());
    LABNET_REQUIRE(result.ok(), result.error().message);
    const RunResult& run = result.value();
    LABNET_REQUIRE(run.steps.size() == lesson.value().steps.size(), "not every step ran");
    if (!want_mismatch) {
        LABNET_REQUIRE(run.mismatches.empty(), "mismatches:" + describe(run));
        // The handshake is really on the wire: some step has SYN, SYN+ACK, ACK.
        bool handshake = false;
        for (const auto& step : run.steps) {
            if (step.packets.size() == 3 && step.packets[0].observed.tcp_flags == 0x02 &&
                step.packets[1].observed.tcp_flags == 0x12 &&
                step.packets[2].observed.tcp_flags == 0x10)
                handshake = true;
        }
        LABNET_REQUIRE(handshake, "no step captured the three-way handshake");
    } else {
        LABNET_REQUIRE(!run.mismatches.empty(), "the wrong expectation was not noticed");
        bool found = false;
        for (const auto& m : run.mismatches) found = found || m.path.rfind(want_path, 0) == 0;
        LABNET_REQUIRE(found, "no mismatch at " + want_path + ":" + describe(run));
    }
    // Nothing left behind: every socket the lesson opened is closed (TIME-WAIT aside).
    return "";
}

TEST(Runner, TcpServerClientLessonPassesAgainstTheKernel) {
    const std::string text = readFile(OSILAB_LESSONS_DIR "/tcp-server-client.json");
    ASSERT_FALSE(text.empty());
    LABNET_EXPECT_CHILD(runInChild(
        [&] { return runText(text, "tcp-server-client.json", false); }, 120'000));
}

TEST(Runner, WrongExpectationIsAMismatch) {
    std::string text = readFile(OSILAB_LESSONS_DIR "/tcp-server-client.json");
    const std::string good = R"({"kind": "SYN,ACK", "from": "server", "to": "client"})";
    const size_t at = text.find(good);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, good.size(), R"({"kind": "FIN,ACK", "from": "server", "to": "client"})");
    LABNET_EXPECT_CHILD(runInChild(
        [&] { return runText(text, "tcp-server-client.json", true, "/steps/"); }, 120'000));
}

}  // namespace
}  // namespace osilab::runner
