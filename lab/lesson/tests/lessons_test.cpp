// Every lesson of the course loads, and holds what the course promises (both languages, code in
// Python and C, the lesson list in course order).
#include <gtest/gtest.h>

#include <set>

#include "lab/lesson/loader.h"
#include "lab/lesson/names.h"

namespace osilab::lesson {
namespace {

const std::filesystem::path kLessons = OSILAB_LESSONS_DIR;

std::vector<std::filesystem::path> lessonFiles() {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(kLessons)) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() == ".json" && name.find(".schema.") == std::string::npos) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

TEST(Lessons, EveryLessonFileLoads) {
    const auto files = lessonFiles();
    ASSERT_FALSE(files.empty());
    for (const auto& file : files) {
        auto lesson = loadLesson(file);
        EXPECT_TRUE(lesson.ok()) << lesson.error().message;
    }
}

TEST(Lessons, ListIsInCourseOrderWithoutProblems) {
    auto list = listLessons(kLessons);
    ASSERT_TRUE(list.ok()) << list.error().message;
    for (const Error& problem : list.value().problems) ADD_FAILURE() << problem.message;
    const auto& lessons = list.value().lessons;
    ASSERT_EQ(lessons.size(), lessonFiles().size());
    std::set<int> orders;
    for (size_t i = 0; i < lessons.size(); ++i) {
        EXPECT_TRUE(orders.insert(lessons[i].order).second)
            << "two lessons share order " << lessons[i].order;
        if (i > 0) {
            EXPECT_LT(lessons[i - 1].order, lessons[i].order);
        }
        EXPECT_FALSE(lessons[i].title.zh.empty());
        EXPECT_FALSE(lessons[i].summary.en.empty());
    }
}

// The course of issue 3, in its order, and what each lesson must show to be worth running.
TEST(Lessons, TheWholeCourseIsThere) {
    auto list = listLessons(kLessons);
    ASSERT_TRUE(list.ok());
    std::vector<std::string> ids;
    for (const LessonInfo& info : list.value().lessons) ids.push_back(info.id);
    const std::vector<std::string> course = {
        "cs-bs",        "ip-port",           "socket-params", "tcp-server-client", "tcp-vs-udp",
        "so-reuseaddr", "udp-server-client", "udp-chat",      "udp-time-server"};
    EXPECT_EQ(ids, course);
}

TEST(Lessons, EveryStepSaysWhatTheWireShowsAndEveryLessonAsks) {
    for (const auto& file : lessonFiles()) {
        auto loaded = loadLesson(file);
        ASSERT_TRUE(loaded.ok()) << loaded.error().message;
        const Lesson& lesson = loaded.value();
        size_t questions = 0;
        for (const Step& step : lesson.steps) {
            EXPECT_NE(step.expect.packet_match, PacketMatch::None)
                << lesson.id << step.path << ": no claim about packets";
            questions += step.ask.has_value();
        }
        EXPECT_GE(questions, 1u) << lesson.id << " asks nothing";
    }
}

TEST(Lessons, KeyClaimsOfTheCourse) {
    // The claims the course is built on, found in the lessons (the kernel checks them).
    const auto find = [](const char* id) {
        return loadLesson(kLessons / (std::string(id) + ".json")).value();
    };
    const auto hasError = [](const Lesson& lesson, const char* name) {
        for (const Step& step : lesson.steps) {
            if (step.expect.error && step.expect.error->name == name) return true;
        }
        return false;
    };
    const auto hasState = [](const Lesson& lesson, TcpState state) {
        for (const Step& step : lesson.steps) {
            for (const StateExpect& expect : step.expect.states) {
                if (expect.state == state) return true;
            }
        }
        return false;
    };
    EXPECT_TRUE(hasError(find("so-reuseaddr"), "EADDRINUSE"));
    EXPECT_TRUE(hasState(find("so-reuseaddr"), TcpState::TimeWait));
    EXPECT_TRUE(hasError(find("tcp-vs-udp"), "ECONNREFUSED"));
    EXPECT_TRUE(hasState(find("tcp-server-client"), TcpState::TimeWait));
    EXPECT_TRUE(find("cs-bs").host_browser.has_value());
    const Lesson params = find("socket-params");
    bool unix_without_packets = false;
    for (const Step& step : params.steps) {
        const bool unix_socket =
            step.socket >= 0 && params.sockets[step.socket].family == Family::Unix;
        unix_without_packets |= unix_socket && step.call == Call::Send &&
                                step.expect.packet_match == PacketMatch::Exact &&
                                step.expect.packets.empty();
    }
    EXPECT_TRUE(unix_without_packets);
}

}  // namespace
}  // namespace osilab::lesson
