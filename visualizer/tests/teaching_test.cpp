// The teaching views' parts without a window: the live run process (real `osilab run` in its
// private network, read through a pipe into the same Model as files), stopping it at any moment
// without leaving a process, the lesson player on a recorded run, and the lesson catalog.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>

#include "visualizer/model.h"
#include "visualizer/teaching/lesson_catalog.h"
#include "visualizer/teaching/lesson_player.h"
#include "visualizer/teaching/live_run.h"
#include "visualizer/teaching/teaching_strings.h"
#include "visualizer/teaching/timeline_dump.h"

namespace osilab::viewer::teaching {
namespace {

const std::string kOsilab = OSILAB_CLI;
const std::string kLessons = OSILAB_LESSONS;

// Counts the live run's wake-ups so a test waits for records instead of sleeping.
struct Wakeups {
    std::mutex mutex;
    std::condition_variable changed;
    uint64_t count = 0;
    void wake() {
        std::lock_guard<std::mutex> lock(mutex);
        ++count;
        changed.notify_all();
    }
    // Waits for a wake-up after `seen`; returns the new count.
    uint64_t waitAfter(uint64_t seen) {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return count > seen; });
        return count;
    }
};

bool processGone(pid_t pid) {
    return ::kill(pid, 0) == -1 && errno == ESRCH && ::kill(-pid, 0) == -1 && errno == ESRCH;
}

const session::LessonStep* stepOf(const session::LessonTimeline* timeline, int step) {
    if (timeline == nullptr) return nullptr;
    for (const session::LessonStep& s : timeline->steps())
        if (s.step == step) return &s;
    return nullptr;
}

// Records a whole run of `lesson` with the CLI, as captures/ holds them; empty if the lab
// network cannot start here.
std::string recordRun(const std::string& lesson) {
    const std::string path = ::testing::TempDir() + "/teaching-" + lesson + ".pcapng";
    const std::string command = "'" + kOsilab + "' run " + lesson + " --lessons '" + kLessons +
                                "' --save '" + path + "' > /dev/null 2>&1";
    const int status = std::system(command.c_str());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return {};
    return path;
}

TEST(LiveRun, StepsArriveInTheModelAndStopLeavesNoProcess) {
    Wakeups wakeups;
    auto started =
        LiveRun::start({kOsilab, "tcp-server-client", kLessons, "en", {}}, [&] { wakeups.wake(); });
    ASSERT_TRUE(started) << started.error().message;
    std::unique_ptr<LiveRun> run = std::move(started).value();
    const pid_t pid = run->pid();
    Model model;
    model.openReader(run->takeReader(), "live");

    uint64_t seen = 0;
    for (int step = 0; step < 6; ++step) {
        ASSERT_TRUE(run->next()) << run->errorText();
        for (;;) {
            model.updateTimeline();
            const session::LessonStep* s = stepOf(model.timeline(), step);
            if (s != nullptr && s->ended && s->after) break;
            if (!run->running()) {
                if (run->exitCode() == kRunnerExitNoNetwork)
                    GTEST_SKIP() << "no lab network here: " << run->errorText();
                FAIL() << "the runner ended early: " << run->errorText();
            }
            seen = wakeups.waitAfter(seen);
        }
    }
    const session::LessonStep* connect = stepOf(model.timeline(), 5);
    ASSERT_NE(connect, nullptr);
    EXPECT_EQ(connect->call, "connect");
    ASSERT_EQ(connect->end_packet - connect->first_packet, 3u);
    EXPECT_NE(model.rowText(connect->first_packet).info.find("[SYN]"), std::string::npos);
    EXPECT_NE(model.rowText(connect->first_packet + 1).info.find("[SYN, ACK]"), std::string::npos);
    EXPECT_NE(model.rowText(connect->first_packet + 2).info.find("[ACK]"), std::string::npos);
    std::map<std::string, std::string> states;
    for (const runner::SocketState& s : *connect->after) states[s.socket] = s.state;
    EXPECT_EQ(states["server.sk"], "LISTEN");
    EXPECT_EQ(states["client.sk"], "ESTABLISHED");
    EXPECT_EQ(states["server.conn"], "ESTABLISHED");

    // Stopped in the middle of the lesson, with the runner waiting for its next step.
    run->stop();
    EXPECT_TRUE(processGone(pid));
    EXPECT_FALSE(run->running());
    model.waitUntilIdle();  // the stream ended with the process: the loader is not stuck
}

TEST(LiveRun, StopRightAfterStartLeavesNoProcess) {
    auto started = LiveRun::start({kOsilab, "udp-chat", kLessons, "zh", {}}, nullptr);
    ASSERT_TRUE(started) << started.error().message;
    std::unique_ptr<LiveRun> run = std::move(started).value();
    const pid_t pid = run->pid();
    Model model;
    model.openReader(run->takeReader(), "live");
    run->next();
    run->stop();
    EXPECT_TRUE(processGone(pid));
    model.waitUntilIdle();
}

TEST(LiveRun, AMissingProgramSaysWhatToDo) {
    auto started =
        LiveRun::start({"/nonexistent/osilab", "tcp-server-client", kLessons, "en", {}}, nullptr);
    ASSERT_TRUE(started);  // fork succeeds; exec fails in the child
    std::unique_ptr<LiveRun> run = std::move(started).value();
    Model model;
    model.openReader(run->takeReader(), "live");
    model.waitUntilIdle();  // the child exits at once: the stream is empty
    run->stop();
    EXPECT_EQ(run->exitCode(), 127);
    EXPECT_NE(run->errorText().find("--osilab PATH"), std::string::npos) << run->errorText();
}

TEST(LessonPlayer, ANetworkThatCannotStartIsExplained) {
    // A runner as it behaves where user namespaces are refused: it says why, exits with 5.
    const std::string fake = ::testing::TempDir() + "/osilab-without-network";
    {
        std::FILE* script = std::fopen(fake.c_str(), "w");
        ASSERT_NE(script, nullptr);
        std::fputs(
            "#!/bin/sh\necho 'osilab run: user namespaces are disabled: set the sysctl "
            "kernel.unprivileged_userns_clone=1' >&2\nexit 5\n",
            script);
        std::fclose(script);
        ::chmod(fake.c_str(), 0755);
    }
    Wakeups wakeups;
    Model model;
    LessonPlayer player(model, PlayerOptions{kLessons, fake}, [&] { wakeups.wake(); });
    player.startLive("tcp-server-client", false);
    ASSERT_EQ(player.mode(), PlayMode::Live);
    uint64_t seen = 0;
    while (player.liveRunning()) {
        seen = wakeups.waitAfter(seen);
        model.updateTimeline();
        player.update(0.0, false);
    }
    EXPECT_NE(player.problem().find("kernel.unprivileged_userns_clone=1"), std::string::npos)
        << player.problem();
    EXPECT_FALSE(player.stepRunning());
}

TEST(LessonPlayer, RecordedRunRevealsOneStepAtATimeAndKeepsAnswers) {
    const std::string path = recordRun("tcp-server-client");
    if (path.empty()) GTEST_SKIP() << "no lab network here";
    Model model;
    LessonPlayer player(model, PlayerOptions{kLessons, kOsilab}, nullptr);
    player.openRecorded("tcp-server-client", path);
    model.waitUntilIdle();
    model.updateTimeline();
    player.update(0.0, false);
    ASSERT_EQ(player.mode(), PlayMode::Recorded);
    ASSERT_EQ(player.stepCount(), 14);
    EXPECT_EQ(model.rowCount(), 0u);  // nothing revealed before the first step

    // Step 1 asks a question first: Next shows it, an answer and Next reveal the step.
    player.next(0.0);
    EXPECT_TRUE(player.waitingForAnswer());
    const StepText first = player.stepText(0);
    ASSERT_TRUE(first.ask);
    player.answer(first.ask->answer);
    player.next(0.0);
    EXPECT_TRUE(player.shown());
    ASSERT_NE(player.answerOf(0), nullptr);
    EXPECT_TRUE(player.answerOf(0)->right);

    for (int i = 0; player.shownSteps() < 6 && i < 20; ++i) {
        if (player.waitingForAnswer()) player.answer(0);
        player.next(0.0);
    }
    ASSERT_EQ(player.shownSteps(), 6);
    const session::LessonStep* connect = stepOf(model.timeline(), 5);
    ASSERT_NE(connect, nullptr);
    EXPECT_EQ(model.rowCount(), connect->end_packet);  // packets up to the handshake's end
    EXPECT_EQ(connect->end_packet - connect->first_packet, 3u);

    player.previous();
    EXPECT_EQ(player.shownSteps(), 5);
    EXPECT_LE(model.rowCount(), connect->first_packet);
    player.jumpTo(13);
    EXPECT_TRUE(player.finished());
    EXPECT_EQ(model.rowCount(), model.session()->packetCount());

    // Answers stay for the session, also after going back to the start.
    player.jumpTo(-1);
    ASSERT_NE(player.answerOf(0), nullptr);
    EXPECT_TRUE(player.answerOf(0)->right);
}

TEST(LessonPlayer, LiveAndRecordedRunsShowTheSameSteps) {
    const std::string path = recordRun("udp-chat");
    if (path.empty()) GTEST_SKIP() << "no lab network here";
    Model recorded_model;
    LessonPlayer recorded(recorded_model, PlayerOptions{kLessons, kOsilab}, nullptr);
    recorded.openRecorded("udp-chat", path);
    recorded_model.waitUntilIdle();
    recorded_model.updateTimeline();
    recorded.update(0.0, false);
    recorded.jumpTo(recorded.stepCount() - 1);

    Wakeups wakeups;
    Model live_model;
    LessonPlayer live(live_model, PlayerOptions{kLessons, kOsilab}, [&] { wakeups.wake(); });
    live.startLive("udp-chat", false);
    ASSERT_EQ(live.mode(), PlayMode::Live) << live.problem();
    uint64_t seen = 0;
    while (!(live.finished() && !live.stepRunning())) {
        live_model.updateTimeline();
        live.update(0.0, false);
        ASSERT_TRUE(live.problem().empty()) << live.problem();
        if (live.finished() && !live.stepRunning()) break;
        if (!live.stepRunning()) {
            if (live.waitingForAnswer()) live.answer(0);
            live.next(0.0);
            continue;
        }
        seen = wakeups.waitAfter(seen);
    }
    live_model.waitUntilIdle();  // the last records, read before the stream's end
    live_model.updateTimeline();
    live.update(0.0, false);
    std::string live_dump = timelineDump(live, live_model);
    std::string recorded_dump = timelineDump(recorded, recorded_model);
    live_dump.replace(live_dump.find("mode live"), 9, "mode -");
    recorded_dump.replace(recorded_dump.find("mode recorded"), 13, "mode -");
    EXPECT_EQ(live_dump, recorded_dump);
    EXPECT_NE(live_dump.find("packet UDP"), std::string::npos) << live_dump;
}

TEST(LessonCatalog, ListsTheCourseWithBothLanguagesAndKeySteps) {
    LessonCatalog catalog(findLessonsDir(kLessons));
    EXPECT_TRUE(catalog.error().empty()) << catalog.error();
    EXPECT_TRUE(catalog.problems().empty());
    ASSERT_GE(catalog.lessons().size(), 9u);
    for (const lesson::LessonInfo& info : catalog.lessons()) {
        EXPECT_FALSE(info.title.zh.empty()) << info.id;
        EXPECT_FALSE(info.title.en.empty()) << info.id;
        EXPECT_FALSE(info.summary.zh.empty()) << info.id;
    }
    const lesson::Lesson* tcp = catalog.load("tcp-server-client");
    ASSERT_NE(tcp, nullptr);
    EXPECT_EQ(keyStep(*tcp), 5);  // connect: the handshake
    std::string message;
    EXPECT_EQ(catalog.load("no-such-lesson", &message), nullptr);
    EXPECT_FALSE(message.empty());
}

TEST(TeachingStrings, EveryLabelHasBothLanguages) {
    for (uint16_t i = 0; i < uint16_t(TText::Count); ++i) {
        EXPECT_STRNE(tt(TText(i), Language::En), "") << i;
        EXPECT_STRNE(tt(TText(i), Language::Zh), "") << i;
    }
}

}  // namespace
}  // namespace osilab::viewer::teaching
