// One bad lesson file per kind of mistake: each is refused with the file, the JSON path and the
// problem, in that order, as a teacher reads it in a terminal.
#include <gtest/gtest.h>

#include "lab/lesson/loader.h"

namespace osilab::lesson {
namespace {

const std::string kBad = std::string(OSILAB_TEST_DATA) + "/bad/";

struct BadCase {
    const char* file;     // in tests/data/bad
    const char* where;    // JSON path, or "line L, column C" for syntax errors
    const char* problem;  // a part of the problem the message must say
};

class BadLesson : public testing::TestWithParam<BadCase> {};

TEST_P(BadLesson, IsRefusedWithFilePathAndProblem) {
    const BadCase& bad = GetParam();
    const std::string file = kBad + bad.file;
    auto lesson = loadLesson(file);
    ASSERT_FALSE(lesson.ok()) << file << " was accepted";
    const std::string& message = lesson.error().message;
    const std::string prefix = file + ": " + bad.where + ": ";
    EXPECT_EQ(message.rfind(prefix, 0), 0u) << message << "\n  should start with " << prefix;
    EXPECT_NE(message.find(bad.problem), std::string::npos)
        << message << "\n  should say " << bad.problem;
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, BadLesson,
    testing::Values(
        BadCase{"syntax-error.json", "line 4, column 9", "JSON syntax error"},
        BadCase{"wrong-type.json", "/order", "expected a whole number, found a string (\"first\")"},
        BadCase{"not-whole-number.json", "/steps/2/backlog", "expected a whole number, found 5.5"},
        BadCase{"missing-field.json", "/steps/0", "missing field 'say'"},
        BadCase{"unknown-field.json", "/steps/1/address",
                "unknown field 'address' in a step (did you mean 'addr'?)"},
        BadCase{"field-of-other-call.json", "/steps/1/backlog",
                "field 'backlog' does not apply to call 'bind' (bind takes: sock, addr)"},
        BadCase{"duplicate-key.json", "/steps/0/say", "appears twice"},
        BadCase{"unknown-call.json", "/steps/3/call",
                "unknown call 'acept' (did you mean 'accept'?)"},
        BadCase{"unknown-actor.json", "/steps/4/actor",
                "unknown actor 'clinet' (did you mean 'client'?)"},
        BadCase{"unknown-socket.json", "/steps/1/sock",
                "actor 'server' has no socket named 's' yet (did you mean 'sk'?)"},
        BadCase{"socket-of-other-actor.json", "/steps/6/sock", "'conn' belongs to actor 'server'"},
        BadCase{"redefine-open-socket.json", "/steps/1/as", "is still open"},
        BadCase{"port-out-of-range.json", "/steps/1/addr", "port 70000 is out of range (1-65535)"},
        BadCase{"non-loopback.json", "/steps/5/addr",
                "192.168.1.10 is not a loopback address: lessons only talk on loopback"},
        BadCase{"any-address.json", "/steps/1/addr", "use 127.0.0.1"},
        BadCase{
            "family-mismatch.json", "/steps/1/addr",
            "'[::1]:9999' is an AF_INET6 address, but socket 'sk' of actor 'server' is AF_INET"},
        BadCase{"closed-socket.json", "/steps/10/sock",
                "socket 'conn' of actor 'server' was closed at /steps/8"},
        BadCase{"recv-on-listening.json", "/steps/7/call",
                "socket 'sk' of actor 'server' is listening: it only accepts connections"},
        BadCase{"accept-on-dgram.json", "/steps/2/call",
                "is a datagram socket: there are no connections to accept"},
        BadCase{"pending-without-other-actor.json", "/steps/4",
                "actor 'server' is still blocked in accept() from /steps/3"},
        BadCase{"unknown-state.json", "/steps/9/expect/states/server.conn",
                "unknown TCP state 'TIME_WAIT' (did you mean 'TIME-WAIT'?)"},
        BadCase{"unknown-errno.json", "/steps/1/expect/error",
                "unknown errno name 'EADDRINUS' (did you mean 'EADDRINUSE'?)"},
        BadCase{"data-longer-than-bufsize.json", "/steps/7/expect/data",
                "more than recv(1) can return"},
        BadCase{"as-on-failing-call.json", "/steps/0/as",
                "a call expected to fail creates nothing"},
        BadCase{"packet-pattern.json", "/steps/5/expect/packets/1", "unknown packet 'SYNACK'"},
        BadCase{"answer-out-of-range.json", "/steps/5/ask/answer", "2 is out of range (0-1)"},
        BadCase{"host-browser-nobody-listens.json", "/host_browser/url", "would find nobody"},
        BadCase{"id-differs-from-file.json", "/id",
                "differs from the file name 'id-differs-from-file.json'"}),
    [](const testing::TestParamInfo<BadCase>& info) {
        std::string name = info.param.file;
        name = name.substr(0, name.size() - 5);
        for (char& c : name) {
            if (c == '-') c = '_';
        }
        return name;
    });

TEST(BadLesson, EveryBadFileHasACase) {
    size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kBad)) {
        if (entry.path().extension() == ".json") ++files;
    }
    EXPECT_EQ(files, 28u) << "a bad lesson file without a test case (or a case without a file)";
}

TEST(BadLesson, MissingFileSaysSo) {
    auto lesson = loadLesson(kBad + "no-such-lesson.json");
    ASSERT_FALSE(lesson.ok());
    EXPECT_NE(lesson.error().message.find("no-such-lesson.json: cannot read the lesson file"),
              std::string::npos)
        << lesson.error().message;
}

}  // namespace
}  // namespace osilab::lesson
