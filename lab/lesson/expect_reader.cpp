// The `expect` part of a step: what the kernel must show. Part of LessonBuilder.
#include <regex>

#include "lab/lesson/lesson_builder.h"
#include "lab/lesson/names.h"
#include "lab/lesson/suggest.h"

namespace osilab::lesson::detail {
namespace {

const std::vector<std::string_view> kExpectKeys = {"packets", "packets_include", "error", "returns",
                                                   "data",    "data_matches",    "peer",  "states",
                                                   "pending"};

bool oneOf(Call call, std::initializer_list<Call> calls) {
    for (Call c : calls) {
        if (c == call) return true;
    }
    return false;
}

std::string trimmed(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return std::string(text);
}

// "SYN,ACK" (spaces after commas allowed, any order), "UDP", "ICMP port unreachable".
void parseKind(const Node& node, PacketPattern& pattern) {
    const std::string text = node.nonEmptyString();
    pattern.text = text;
    if (text == "UDP") {
        pattern.kind = PacketKind::Udp;
        return;
    }
    if (text == "ICMP port unreachable") {
        pattern.kind = PacketKind::IcmpPortUnreachable;
        return;
    }
    pattern.kind = PacketKind::Tcp;
    std::vector<std::string_view> words = {"SYN", "ACK", "FIN", "RST", "PSH",
                                           "URG", "ECE", "CWR", "UDP", "ICMP port unreachable"};
    size_t start = 0;
    while (start <= text.size()) {
        size_t comma = text.find(',', start);
        if (comma == std::string::npos) comma = text.size();
        const std::string flag = trimmed(std::string_view(text).substr(start, comma - start));
        const auto bit = tcpFlagFromName(flag);
        if (!bit) {
            node.refuse("unknown packet '" + text + "'" +
                        didYouMean(flag.empty() ? text : flag, words) +
                        ": write TCP flags joined by ',' (\"SYN,ACK\"), \"UDP\" or \"ICMP port "
                        "unreachable\"");
        }
        if (pattern.tcp_flags & *bit)
            node.refuse("flag " + flag + " is written twice in '" + text + "'");
        pattern.tcp_flags |= *bit;
        start = comma + 1;
    }
}

}  // namespace

PacketPattern LessonBuilder::readPattern(const Node& node, int step, int index) {
    PacketPattern pattern;
    if (node.raw().is_string()) {
        parseKind(node, pattern);
        return pattern;
    }
    node.allowOnly({"kind", "from", "to", "len", "data", "ip"}, "a packet");
    parseKind(node.at("kind"), pattern);
    if (auto ip = node.find("ip")) {
        pattern.ip_version = static_cast<int>(ip->integer(4, 6));
        if (pattern.ip_version == 5) ip->refuse("ip is 4 or 6");
    }
    if (auto len = node.find("len")) pattern.length = static_cast<uint32_t>(len->integer(0, 65535));
    if (auto data = node.find("data")) {
        pattern.data = data->string();
        if (pattern.length && *pattern.length != pattern.data->size()) {
            data->refuse("'len' says " + std::to_string(*pattern.length) +
                         " bytes but the data is " + std::to_string(pattern.data->size()) +
                         " bytes (UTF-8)");
        }
    }
    for (const char* key : {"from", "to"}) {
        if (auto end = node.find(key)) {
            deferred_.push_back(
                DeferredEndpoint{step, index, key[0] == 'f', end->nonEmptyString(), end->path()});
        }
    }
    if (pattern.kind == PacketKind::IcmpPortUnreachable) {
        for (const char* key : {"from", "to", "len", "data"}) {
            if (auto bad = node.find(key)) {
                bad->refuse(
                    "an ICMP error is sent by the kernel itself, not by an actor's socket: "
                    "only 'kind' and 'ip' apply to it");
            }
        }
    }
    return pattern;
}

void LessonBuilder::readExpect(const Node& node, Step& step) {
    node.allowOnly(kExpectKeys, "expect");
    Expect& expect = step.expect;
    const std::string call(callName(step.call));

    const auto packets = node.find("packets");
    const auto include = node.find("packets_include");
    if (packets && include) {
        include->refuse(
            "give either 'packets' (exactly these) or 'packets_include' (these among "
            "others), not both");
    }
    if (packets || include) {
        const Node& list = packets ? *packets : *include;
        list.requireArray("packets, each \"SYN,ACK\", \"UDP\", … or an object");
        if (include && list.size() == 0) {
            list.refuse(
                "'packets_include' needs at least one packet; for \"no packets at all\" "
                "write \"packets\": []");
        }
        expect.packet_match = packets ? PacketMatch::Exact : PacketMatch::Include;
        for (size_t i = 0; i < list.size(); ++i) {
            expect.packets.push_back(readPattern(list[i], step.index, static_cast<int>(i)));
        }
    }

    if (auto error = node.find("error")) {
        const std::string name = error->nonEmptyString();
        const auto value = errnoFromName(name);
        if (!value) {
            error->refuse("unknown errno name '" + name + "'" + didYouMean(name, errnoNames()) +
                          "; for example EADDRINUSE, ECONNREFUSED, EAGAIN");
        }
        expect.error = ErrnoExpect{name, *value};
        for (const char* key : {"returns", "data", "data_matches", "peer"}) {
            if (auto other = node.find(key)) {
                other->refuse("a call that fails returns -1 and nothing else: remove '" +
                              std::string(key) + "' or 'error'");
            }
        }
    }

    const bool receives = oneOf(step.call, {Call::Recv, Call::Recvfrom});
    const bool sends = oneOf(step.call, {Call::Send, Call::Sendall, Call::Sendto});
    const int bufsize = receives ? std::get<RecvArgs>(step.args).bufsize : 0;

    if (auto returns = node.find("returns")) {
        if (!receives && !sends) {
            returns->refuse(
                "'returns' is the number of bytes sent or received: it applies to "
                "send, sendall, sendto, recv and recvfrom, not to " +
                call);
        }
        expect.returns = returns->integer(0, 16 * 1024 * 1024);
        if (receives && *expect.returns > bufsize) {
            returns->refuse(call + "(" + std::to_string(bufsize) + ") returns at most " +
                            std::to_string(bufsize) + " bytes, not " +
                            std::to_string(*expect.returns));
        }
        if (sends) {
            const Payload& payload = step.call == Call::Sendto
                                         ? std::get<SendtoArgs>(step.args).data
                                         : std::get<SendArgs>(step.args).data;
            if (!payload.computed() &&
                *expect.returns != static_cast<int64_t>(payload.text.size())) {
                returns->refuse("the data is " + std::to_string(payload.text.size()) +
                                " bytes (UTF-8), so " + call + " returns " +
                                std::to_string(payload.text.size()) + ", not " +
                                std::to_string(*expect.returns));
            }
        }
    }

    const auto data = node.find("data");
    const auto matches = node.find("data_matches");
    if (data && matches) matches->refuse("give either 'data' or 'data_matches', not both");
    for (const char* key : {"data", "data_matches"}) {
        if (auto field = node.find(key); field && !receives) {
            field->refuse("'" + std::string(key) +
                          "' is what a recv or recvfrom returns; it does not apply to " + call);
        }
    }
    if (data) {
        expect.data = data->string();
        if (static_cast<int>(expect.data->size()) > bufsize) {
            data->refuse("the text is " + std::to_string(expect.data->size()) +
                         " bytes (UTF-8), "
                         "more than " +
                         call + "(" + std::to_string(bufsize) + ") can return");
        }
        if (expect.returns && *expect.returns != static_cast<int64_t>(expect.data->size())) {
            data->refuse("'returns' says " + std::to_string(*expect.returns) + " but the text is " +
                         std::to_string(expect.data->size()) + " bytes (UTF-8)");
        }
    }
    if (matches) {
        expect.data_matches = matches->nonEmptyString();
        // std::regex compiles and matches recursively: keep patterns to what a lesson needs.
        if (expect.data_matches->size() > 200) {
            matches->refuse("a pattern longer than 200 characters; describe the text more simply");
        }
        try {
            std::regex check(*expect.data_matches, std::regex::ECMAScript);
        } catch (const std::regex_error& error) {
            matches->refuse("not a valid regular expression (ECMAScript): " +
                            std::string(error.what()));
        }
    }

    if (auto peer = node.find("peer")) {
        if (!oneOf(step.call, {Call::Accept, Call::Recvfrom})) {
            peer->refuse(
                "'peer' is who is at the other end of what accept or recvfrom returns; "
                "it does not apply to " +
                call);
        }
        expect.peer = EndpointRef{};
        deferred_.push_back(
            DeferredEndpoint{step.index, -1, false, peer->nonEmptyString(), peer->path()});
    }

    if (auto pending = node.find("pending")) {
        if (!oneOf(step.call, {Call::Accept, Call::Recv, Call::Recvfrom})) {
            pending->refuse("only accept, recv and recvfrom can stay blocked across steps, not " +
                            call);
        }
        expect.pending = pending->boolean();
    }

    if (auto states = node.find("states")) {
        states->requireObject("socket name → TCP state, e.g. {\"conn\": \"TIME-WAIT\"}");
        for (const std::string& key : states->keys()) {
            const Node value = states->at(key);
            StateExpect state;
            state.socket = socketForState(value, key, step.actor);
            const std::string name = value.string();
            const auto parsed = tcpStateFromName(name);
            if (!parsed) {
                value.refuse("unknown TCP state '" + name + "'" +
                             didYouMean(name, tcpStateNames()) +
                             "; states are written as ss writes them: LISTEN, ESTABLISHED, "
                             "TIME-WAIT…, and CLOSED for none");
            }
            state.state = *parsed;
            expect.states.push_back(state);
        }
    }
}

void LessonBuilder::resolveEndpoints() {
    for (const DeferredEndpoint& ref : deferred_) {
        EndpointRef endpoint;
        std::string actor_name = ref.text;
        std::string socket_name;
        const size_t dot = ref.text.find('.');
        if (dot != std::string::npos) {
            actor_name = ref.text.substr(0, dot);
            socket_name = ref.text.substr(dot + 1);
        }
        const nlohmann::json actor_json = actor_name;
        endpoint.actor = actorNamed(Node(actor_json, ref.path));
        if (!socket_name.empty()) {
            // The definition in force at the step, else the first one after it (a client that
            // is created after the server's accept started waiting).
            int before = -1;
            int after = -1;
            for (size_t i = 0; i < lesson_.sockets.size(); ++i) {
                const SocketDecl& decl = lesson_.sockets[i];
                if (decl.actor != endpoint.actor || decl.name != socket_name) continue;
                if (decl.created_by <= ref.step) before = static_cast<int>(i);
                if (decl.created_by > ref.step && after < 0) after = static_cast<int>(i);
            }
            endpoint.socket = before >= 0 ? before : after;
            if (endpoint.socket < 0) {
                refuse(ref.path, "actor '" + actor_name + "' has no socket named '" + socket_name +
                                     "' anywhere in the lesson");
            }
        }
        Step& step = lesson_.steps[static_cast<size_t>(ref.step)];
        if (ref.pattern < 0) {
            step.expect.peer = endpoint;
        } else if (ref.from) {
            step.expect.packets[static_cast<size_t>(ref.pattern)].from = endpoint;
        } else {
            step.expect.packets[static_cast<size_t>(ref.pattern)].to = endpoint;
        }
    }
}

}  // namespace osilab::lesson::detail
