// Internal to the loader: reads the steps in order, resolving names to indexes and following what
// each socket can do at that point (bound, listening, connected, shut down, closed), so that a step
// the kernel would refuse is caught when the lesson is loaded, not half-way through a lecture.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "lab/lesson/json_node.h"
#include "lab/lesson/lesson.h"

namespace osilab::lesson::detail {

// What the loader knows about a socket at the current step.
struct SocketFacts {
    bool bound = false;  // has a local address (bind, or the kernel picked one)
    bool listening = false;
    bool connected = false;  // stream: a connection; dgram: a default peer
    bool shut_rd = false;
    bool shut_wr = false;
    bool closed = false;
};

class LessonBuilder {
public:
    explicit LessonBuilder(Lesson& lesson) : lesson_(lesson) {}

    void readSteps(const Node& steps);

private:
    struct DeferredEndpoint {
        int step;
        int pattern;  // -1: expect.peer; else index into expect.packets
        bool from;    // for patterns: from (true) or to (false)
        std::string text;
        std::string path;
    };

    void readStep(const Node& node, int index);
    void readArgs(const Node& node, Step& step);
    Payload readPayload(const Node& node, const Step& step);
    void readExpect(const Node& node, Step& step);
    PacketPattern readPattern(const Node& node, int step, int pattern);
    void checkKernelRules(const Node& node, const Step& step);
    void applyEffects(const Step& step);
    void trackPending(const Node& node, const Step& step);
    void resolveEndpoints();
    void finish();

    int actorNamed(const Node& node) const;
    int openSocket(const Node& node, int actor) const;
    int socketForState(const Node& node, const std::string& key, int actor) const;
    int defineSocket(const Node& node, int actor, int step, Family family, SocketType type,
                     bool accepted);
    int messageNamed(const Node& node, int actor, bool need_sender) const;
    int defineMessage(const Node& node, int actor, int step, bool has_sender);
    std::string socketLabel(int socket) const;

    Lesson& lesson_;
    std::vector<SocketFacts> facts_;                              // per Lesson::sockets entry
    std::map<std::pair<int, std::string>, int> current_socket_;   // (actor, name) → socket
    std::map<std::pair<int, std::string>, int> current_message_;  // (actor, name) → message
    std::vector<DeferredEndpoint> deferred_;
    std::vector<int> pending_step_;        // per actor: step whose call is pending, or -1
    std::vector<bool> other_actor_since_;  // per actor: another actor had a step since then
};

}  // namespace osilab::lesson::detail
