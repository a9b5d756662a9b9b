#include "lab/lesson/lesson_builder.h"

#include <algorithm>
#include <optional>

#include "lab/lesson/names.h"
#include "lab/lesson/suggest.h"

namespace osilab::lesson::detail {
namespace {

const std::vector<std::string_view> kCommonKeys = {"actor", "call", "say", "code", "expect", "ask"};
const std::vector<std::string_view> kAllArgKeys = {
    "family", "type",    "proto", "as",        "sock",    "option", "value",
    "addr",   "backlog", "data",  "data_from", "bufsize", "to",     "how"};

std::vector<std::string_view> argKeys(Call call) {
    switch (call) {
        case Call::Socket: return {"family", "type", "proto", "as"};
        case Call::Setsockopt: return {"sock", "option", "value"};
        case Call::Bind: return {"sock", "addr"};
        case Call::Listen: return {"sock", "backlog"};
        case Call::Accept: return {"sock", "as"};
        case Call::Connect: return {"sock", "addr"};
        case Call::Send:
        case Call::Sendall: return {"sock", "data", "data_from"};
        case Call::Recv:
        case Call::Recvfrom: return {"sock", "bufsize", "as"};
        case Call::Sendto: return {"sock", "data", "data_from", "addr", "to"};
        case Call::Shutdown: return {"sock", "how"};
        case Call::Close: return {"sock"};
    }
    return {};
}

std::string joined(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::string_view name : names) {
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out;
}

template <typename T>
struct Choice {
    std::string_view name;
    T value;
};

template <typename T, size_t N>
T readChoice(const Node& node, std::string_view what, const Choice<T> (&choices)[N]) {
    const std::string value = node.string();
    std::vector<std::string_view> names;
    for (const auto& choice : choices) {
        if (choice.name == value) return choice.value;
        names.push_back(choice.name);
    }
    node.refuse("unknown " + std::string(what) + " '" + value + "'" + didYouMean(value, names) +
                "; one of: " + joined(names));
}

constexpr Choice<Family> kFamilies[] = {
    {"inet", Family::Inet}, {"inet6", Family::Inet6}, {"unix", Family::Unix}};
constexpr Choice<SocketType> kTypes[] = {{"stream", SocketType::Stream},
                                         {"dgram", SocketType::Dgram}};
constexpr Choice<Protocol> kProtocols[] = {
    {"default", Protocol::Default}, {"tcp", Protocol::Tcp}, {"udp", Protocol::Udp}};
constexpr Choice<ShutdownHow> kHows[] = {
    {"rd", ShutdownHow::Read}, {"wr", ShutdownHow::Write}, {"rdwr", ShutdownHow::Both}};

bool validName(const std::string& name) {
    if (name.empty() || name.size() > 32) return false;
    const auto letter = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    };
    if (!letter(name[0])) return false;
    return std::all_of(name.begin(), name.end(),
                       [&](char c) { return letter(c) || (c >= '0' && c <= '9'); });
}

Code readCode(const Node& node) {
    node.allowOnly({"python", "c"}, "code");
    return Code{node.at("python").nonEmptyString(), node.at("c").nonEmptyString()};
}

Question readQuestion(const Node& node) {
    node.allowOnly({"zh", "en", "choices", "answer"}, "ask");
    Question question;
    question.text.zh = node.at("zh").nonEmptyString();
    question.text.en = node.at("en").nonEmptyString();
    if (auto choices = node.find("choices")) {
        choices->requireArray("the possible answers");
        if (choices->size() < 2 || choices->size() > 8) {
            choices->refuse("give 2 to 8 choices, not " + std::to_string(choices->size()));
        }
        for (size_t i = 0; i < choices->size(); ++i) {
            question.choices.push_back(readText((*choices)[i], "a choice"));
        }
        question.answer = static_cast<int>(
            node.at("answer").integer(0, static_cast<int64_t>(question.choices.size()) - 1));
    } else if (auto answer = node.find("answer")) {
        answer->refuse("an answer needs choices: add \"choices\" or remove \"answer\"");
    }
    return question;
}

int optionMax(SocketOption option) {
    switch (option) {
        case SocketOption::RcvBuf:
        case SocketOption::SndBuf: return 16 * 1024 * 1024;
        case SocketOption::RcvTimeo:
        case SocketOption::SndTimeo: return 60000;
        case SocketOption::Linger: return 60;
        default: return 1;
    }
}

int optionMin(SocketOption option) {
    return option == SocketOption::RcvBuf || option == SocketOption::SndBuf ? 1 : 0;
}

// The problem the kernel would report for this call, and its errno; "" when the call can work.
struct KernelProblem {
    std::string text;
    std::string_view errno_name;
    bool always = false;  // not a kernel error but a misuse no lesson should show
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// Names

int LessonBuilder::actorNamed(const Node& node) const {
    const std::string name = node.nonEmptyString();
    std::vector<std::string_view> names;
    for (size_t i = 0; i < lesson_.actors.size(); ++i) {
        if (lesson_.actors[i].name == name) return static_cast<int>(i);
        names.push_back(lesson_.actors[i].name);
    }
    node.refuse("unknown actor '" + name + "'" + didYouMean(name, names) +
                "; the actors are: " + joined(names));
}

std::string LessonBuilder::socketLabel(int socket) const {
    const SocketDecl& decl = lesson_.sockets[static_cast<size_t>(socket)];
    return "socket '" + decl.name + "' of actor '" +
           lesson_.actors[static_cast<size_t>(decl.actor)].name + "'";
}

int LessonBuilder::openSocket(const Node& node, int actor) const {
    const std::string name = node.nonEmptyString();
    const auto it = current_socket_.find({actor, name});
    const std::string& actor_name = lesson_.actors[static_cast<size_t>(actor)].name;
    if (it == current_socket_.end()) {
        if (current_message_.count({actor, name})) {
            node.refuse("'" + name + "' is a message actor '" + actor_name +
                        "' received, not a socket");
        }
        for (const auto& [key, socket] : current_socket_) {
            if (key.second == name) {
                node.refuse("actor '" + actor_name + "' has no socket '" + name + "': '" + name +
                            "' belongs to actor '" +
                            lesson_.actors[static_cast<size_t>(key.first)].name +
                            "', and an actor can only use its own sockets");
            }
        }
        std::vector<std::string_view> names;
        for (const auto& [key, socket] : current_socket_) {
            if (key.first == actor) names.push_back(key.second);
        }
        node.refuse("actor '" + actor_name + "' has no socket named '" + name + "' yet" +
                    didYouMean(name, names) +
                    " (a socket gets its name from the 'as' of a socket or accept step, which "
                    "must come before it is used)");
    }
    const int socket = it->second;
    if (facts_[static_cast<size_t>(socket)].closed) {
        const int closed_by = lesson_.sockets[static_cast<size_t>(socket)].closed_by;
        node.refuse(socketLabel(socket) + " was closed at /steps/" + std::to_string(closed_by) +
                    "; a closed socket cannot be used again (make a new one with a socket step)");
    }
    return socket;
}

int LessonBuilder::defineSocket(const Node& node, int actor, int step, Family family,
                                SocketType type, bool accepted) {
    const std::string name = node.string();
    if (!validName(name)) {
        node.refuse("'" + name +
                    "' is not a usable socket name: use letters, digits and '_', "
                    "starting with a letter, at most 32 (like a Python variable)");
    }
    const auto it = current_socket_.find({actor, name});
    if (it != current_socket_.end() && !facts_[static_cast<size_t>(it->second)].closed) {
        node.refuse(socketLabel(it->second) + " (from /steps/" +
                    std::to_string(lesson_.sockets[static_cast<size_t>(it->second)].created_by) +
                    ") is still open: close it first or choose another name");
    }
    if (current_message_.count({actor, name})) {
        node.refuse("'" + name + "' already names a message actor '" +
                    lesson_.actors[static_cast<size_t>(actor)].name + "' received");
    }
    SocketDecl decl;
    decl.name = name;
    decl.actor = actor;
    decl.family = family;
    decl.type = type;
    decl.accepted = accepted;
    decl.created_by = step;
    lesson_.sockets.push_back(decl);
    facts_.emplace_back();
    const int index = static_cast<int>(lesson_.sockets.size()) - 1;
    current_socket_[{actor, name}] = index;
    return index;
}

int LessonBuilder::messageNamed(const Node& node, int actor, bool need_sender) const {
    const std::string name = node.nonEmptyString();
    const auto it = current_message_.find({actor, name});
    const std::string& actor_name = lesson_.actors[static_cast<size_t>(actor)].name;
    if (it == current_message_.end()) {
        std::vector<std::string_view> names;
        for (const auto& [key, message] : current_message_) {
            if (key.first == actor) names.push_back(key.second);
        }
        node.refuse(
            "actor '" + actor_name + "' has received no message named '" + name + "'" +
            didYouMean(name, names) +
            " (a recv or recvfrom step names what it receives with 'as', before it is used)");
    }
    const MessageDecl& message = lesson_.messages[static_cast<size_t>(it->second)];
    if (need_sender && !message.has_sender) {
        node.refuse("message '" + name +
                    "' was received with recv(), which does not say who sent "
                    "it: receive it with recvfrom to be able to reply to its sender");
    }
    return it->second;
}

int LessonBuilder::defineMessage(const Node& node, int actor, int step, bool has_sender) {
    const std::string name = node.string();
    if (!validName(name)) {
        node.refuse("'" + name +
                    "' is not a usable message name: use letters, digits and '_', "
                    "starting with a letter, at most 32 (like a Python variable)");
    }
    if (current_socket_.count({actor, name})) {
        node.refuse("'" + name + "' already names a socket of actor '" +
                    lesson_.actors[static_cast<size_t>(actor)].name + "'");
    }
    lesson_.messages.push_back(MessageDecl{name, actor, step, has_sender});
    const int index = static_cast<int>(lesson_.messages.size()) - 1;
    current_message_[{actor, name}] = index;  // a later `as` with the same name replaces it
    return index;
}

int LessonBuilder::socketForState(const Node& node, const std::string& key, int actor) const {
    std::string name = key;
    const size_t dot = key.find('.');
    if (dot != std::string::npos) {
        const nlohmann::json actor_json = key.substr(0, dot);
        actor = actorNamed(Node(actor_json, node.path()));
        name = key.substr(dot + 1);
    }
    const auto it = current_socket_.find({actor, name});
    if (it == current_socket_.end()) {
        std::vector<std::string_view> names;
        for (const auto& [k, socket] : current_socket_) {
            if (k.first == actor) names.push_back(k.second);
        }
        node.refuse("actor '" + lesson_.actors[static_cast<size_t>(actor)].name +
                    "' has no socket named '" + name + "' at this step" + didYouMean(name, names) +
                    " (write 'name' for the step's own actor, 'actor.name' for another's)");
    }
    const SocketDecl& decl = lesson_.sockets[static_cast<size_t>(it->second)];
    if (!decl.isTcp()) {
        node.refuse("states are TCP states, and " + socketLabel(it->second) + " is " +
                    (decl.family == Family::Unix ? "an AF_UNIX socket" : "a UDP socket"));
    }
    return it->second;
}

// ---------------------------------------------------------------------------------------------
// Steps

void LessonBuilder::readSteps(const Node& steps) {
    steps.requireArray("the steps of the lesson");
    if (steps.size() == 0) steps.refuse("a lesson needs at least one step");
    pending_step_.assign(lesson_.actors.size(), -1);
    other_actor_since_.assign(lesson_.actors.size(), false);
    for (size_t i = 0; i < steps.size(); ++i) readStep(steps[i], static_cast<int>(i));
    finish();
    resolveEndpoints();
}

void LessonBuilder::readStep(const Node& node, int index) {
    node.requireObject("a step");
    Step step;
    step.index = index;
    step.path = node.path();
    step.actor = actorNamed(node.at("actor"));

    const Node call_node = node.at("call");
    const std::string call_name = call_node.string();
    const auto call = callFromName(call_name);
    if (!call) {
        call_node.refuse("unknown call '" + call_name + "'" + didYouMean(call_name, callNames()) +
                         "; one of: " + joined(callNames()));
    }
    step.call = *call;

    std::vector<std::string_view> allowed = kCommonKeys;
    const std::vector<std::string_view> args = argKeys(step.call);
    allowed.insert(allowed.end(), args.begin(), args.end());
    for (const std::string& key : node.keys()) {
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        const std::string path = childPath(node.path(), key);
        if (std::find(kAllArgKeys.begin(), kAllArgKeys.end(), key) != kAllArgKeys.end()) {
            refuse(path, "field '" + key + "' does not apply to call '" + call_name + "' (" +
                             call_name + " takes: " + joined(args) + ")");
        }
        refuse(path, "unknown field '" + key + "' in a step" + didYouMean(key, allowed) + "; a " +
                         call_name + " step takes: " + joined(allowed));
    }

    // Order matters for the messages: first whether this actor may act now, then its arguments,
    // then whether the kernel would accept the call, then the names it defines, then the claims.
    const int actor = step.actor;
    if (pending_step_[static_cast<size_t>(actor)] >= 0) {
        const int pending = pending_step_[static_cast<size_t>(actor)];
        if (!other_actor_since_[static_cast<size_t>(actor)]) {
            node.refuse("actor '" + lesson_.actors[static_cast<size_t>(actor)].name +
                        "' is still blocked in " +
                        std::string(callName(lesson_.steps[static_cast<size_t>(pending)].call)) +
                        "() from /steps/" + std::to_string(pending) +
                        " (expect.pending): a step of another actor must come first to let it "
                        "return");
        }
        pending_step_[static_cast<size_t>(actor)] = -1;
    }
    for (size_t other = 0; other < pending_step_.size(); ++other) {
        if (static_cast<int>(other) != actor && pending_step_[other] >= 0) {
            other_actor_since_[other] = true;
        }
    }

    step.say = readText(node.at("say"), "say");
    step.code = readCode(node.at("code"));
    if (auto ask = node.find("ask")) step.ask = readQuestion(*ask);

    readArgs(node, step);
    checkKernelRules(node, step);

    const bool fails = node.has("expect") && node.at("expect").has("error");
    if (auto as = node.find("as")) {
        if (fails) {
            as->refuse("a call expected to fail creates nothing: remove 'as' (or the error)");
        }
        if (step.call == Call::Socket) {
            const auto& socket_args = std::get<SocketArgs>(step.args);
            step.creates =
                defineSocket(*as, actor, index, socket_args.family, socket_args.type, false);
        } else if (step.call == Call::Accept) {
            const SocketDecl& listener = lesson_.sockets[static_cast<size_t>(step.socket)];
            step.creates = defineSocket(*as, actor, index, listener.family, listener.type, true);
        } else {
            step.message = defineMessage(*as, actor, index, step.call == Call::Recvfrom);
        }
    } else if ((step.call == Call::Socket || step.call == Call::Accept) && !fails) {
        node.refuse("missing field 'as': name the socket that " + call_name +
                    "() returns, so later steps can use it");
    }

    lesson_.steps.push_back(std::move(step));
    Step& stored = lesson_.steps.back();
    if (auto expect = node.find("expect")) readExpect(*expect, stored);
    if (stored.expect.pending) {
        pending_step_[static_cast<size_t>(actor)] = index;
        other_actor_since_[static_cast<size_t>(actor)] = false;
    }
    applyEffects(stored);
}

void LessonBuilder::readArgs(const Node& node, Step& step) {
    if (step.call != Call::Socket) step.socket = openSocket(node.at("sock"), step.actor);
    const SocketDecl* decl =
        step.socket >= 0 ? &lesson_.sockets[static_cast<size_t>(step.socket)] : nullptr;

    const auto readAddr = [&](const Node& addr_node) {
        auto parsed = parseAddress(addr_node.nonEmptyString());
        if (!parsed) addr_node.refuse(parsed.error().message);
        Address address = std::move(parsed).value();
        if (address.family != decl->family) {
            addr_node.refuse("'" + address.text + "' is an " +
                             std::string(familyConstant(address.family)) + " address, but " +
                             socketLabel(step.socket) + " is " +
                             std::string(familyConstant(decl->family)));
        }
        return address;
    };

    switch (step.call) {
        case Call::Socket: {
            SocketArgs args;
            args.family = readChoice(node.at("family"), "family", kFamilies);
            args.type = readChoice(node.at("type"), "type", kTypes);
            if (auto proto = node.find("proto"))
                args.proto = readChoice(*proto, "proto", kProtocols);
            step.args = args;
            break;
        }
        case Call::Setsockopt: {
            SetsockoptArgs args;
            const Node option = node.at("option");
            const std::string name = option.string();
            const auto parsed = optionFromName(name);
            if (!parsed) {
                option.refuse("unknown option '" + name + "'" + didYouMean(name, optionNames()) +
                              "; one of: " + joined(optionNames()));
            }
            args.option = *parsed;
            args.value = static_cast<int>(
                node.at("value").integer(optionMin(args.option), optionMax(args.option)));
            step.args = args;
            break;
        }
        case Call::Bind: step.args = BindArgs{readAddr(node.at("addr"))}; break;
        case Call::Connect: step.args = ConnectArgs{readAddr(node.at("addr"))}; break;
        case Call::Listen:
            step.args = ListenArgs{static_cast<int>(node.at("backlog").integer(0, 4096))};
            break;
        case Call::Accept: step.args = AcceptArgs{}; break;
        case Call::Send:
        case Call::Sendall: step.args = SendArgs{readPayload(node, step)}; break;
        case Call::Recv:
        case Call::Recvfrom:
            step.args = RecvArgs{static_cast<int>(node.at("bufsize").integer(1, 65536))};
            break;
        case Call::Sendto: {
            SendtoArgs args;
            args.data = readPayload(node, step);
            const auto addr = node.find("addr");
            const auto to = node.find("to");
            if (addr && to) {
                to->refuse(
                    "give either 'addr' or 'to' (the sender of a received message), not both");
            }
            if (!addr && !to) {
                node.refuse(
                    "missing field 'addr' (or 'to': a message received earlier, to reply "
                    "to its sender)");
            }
            if (addr) args.addr = readAddr(*addr);
            if (to) args.to_message = messageNamed(*to, step.actor, true);
            step.args = args;
            break;
        }
        case Call::Shutdown:
            step.args = ShutdownArgs{readChoice(node.at("how"), "how", kHows)};
            break;
        case Call::Close: step.args = CloseArgs{}; break;
    }
}

Payload LessonBuilder::readPayload(const Node& node, const Step& step) {
    Payload payload;
    const auto data = node.find("data");
    const auto from = node.find("data_from");
    if (data && from) from->refuse("give either 'data' or 'data_from', not both");
    if (data) {
        payload.text = data->string();
        return payload;
    }
    if (!from) node.refuse("missing field 'data' (the text to send)");
    from->allowOnly({"strftime", "default"}, "data_from");
    payload.strftime_of = messageNamed(from->at("strftime"), step.actor, false);
    payload.default_format = from->at("default").nonEmptyString();
    return payload;
}

void LessonBuilder::checkKernelRules(const Node& node, const Step& step) {
    std::optional<KernelProblem> problem;
    const auto make = [&](std::string text, std::string_view errno_name, bool always = false) {
        problem = KernelProblem{std::move(text), errno_name, always};
    };
    if (step.call == Call::Socket) {
        const auto& args = std::get<SocketArgs>(step.args);
        const bool mismatch = args.proto != Protocol::Default &&
                              (args.family == Family::Unix ||
                               (args.proto == Protocol::Tcp) != (args.type == SocketType::Stream));
        if (mismatch) {
            make("socket(" + std::string(familyConstant(args.family)) + ", " +
                     std::string(socketTypeConstant(args.type)) + ", " +
                     (args.proto == Protocol::Tcp ? "IPPROTO_TCP" : "IPPROTO_UDP") +
                     ") fails: TCP is the stream protocol and UDP the datagram one, and AF_UNIX "
                     "takes neither",
                 "EPROTONOSUPPORT");
        }
    } else {
        const SocketDecl& decl = lesson_.sockets[static_cast<size_t>(step.socket)];
        const SocketFacts& facts = facts_[static_cast<size_t>(step.socket)];
        const std::string label = socketLabel(step.socket);
        const bool stream = decl.type == SocketType::Stream;
        switch (step.call) {
            case Call::Setsockopt:
                if (std::get<SetsockoptArgs>(step.args).option == SocketOption::NoDelay &&
                    !decl.isTcp()) {
                    make("TCP_NODELAY is a TCP option, and " + label + " is not a TCP socket",
                         "ENOPROTOOPT");
                }
                break;
            case Call::Bind:
                if (facts.bound) {
                    make(label +
                             " already has an address (bind, connect or a first send gave "
                             "it one); a socket is bound once",
                         "EINVAL");
                }
                break;
            case Call::Listen:
                if (!stream) {
                    make(label + " is a datagram socket: only stream sockets listen", "EOPNOTSUPP");
                } else if (facts.connected) {
                    make(label + " is connected: a connected socket cannot listen", "EINVAL");
                }
                break;
            case Call::Accept:
                if (!stream) {
                    make(label + " is a datagram socket: there are no connections to accept",
                         "EOPNOTSUPP");
                } else if (!facts.listening) {
                    make(label + " is not listening: accept() needs listen() first", "EINVAL");
                }
                break;
            case Call::Connect:
                if (stream && facts.listening) {
                    make(label + " is listening: a listening socket accepts, it does not connect",
                         "EISCONN");
                } else if (stream && facts.connected) {
                    make(label + " is already connected", "EISCONN");
                }
                break;
            case Call::Send:
            case Call::Sendall:
                if (stream && facts.listening) {
                    make(label +
                             " is listening: it has no connection to send on (send on the "
                             "socket accept() returned)",
                         "EPIPE");
                } else if (stream && !facts.connected) {
                    make(label + " is not connected: connect() first", "EPIPE");
                } else if (!stream && !facts.connected) {
                    make(label +
                             " is a datagram socket without a peer: use sendto, or connect() "
                             "first",
                         "EDESTADDRREQ");
                } else if (facts.shut_wr) {
                    make(label + " was shut down for writing", "EPIPE");
                }
                break;
            case Call::Recv:
            case Call::Recvfrom:
                if (stream && step.call == Call::Recvfrom) {
                    make("recvfrom is for datagram sockets, and " + label +
                             " is a stream socket: use recv",
                         "", true);
                } else if (stream && facts.listening) {
                    make(label +
                             " is listening: it only accepts connections (recv on the socket "
                             "accept() returned)",
                         "ENOTCONN");
                } else if (stream && !facts.connected) {
                    make(label + " is not connected: there is nothing to receive from", "ENOTCONN");
                } else if (!stream && !facts.bound && !facts.connected) {
                    make(label +
                             " has no address yet, so no datagram can ever reach it: bind it, "
                             "or send from it first",
                         "EAGAIN");
                }
                break;
            case Call::Sendto:
                if (stream) {
                    make("sendto is for datagram sockets, and " + label +
                             " is a stream socket: use send",
                         "", true);
                } else if (facts.shut_wr) {
                    make(label + " was shut down for writing", "EPIPE");
                }
                break;
            case Call::Shutdown:
                if (!facts.connected) {
                    make(label + " is not connected: there is nothing to shut down", "ENOTCONN");
                }
                break;
            default: break;
        }
    }
    if (!problem) return;
    const bool fails = node.has("expect") && node.at("expect").has("error");
    const std::string path = childPath(node.path(), "call");
    if (problem->always) refuse(path, problem->text);
    if (!fails) {
        refuse(path, problem->text + " (the kernel says " + std::string(problem->errno_name) +
                         "; if the lesson means to show that, add \"expect\": {\"error\": \"" +
                         std::string(problem->errno_name) + "\"})");
    }
}

void LessonBuilder::applyEffects(const Step& step) {
    if (step.call == Call::Close) {
        facts_[static_cast<size_t>(step.socket)].closed = true;
        lesson_.sockets[static_cast<size_t>(step.socket)].closed_by = step.index;
        return;
    }
    if (step.expect.error || step.call == Call::Socket) return;
    SocketFacts& facts = facts_[static_cast<size_t>(step.socket)];
    const SocketDecl& decl = lesson_.sockets[static_cast<size_t>(step.socket)];
    const bool named_by_kernel = decl.family != Family::Unix;  // AF_UNIX sockets stay unnamed
    switch (step.call) {
        case Call::Bind: facts.bound = true; break;
        case Call::Listen:
            facts.listening = true;
            facts.bound = true;
            break;
        case Call::Accept: {
            SocketFacts& made = facts_[static_cast<size_t>(step.creates)];
            made.bound = true;
            made.connected = true;
            break;
        }
        case Call::Connect:
            facts.connected = true;
            if (named_by_kernel) facts.bound = true;
            break;
        case Call::Sendto:
            if (named_by_kernel) facts.bound = true;
            break;
        case Call::Shutdown: {
            const ShutdownHow how = std::get<ShutdownArgs>(step.args).how;
            if (how != ShutdownHow::Write) facts.shut_rd = true;
            if (how != ShutdownHow::Read) facts.shut_wr = true;
            break;
        }
        default: break;
    }
}

void LessonBuilder::finish() {
    for (size_t actor = 0; actor < pending_step_.size(); ++actor) {
        const int pending = pending_step_[actor];
        if (pending >= 0 && !other_actor_since_[actor]) {
            refuse(
                childPath(lesson_.steps[static_cast<size_t>(pending)].path, "expect") + "/pending",
                std::string(callName(lesson_.steps[static_cast<size_t>(pending)].call)) +
                    "() of actor '" + lesson_.actors[actor].name +
                    "' would still be blocked when the lesson ends: no later step of another "
                    "actor can let it return");
        }
    }
}

}  // namespace osilab::lesson::detail
