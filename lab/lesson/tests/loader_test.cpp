// What a loaded lesson holds (names resolved to indexes, arguments typed), and the rules the
// loader applies beyond the bad files: what it allows, what it refuses, and listing.
#include "lab/lesson/loader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "lab/lesson/names.h"

namespace osilab::lesson {
namespace {

using nlohmann::json;

const std::string kData = OSILAB_TEST_DATA;

json minimal() {
    std::ifstream in(kData + "/good/minimal.json");
    return json::parse(in);
}

json step(const char* actor, const char* call, json args = json::object()) {
    json s = {{"actor", actor}, {"call", call}};
    s.update(args);
    s["say"] = {{"zh", "说明"}, {"en", "what happens"}};
    s["code"] = {{"python", "pass"}, {"c", ";"}};
    return s;
}

Result<Lesson> load(const json& doc) {
    return loadLessonText(doc.dump(), "test");
}

std::string refusal(const json& doc) {
    auto lesson = load(doc);
    return lesson.ok() ? "(accepted)" : lesson.error().message;
}

TEST(Loader, ResolvesNamesToIndexes) {
    auto loaded = loadLesson(kData + "/good/minimal.json");
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    const Lesson& lesson = loaded.value();
    EXPECT_EQ(lesson.id, "minimal");
    ASSERT_EQ(lesson.actors.size(), 2u);
    ASSERT_EQ(lesson.sockets.size(), 3u);  // server.sk, server.conn, client.sk

    const SocketDecl& listener = lesson.sockets[0];
    EXPECT_EQ(listener.name, "sk");
    EXPECT_EQ(listener.actor, 0);
    EXPECT_TRUE(listener.isTcp());
    EXPECT_EQ(listener.created_by, 0);
    EXPECT_EQ(listener.closed_by, -1);

    const SocketDecl& conn = lesson.sockets[1];
    EXPECT_EQ(conn.name, "conn");
    EXPECT_TRUE(conn.accepted);
    EXPECT_EQ(conn.closed_by, 8);

    const SocketDecl& client = lesson.sockets[2];
    EXPECT_EQ(client.name, "sk");
    EXPECT_EQ(client.actor, 1);  // the same name, another actor: another socket

    const Step& accept = lesson.steps[3];
    EXPECT_EQ(accept.call, Call::Accept);
    EXPECT_EQ(accept.socket, 0);
    EXPECT_EQ(accept.creates, 1);
    EXPECT_TRUE(accept.expect.pending);
    ASSERT_TRUE(accept.expect.peer.has_value());
    EXPECT_EQ(accept.expect.peer->actor, 1);
    EXPECT_EQ(accept.expect.peer->socket, -1);

    const Step& connect = lesson.steps[5];
    EXPECT_EQ(connect.socket, 2);
    const auto& address = std::get<ConnectArgs>(connect.args).addr;
    EXPECT_EQ(address.family, Family::Inet);
    EXPECT_EQ(address.port, 9999);
    EXPECT_EQ(hostText(address), "127.0.0.1");
    EXPECT_EQ(connect.expect.packet_match, PacketMatch::Exact);
    ASSERT_EQ(connect.expect.packets.size(), 3u);
    EXPECT_EQ(connect.expect.packets[1].tcp_flags, kSyn | kAck);
    ASSERT_EQ(connect.expect.states.size(), 1u);
    EXPECT_EQ(connect.expect.states[0].socket, 1);  // "server.conn"
    EXPECT_EQ(connect.expect.states[0].state, TcpState::Established);

    const Step& send = lesson.steps[6];
    EXPECT_EQ(std::get<SendArgs>(send.args).data.text, "hi");
    EXPECT_EQ(send.expect.returns, 2);
    EXPECT_EQ(std::get<RecvArgs>(lesson.steps[7].args).bufsize, 1024);
    EXPECT_EQ(lesson.steps[7].path, "/steps/7");
}

TEST(Loader, AKernelErrorIsAllowedWhenTheLessonExpectsIt) {
    json doc = minimal();
    doc["steps"][7]["sock"] = "sk";  // recv on the listening socket
    doc["steps"][7]["expect"] = {{"error", "ENOTCONN"}};
    auto lesson = load(doc);
    ASSERT_TRUE(lesson.ok()) << lesson.error().message;
    EXPECT_EQ(lesson.value().steps[7].expect.error->value, ENOTCONN);
}

TEST(Loader, AFailedCallChangesNothing) {
    json doc = minimal();
    // A bind expected to fail leaves the socket unbound, so a second bind is fine.
    doc["steps"][1]["expect"] = {{"error", "EADDRINUSE"}};
    doc["steps"].insert(doc["steps"].begin() + 2,
                        step("server", "bind", {{"sock", "sk"}, {"addr", "127.0.0.1:9998"}}));
    EXPECT_TRUE(load(doc).ok()) << refusal(doc);
    // While a bind that worked makes the next one an error.
    doc["steps"][1].erase("expect");
    EXPECT_NE(
        refusal(doc).find("/steps/2/call: socket 'sk' of actor 'server' already has an address"),
        std::string::npos)
        << refusal(doc);
}

TEST(Loader, ANameCanBeGivenAgainAfterClose) {
    json doc = minimal();
    doc["steps"].push_back(
        step("client", "socket", {{"family", "inet"}, {"type", "dgram"}, {"as", "sk"}}));
    doc["steps"].push_back(
        step("client", "sendto", {{"sock", "sk"}, {"addr", "127.0.0.1:9999"}, {"data", ""}}));
    auto lesson = load(doc);
    ASSERT_TRUE(lesson.ok()) << lesson.error().message;
    ASSERT_EQ(lesson.value().sockets.size(), 4u);
    EXPECT_EQ(lesson.value().sockets[3].type, SocketType::Dgram);
    EXPECT_EQ(lesson.value().steps[11].socket, 3);
}

json udpLesson() {
    json doc = minimal();
    doc["steps"] = json::array({
        step("server", "socket", {{"family", "inet"}, {"type", "dgram"}, {"as", "sk"}}),
        step("server", "bind", {{"sock", "sk"}, {"addr", "127.0.0.1:9600"}}),
        step("server", "recvfrom",
             {{"sock", "sk"}, {"bufsize", 1024}, {"as", "req"}, {"expect", {{"pending", true}}}}),
        step("client", "socket", {{"family", "inet"}, {"type", "dgram"}, {"as", "sk"}}),
        step("client", "sendto", {{"sock", "sk"}, {"addr", "127.0.0.1:9600"}, {"data", "%H:%M"}}),
        step("server", "sendto",
             {{"sock", "sk"},
              {"to", "req"},
              {"data_from", {{"strftime", "req"}, {"default", "%Y-%m-%d %H:%M:%S"}}}}),
        step("client", "recvfrom",
             {{"sock", "sk"},
              {"bufsize", 64},
              {"expect", {{"data_matches", "[0-9]{2}:[0-9]{2}"}, {"peer", "server.sk"}}}}),
    });
    return doc;
}

TEST(Loader, RepliesGoToTheSenderOfAReceivedDatagram) {
    auto loaded = load(udpLesson());
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    const Lesson& lesson = loaded.value();
    ASSERT_EQ(lesson.messages.size(), 1u);
    EXPECT_EQ(lesson.messages[0].name, "req");
    EXPECT_TRUE(lesson.messages[0].has_sender);
    EXPECT_EQ(lesson.steps[2].message, 0);
    const auto& reply = std::get<SendtoArgs>(lesson.steps[5].args);
    EXPECT_FALSE(reply.addr.has_value());
    EXPECT_EQ(reply.to_message, 0);
    EXPECT_TRUE(reply.data.computed());
    EXPECT_EQ(reply.data.strftime_of, 0);
    EXPECT_EQ(reply.data.default_format, "%Y-%m-%d %H:%M:%S");
    EXPECT_EQ(lesson.steps[6].expect.peer->socket, 0);  // server.sk
}

TEST(Loader, ReplyNeedsASenderAddress) {
    json doc = udpLesson();
    doc["steps"][2]["call"] = "recv";  // recv says nothing of the sender
    EXPECT_NE(refusal(doc).find("/steps/5/to: message 'req' was received with recv()"),
              std::string::npos)
        << refusal(doc);
    doc = udpLesson();
    doc["steps"][5]["addr"] = "127.0.0.1:1234";
    EXPECT_NE(refusal(doc).find("/steps/5/to: give either 'addr' or 'to'"), std::string::npos)
        << refusal(doc);
    doc = udpLesson();
    doc["steps"][5]["data_from"]["strftime"] = "rq";
    EXPECT_NE(refusal(doc).find("/steps/5/data_from/strftime: actor 'server' has received no "
                                "message named 'rq' (did you mean 'req'?)"),
              std::string::npos)
        << refusal(doc);
}

TEST(Loader, RefusesClaimsThatCannotHold) {
    json doc = minimal();
    doc["steps"][1]["expect"] = {{"returns", 0}};
    EXPECT_NE(refusal(doc).find("/steps/1/expect/returns: 'returns' is the number of bytes"),
              std::string::npos);
    doc = minimal();
    doc["steps"][6]["expect"] = {{"returns", 3}};
    EXPECT_NE(refusal(doc).find("the data is 2 bytes (UTF-8), so send returns 2, not 3"),
              std::string::npos)
        << refusal(doc);
    doc = minimal();
    doc["steps"][5]["expect"]["packets_include"] = {"SYN"};
    EXPECT_NE(refusal(doc).find("give either 'packets'"), std::string::npos);
    doc = minimal();
    doc["steps"][5]["expect"]["packets"][0] = {{"kind", "UDP"}, {"len", 2}, {"data", "你"}};
    EXPECT_NE(refusal(doc).find("/steps/5/expect/packets/0/data: 'len' says 2 bytes but the data "
                                "is 3 bytes"),
              std::string::npos)
        << refusal(doc);
    doc = minimal();
    doc["steps"][5]["expect"]["packets"][0] = {{"kind", "ICMP port unreachable"},
                                               {"from", "server"}};
    EXPECT_NE(refusal(doc).find("an ICMP error is sent by the kernel itself"), std::string::npos);
    doc = minimal();
    doc["steps"][6]["expect"] = {{"pending", true}};
    EXPECT_NE(refusal(doc).find("only accept, recv and recvfrom can stay blocked"),
              std::string::npos);
    doc = minimal();
    doc["steps"][7]["expect"] = {{"data_matches", "([0-9]"}};
    EXPECT_NE(refusal(doc).find("/steps/7/expect/data_matches: not a valid regular expression"),
              std::string::npos)
        << refusal(doc);
    doc = minimal();
    doc["steps"][7]["expect"] = {{"error", "ECONNRESET"}, {"data", "hi"}};
    EXPECT_NE(refusal(doc).find("a call that fails returns -1 and nothing else"),
              std::string::npos);
}

TEST(Loader, StatesAreForTcpSocketsOnly) {
    json doc = udpLesson();
    doc["steps"][1]["expect"] = {{"states", {{"sk", "LISTEN"}}}};
    EXPECT_NE(refusal(doc).find("/steps/1/expect/states/sk: states are TCP states, and socket 'sk' "
                                "of actor 'server' is a UDP socket"),
              std::string::npos)
        << refusal(doc);
}

TEST(Loader, APendingCallNeedsAnotherActorBeforeTheLessonEnds) {
    json doc = minimal();
    doc["steps"] =
        json::array({doc["steps"][0], doc["steps"][1], doc["steps"][2], doc["steps"][3]});
    EXPECT_NE(
        refusal(doc).find("/steps/3/expect/pending: accept() of actor 'server' would still be "
                          "blocked when the lesson ends"),
        std::string::npos)
        << refusal(doc);
}

TEST(Loader, RefusesUnixNamesThatAreNotPlainFileNames) {
    json doc = minimal();
    doc["steps"][0]["family"] = "unix";
    doc["steps"][1]["addr"] = "/tmp/x.sock";
    EXPECT_NE(refusal(doc).find("it has a '/'"), std::string::npos) << refusal(doc);
    doc["steps"][1]["addr"] = "demo.sock";
    doc["steps"][4]["family"] = "unix";
    doc["steps"][5]["addr"] = "demo.sock";
    doc["steps"][5]["expect"] = {{"packets", json::array()}};
    doc["steps"][9].erase("expect");
    doc["steps"][2].erase("expect");
    auto lesson = load(doc);
    ASSERT_TRUE(lesson.ok()) << lesson.error().message;
    EXPECT_EQ(std::get<BindArgs>(lesson.value().steps[1].args).addr.path, "demo.sock");
}

TEST(Loader, SyntaxErrorColumnsCountCharacters) {
    // The x is the 16th character but the 20th byte ("你好" is 6 bytes): editors say column 16.
    auto lesson = loadLessonText("{\"title\": \"你好\" x}", "t.json");
    ASSERT_FALSE(lesson.ok());
    EXPECT_EQ(lesson.error().message.rfind("t.json: line 1, column 16: JSON syntax error", 0), 0u)
        << lesson.error().message;
}

TEST(Loader, TextWithoutFileNameSkipsTheIdCheck) {
    json doc = minimal();
    doc["id"] = "anything";
    EXPECT_TRUE(loadLessonText(doc.dump(), "from the editor").ok());
    EXPECT_FALSE(loadLessonText(doc.dump(), "dir/minimal.json").ok());
}

TEST(Loader, ListsLessonsInOrderAndReportsBadOnes) {
    const auto dir = std::filesystem::temp_directory_path() / "osilab-lesson-list-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto write = [&](const std::string& name, const std::string& text) {
        std::ofstream(dir / name) << text;
    };
    json second = minimal();
    second["id"] = "b-second";
    second["order"] = 20;
    json first = minimal();
    first["id"] = "z-first";
    first["order"] = 10;
    write("b-second.json", second.dump());
    write("z-first.json", first.dump());
    write("broken.json", "{");
    write("lesson.schema.json", "{}");
    write("notes.txt", "not a lesson");

    auto list = listLessons(dir);
    ASSERT_TRUE(list.ok()) << list.error().message;
    ASSERT_EQ(list.value().lessons.size(), 2u);
    EXPECT_EQ(list.value().lessons[0].id, "z-first");
    EXPECT_EQ(list.value().lessons[1].id, "b-second");
    EXPECT_EQ(list.value().lessons[0].step_count, 10u);
    ASSERT_EQ(list.value().problems.size(), 1u);
    EXPECT_NE(list.value().problems[0].message.find("broken.json: line 1"), std::string::npos);

    auto found = findLesson(dir, "z-first");
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_EQ(found.value().order, 10);
    auto typo = findLesson(dir, "z-frist");
    ASSERT_FALSE(typo.ok());
    EXPECT_NE(typo.error().message.find("no lesson 'z-frist' in"), std::string::npos);
    EXPECT_NE(typo.error().message.find("(did you mean 'z-first'?)"), std::string::npos)
        << typo.error().message;
    EXPECT_FALSE(listLessons(dir / "missing").ok());
    std::filesystem::remove_all(dir);
}

TEST(Names, KernelStatesAndErrnos) {
    EXPECT_EQ(tcpStateFromKernel(6), TcpState::TimeWait);
    EXPECT_EQ(tcpStateFromKernel(10), TcpState::Listen);
    EXPECT_EQ(tcpStateFromKernel(12), TcpState::SynRecv);
    EXPECT_FALSE(tcpStateFromKernel(99).has_value());
    EXPECT_EQ(tcpStateName(TcpState::FinWait2), "FIN-WAIT-2");
    EXPECT_EQ(errnoName(EADDRINUSE), "EADDRINUSE");
    EXPECT_EQ(errnoName(EAGAIN), "EAGAIN");
    EXPECT_EQ(errnoName(0), "");
    EXPECT_EQ(errnoFromName("EWOULDBLOCK"), EAGAIN);
    EXPECT_EQ(tcpFlagsText(kSyn | kAck), "SYN,ACK");
    EXPECT_EQ(tcpFlagsText(kFin | kPsh | kAck), "FIN,PSH,ACK");
}

}  // namespace
}  // namespace osilab::lesson

namespace osilab::lesson {
namespace {

// Damaged lesson text (cut anywhere, bytes replaced) is refused with a message, never a crash or
// an exception: lesson files come from editors, e-mail and USB sticks.
TEST(Loader, DamagedTextIsRefusedNotCrashed) {
    std::vector<std::string> texts;
    for (const auto& entry : std::filesystem::directory_iterator(OSILAB_LESSONS_DIR)) {
        if (entry.path().extension() != ".json") continue;
        std::ifstream in(entry.path());
        texts.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    ASSERT_FALSE(texts.empty());
    uint32_t seed = 12345;
    const auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
    size_t refused = 0;
    for (const std::string& text : texts) {
        for (size_t cut = 0; cut < text.size(); cut += 997) {
            refused += !loadLessonText(std::string_view(text).substr(0, cut), "cut.json").ok();
        }
        const std::string replacements = "{}[]\":,0-9aZ\\ \n\x80";
        for (int round = 0; round < 40; ++round) {
            std::string damaged = text;
            for (int i = 0; i < 3; ++i) {
                damaged[next() % damaged.size()] = replacements[next() % replacements.size()];
            }
            auto lesson = loadLessonText(damaged, "damaged");
            if (!lesson.ok()) {
                ++refused;
                EXPECT_EQ(lesson.error().message.rfind("damaged: ", 0), 0u);
            }
        }
    }
    EXPECT_GT(refused, 300u);
}

}  // namespace
}  // namespace osilab::lesson
