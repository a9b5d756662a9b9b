#include "lab/session/lesson_timeline.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "lab/packet/dissector.h"

namespace osilab::session {

namespace {

using runner::SessionEvent;
using runner::SessionEventKind;

// The calls that put packets on the wire from the caller's side: when a packet's source address
// is not yet known, the actor in one of these calls at that moment sent it.
bool sendsPackets(const std::string& call) {
    static const char* const kSending[] = {"connect", "send",  "sendto",  "sendall",
                                           "write",   "close", "shutdown"};
    for (const char* name : kSending)
        if (call == name) return true;
    return false;
}

std::string firstArg(const std::string& args) {
    return args.substr(0, args.find(", "));
}

// "sk, 127.0.0.1:8898" → "127.0.0.1:8898" (bind and connect name one address after the socket).
std::string addressArg(const std::string& args) {
    const size_t comma = args.find(", ");
    if (comma == std::string::npos) return {};
    std::string rest = args.substr(comma + 2);
    return rest.find(':') != std::string::npos && rest.find(' ') == std::string::npos
               ? rest
               : std::string();
}

// "0.0.0.0:0": a socket not bound yet; no lifeline for it.
bool unbound(const std::string& address) {
    return address.size() >= 2 && address.compare(address.size() - 2, 2, ":0") == 0;
}

// "0.0.0.0:8898" / "[::]:8898" → "8898": a socket bound to every address of the host, whose
// packets carry a concrete address with this port.
std::string wildcardPort(const std::string& address) {
    for (const char* any : {"0.0.0.0:", "[::]:"}) {
        const size_t n = std::strlen(any);
        if (address.compare(0, n, any) == 0) return address.substr(n);
    }
    return {};
}

std::string portOf(const std::string& address) {
    const size_t colon = address.rfind(':');
    return colon == std::string::npos ? std::string() : address.substr(colon + 1);
}

std::string joinAddress(const std::string& host, uint64_t port) {
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
}

}  // namespace

const runner::SocketState* LessonSocket::stateAt(int step) const {
    for (int s = std::min<int>(step, int(after_step.size()) - 1); s >= 0; --s)
        if (after_step[size_t(s)]) return &*after_step[size_t(s)];
    return nullptr;
}

void LessonTimeline::reset(const Session* session) {
    static std::atomic<uint64_t> generations{0};
    *this = LessonTimeline();
    session_ = session;
    generation_ = ++generations;
}

bool LessonTimeline::update() {
    if (session_ == nullptr) return false;
    const auto& events = session_->events();
    const size_t event_count = events.size();
    const uint64_t packet_count = session_->packetCount();
    const uint64_t version_before = version_;
    for (; events_read_ < event_count; ++events_read_) {
        const TimelineEvent& raw = events[events_read_];
        if (raw.pen != runner::kOsilabPen) continue;
        auto event = runner::decodeSessionEvent(raw.data.data(), raw.data.size());
        if (!event) continue;
        event->packets_before = std::min<uint64_t>(raw.packets_before, packet_count);
        if (!lesson_) {
            lesson_ = true;
            ++version_;
        }
        // Packets and records in file order, so a packet sees the calls running when it was sent.
        if (event->packets_before > packets_read_)
            readPackets(packets_read_, event->packets_before);
        apply(*event);
        ++version_;
    }
    if (lesson_ && packet_count > packets_read_) readPackets(packets_read_, packet_count);
    if (open_step_ >= 0 && !steps_[size_t(open_step_)].ended &&
        steps_[size_t(open_step_)].end_packet != packet_count) {
        steps_[size_t(open_step_)].end_packet = packet_count;
        ++version_;
    }
    if (version_ != version_before) rebuildEndpoints();
    return version_ != version_before;
}

LessonStep& LessonTimeline::stepAt(int step) {
    if (step >= int(steps_.size())) {
        const size_t old = steps_.size();
        steps_.resize(size_t(step) + 1);
        for (size_t i = old; i < steps_.size(); ++i) steps_[i].step = int(i);
    }
    return steps_[size_t(step)];
}

LessonSocket& LessonTimeline::socketNamed(const std::string& name, int instance) {
    for (LessonSocket& s : sockets_)
        if (s.name == name && s.instance == instance) return s;
    LessonSocket& s = sockets_.emplace_back();
    s.name = name;
    s.instance = instance;
    s.actor = name.substr(0, name.find('.'));
    noteActor(s.actor);
    return s;
}

void LessonTimeline::noteActor(const std::string& actor) {
    if (actor.empty()) return;
    if (std::find(actors_.begin(), actors_.end(), actor) == actors_.end()) actors_.push_back(actor);
}

void LessonTimeline::noteAddress(const std::string& address, const std::string& actor) {
    if (address.empty() || actor.empty() || unbound(address)) return;
    if (const std::string port = wildcardPort(address); !port.empty())
        wildcard_actor_.emplace(port, actor);
    else
        address_actor_.emplace(address, actor);
}

void LessonTimeline::apply(const SessionEvent& e) {
    switch (e.kind) {
        case SessionEventKind::RunStart:
            static_cast<runner::RunStart&>(run_) = e.run;
            run_.known = true;
            {
                // The lesson's order first, then whatever the records named before.
                std::vector<std::string> ordered = e.run.actors;
                for (const std::string& a : actors_)
                    if (std::find(ordered.begin(), ordered.end(), a) == ordered.end())
                        ordered.push_back(a);
                actors_ = std::move(ordered);
            }
            break;
        case SessionEventKind::StepMark: {
            if (e.step.step < 0) break;
            LessonStep& s = stepAt(e.step.step);
            s.marked = true;
            s.actor = e.step.actor;
            s.call = e.step.call;
            s.say_zh = e.step.say_zh;
            s.say_en = e.step.say_en;
            s.python = e.step.python;
            s.c = e.step.c;
            s.start_ns = e.step.start_ns;
            s.ask = e.step.ask;
            s.first_packet = s.end_packet = e.packets_before;
            noteActor(s.actor);
            // A previous step left open (a killed run) ends where this one begins.
            if (open_step_ >= 0 && open_step_ != e.step.step && !steps_[size_t(open_step_)].ended) {
                steps_[size_t(open_step_)].ended = true;
                steps_[size_t(open_step_)].end_packet = e.packets_before;
            }
            open_step_ = e.step.step;
            if (e.step.end_ns != 0) {  // older files: the mark was written when the step ended
                s.end_ns = e.step.end_ns;
                s.call_pending = e.step.call_pending;
            }
            break;
        }
        case SessionEventKind::StepEnd: {
            if (e.step_end.step < 0) break;
            LessonStep& s = stepAt(e.step_end.step);
            s.ended = true;
            s.end_ns = e.step_end.end_ns;
            s.call_pending = e.step_end.call_pending;
            s.end_packet = std::max(s.first_packet, e.packets_before);
            break;
        }
        case SessionEventKind::SocketCall: {
            const runner::CallRecord& c = e.call;
            const std::string actor = !e.call_actor.empty() ? e.call_actor
                                      : (c.actor >= 0 && size_t(c.actor) < run_.actors.size())
                                          ? run_.actors[size_t(c.actor)]
                                          : std::string();
            noteActor(actor);
            // The return of a call whose start was recorded: same actor, same start.
            LessonCall* call = nullptr;
            for (auto it = calls_.rbegin(); it != calls_.rend(); ++it) {
                if (it->actor == actor && it->start_ns == c.start_ns && it->call == c.call) {
                    call = &*it;
                    break;
                }
            }
            const bool is_new = call == nullptr;
            if (is_new) {
                call = &calls_.emplace_back();
                call->packets_at_start = e.packets_before;
            }
            const size_t index = size_t(call - calls_.data());
            call->step = c.step;
            call->actor = actor;
            call->actor_index = c.actor;
            call->call = c.call;
            call->args = c.args;
            call->timed_out = c.timed_out;
            call->result = c.result;
            call->errno_name = c.errno_name;
            call->error_message = c.error_message;
            call->start_ns = c.start_ns;
            call->end_ns = c.end_ns;
            call->data = c.data;
            call->peer = c.peer;
            const std::string first = firstArg(c.args);
            if (!actor.empty() && !first.empty() && first.find('_') == std::string::npos)
                call->socket = actor + "." + first;  // "AF_INET, …" (socket()) names none
            if (call->call == "bind" && !call->socket.empty()) {
                const std::string address = addressArg(c.args);
                if (!address.empty() && c.returned && c.errno_name.empty()) {
                    if (wildcardPort(address).empty() && !unbound(address))
                        socket_address_.emplace(call->socket, address);
                    noteAddress(address, actor);
                }
            }
            if (is_new && c.step >= 0) stepAt(c.step).calls_started.push_back(index);
            if (c.returned && !call->returned) {
                call->returned = true;
                // The live order writes the return inside the step it happened in; the older
                // order writes every call inside its own step.
                call->returned_step = open_step_ >= 0 ? std::max(open_step_, c.step) : c.step;
                if (call->returned_step >= 0)
                    stepAt(call->returned_step).calls_returned.push_back(index);
            }
            break;
        }
        case SessionEventKind::StateSnapshot:
            applySnapshot(e.states);
            if (e.states.phase != "before" && e.states.step >= 0) {
                LessonStep& s = stepAt(e.states.step);
                // Older files have no StepEnd: the "after" snapshot closes the step.
                if (!s.ended) {
                    s.ended = true;
                    s.end_packet = std::max(s.first_packet, e.packets_before);
                }
            }
            break;
    }
}

void LessonTimeline::applySnapshot(const runner::StateSnapshotEvent& snapshot) {
    if (snapshot.step < 0) return;
    LessonStep& step = stepAt(snapshot.step);
    const bool before = snapshot.phase == "before";
    (before ? step.before : step.after) = snapshot.states;
    // A lesson may use a socket's name again for a new socket (a client reconnecting): a
    // snapshot then lists both, the older first; the k-th of a name is its k-th instance.
    std::map<std::string, int> seen;
    for (const runner::SocketState& state : snapshot.states) {
        LessonSocket& s = socketNamed(state.socket, seen[state.socket]++);
        if (state.fd >= 0) s.fd = state.fd;
        if (!state.local.empty() && !unbound(state.local)) {
            s.local = state.local;
            if (wildcardPort(state.local).empty() && s.instance == 0)
                socket_address_.emplace(s.name, state.local);
            noteAddress(state.local, s.actor);
        }
        if (!state.remote.empty()) s.remote = state.remote;
        // A "before" snapshot is the state after the previous step.
        const int at = before ? snapshot.step - 1 : snapshot.step;
        if (at < 0) continue;
        if (s.after_step.size() <= size_t(at)) s.after_step.resize(size_t(at) + 1);
        if (!before || !s.after_step[size_t(at)]) s.after_step[size_t(at)] = state;
        if (s.first_step < 0 || at < s.first_step) s.first_step = at;
    }
}

void LessonTimeline::readPackets(uint64_t from, uint64_t to) {
    packet::Dissection d;
    packet_ends_.resize(size_t(to));
    // Only the addresses are read: no stream state is needed, so packets are dissected alone.
    for (uint64_t i = from; i < to; ++i) {
        const PacketIndex& index = session_->packet(size_t(i));
        if (!index.isTcp() && !index.isUdp()) continue;
        d = packet::dissectOne(session_->packetView(size_t(i)), {.fields = true});
        uint64_t sport = 0, dport = 0;
        bool have_ports = false;
        for (const packet::Field& f : d.fields) {
            if (f.info == nullptr) continue;
            const char* name = f.info->name;
            if (std::strcmp(name, "tcp.srcport") == 0 || std::strcmp(name, "udp.srcport") == 0) {
                sport = f.number;
                have_ports = true;
            } else if (std::strcmp(name, "tcp.dstport") == 0 ||
                       std::strcmp(name, "udp.dstport") == 0) {
                dport = f.number;
            }
        }
        if (!have_ports) continue;
        PacketEnds& ends = packet_ends_[size_t(i)];
        ends.source = joinAddress(d.summary.source, sport);
        ends.destination = joinAddress(d.summary.destination, dport);
        if (actorOfAddress(ends.source).empty()) {
            // Whose packet: the one actor busy in a sending call when it went out.
            std::string sender;
            bool ambiguous = false;
            const LessonCall* by = nullptr;
            for (const LessonCall& c : calls_) {
                if (c.actor.empty() || !sendsPackets(c.call)) continue;
                if (c.start_ns > index.time_ns) continue;
                if (c.returned && c.end_ns < index.time_ns) continue;
                if (!sender.empty() && sender != c.actor) ambiguous = true;
                sender = c.actor;
                by = &c;
            }
            if (!sender.empty() && !ambiguous) {
                guessed_.emplace(ends.source, sender);
                if (by != nullptr && !by->socket.empty())
                    socket_address_.emplace(by->socket, ends.source);
            }
        }
    }
    packets_read_ = to;
    if (to > from) ++version_;
}

std::string LessonTimeline::actorOfAddress(const std::string& address) const {
    if (auto it = address_actor_.find(address); it != address_actor_.end()) return it->second;
    if (auto it = wildcard_actor_.find(portOf(address)); it != wildcard_actor_.end())
        return it->second;
    if (auto it = guessed_.find(address); it != guessed_.end()) return it->second;
    return {};
}

void LessonTimeline::addEndpoint(const std::string& actor, const std::string& address) {
    const LessonEndpoint e{actor, address};
    if (std::find(endpoints_.begin(), endpoints_.end(), e) == endpoints_.end())
        endpoints_.push_back(e);
}

void LessonTimeline::rebuildEndpoints() {
    // Addresses in the order they appear: sockets' first addresses, then packets' ends.
    std::vector<std::string> addresses;
    auto add = [&](const std::string& a) {
        if (!a.empty() && std::find(addresses.begin(), addresses.end(), a) == addresses.end())
            addresses.push_back(a);
    };
    for (const LessonCall& c : calls_) {
        if (auto it = socket_address_.find(c.socket); it != socket_address_.end()) add(it->second);
    }
    for (const LessonSocket& s : sockets_) {
        for (const auto& state : s.after_step)
            if (state && !unbound(state->local) && wildcardPort(state->local).empty())
                add(state->local);
        if (auto it = socket_address_.find(s.name); it != socket_address_.end()) add(it->second);
    }
    for (const PacketEnds& p : packet_ends_) {
        add(p.source);
        add(p.destination);
    }
    endpoints_.clear();
    // Grouped by actor, in the lesson's order; an actor without an address gets a lifeline of
    // its own so its first calls have somewhere to go.
    for (const std::string& actor : actors_) {
        bool any = false;
        for (const std::string& a : addresses) {
            if (actorOfAddress(a) == actor) {
                addEndpoint(actor, a);
                any = true;
            }
        }
        if (!any) addEndpoint(actor, "");
    }
    for (const std::string& a : addresses)
        if (actorOfAddress(a).empty()) addEndpoint("", a);
}

int LessonTimeline::endpointOfAddress(const std::string& address) const {
    const std::string actor = actorOfAddress(address);
    for (size_t i = 0; i < endpoints_.size(); ++i)
        if (endpoints_[i].address == address && endpoints_[i].actor == actor) return int(i);
    return -1;
}

std::string LessonTimeline::socketOfCall(const LessonCall& call) const {
    if (!call.socket.empty() || call.call != "socket" || !call.returned || call.step < 0 ||
        size_t(call.step) >= steps_.size())
        return call.socket;
    // socket() names no socket: the new one is the actor's socket with the returned descriptor.
    const auto& after = steps_[size_t(call.step)].after;
    if (after) {
        for (const runner::SocketState& s : *after)
            if (s.fd == call.result &&
                s.socket.compare(0, call.actor.size() + 1, call.actor + ".") == 0)
                return s.socket;
    }
    return {};
}

const LessonSocket* LessonTimeline::socketInstanceOfCall(const LessonCall& call) const {
    const std::string name = socketOfCall(call);
    if (name.empty()) return nullptr;
    // The instance open when the call ran: open after its step, or (close) just before it.
    auto openAt = [](const LessonSocket& s, int step) {
        return step >= 0 && size_t(step) < s.after_step.size() && s.after_step[size_t(step)] &&
               s.after_step[size_t(step)]->fd >= 0;
    };
    const LessonSocket* first = nullptr;
    for (const LessonSocket& s : sockets_) {
        if (s.name != name) continue;
        if (first == nullptr) first = &s;
        if (openAt(s, call.step)) return &s;
    }
    for (const LessonSocket& s : sockets_)
        if (s.name == name && openAt(s, call.step - 1)) return &s;
    return first;
}

int LessonTimeline::endpointOfCall(const LessonCall& call) const {
    const std::string socket = socketOfCall(call);
    if (const LessonSocket* s = socketInstanceOfCall(call); s != nullptr) {
        // The first address the socket had at or after the call's step (bind and connect
        // give it one during the step).
        std::string address;
        for (size_t k = size_t(std::max(call.step, 0)); k < s->after_step.size() && address.empty();
             ++k) {
            const auto& state = s->after_step[k];
            if (state && !state->local.empty() && !unbound(state->local) &&
                wildcardPort(state->local).empty())
                address = state->local;
        }
        const int e = address.empty() ? -1 : endpointOfAddress(address);
        if (e >= 0 && endpoints_[size_t(e)].actor == call.actor) return e;
    }
    if (auto it = socket_address_.find(socket); it != socket_address_.end()) {
        const int e = endpointOfAddress(it->second);
        if (e >= 0 && endpoints_[size_t(e)].actor == call.actor) return e;
    }
    for (size_t i = 0; i < endpoints_.size(); ++i)
        if (endpoints_[i].actor == call.actor) return int(i);
    return -1;
}

int LessonTimeline::stepOfPacket(uint64_t packet) const {
    int found = -1;
    for (const LessonStep& s : steps_)
        if (s.marked && s.first_packet <= packet &&
            (found < 0 || s.first_packet >= steps_[size_t(found)].first_packet))
            found = s.step;
    return found;
}

int LessonTimeline::currentStep() const {
    if (open_step_ < 0 || steps_[size_t(open_step_)].ended) return -1;
    return open_step_;
}

}  // namespace osilab::session
