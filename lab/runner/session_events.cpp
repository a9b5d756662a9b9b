#include "lab/runner/session_events.h"

#include <cstring>
#include <nlohmann/json.hpp>

namespace osilab::runner {

namespace {

using nlohmann::json;

constexpr auto kReplace = json::error_handler_t::replace;

json textPair(const std::string& zh, const std::string& en) { return {{"zh", zh}, {"en", en}}; }

json toJson(const SessionEvent& e) {
    switch (e.kind) {
        case SessionEventKind::StepMark: {
            json j = {{"step", e.step.step},
                      {"actor", e.step.actor},
                      {"call", e.step.call},
                      {"say", textPair(e.step.say_zh, e.step.say_en)},
                      {"code", {{"python", e.step.python}, {"c", e.step.c}}},
                      {"start_ns", e.step.start_ns},
                      {"end_ns", e.step.end_ns},
                      {"pending", e.step.call_pending}};
            if (e.step.ask) {
                json choices = json::array();
                for (const auto& [zh, en] : e.step.ask->choices) choices.push_back(textPair(zh, en));
                j["ask"] = {{"text", textPair(e.step.ask->text_zh, e.step.ask->text_en)},
                            {"choices", choices},
                            {"answer", e.step.ask->answer}};
            }
            return j;
        }
        case SessionEventKind::SocketCall: {
            const CallRecord& c = e.call;
            return {{"step", c.step},         {"actor", e.call_actor},   {"actor_index", c.actor},
                    {"call", c.call},         {"args", c.args},         {"returned", c.returned},
                    {"timed_out", c.timed_out}, {"result", c.result},   {"errno", c.error},
                    {"errno_name", c.errno_name}, {"error_message", c.error_message},
                    {"start_ns", c.start_ns}, {"end_ns", c.end_ns},
                    {"data", c.data},         {"peer", c.peer}};
        }
        case SessionEventKind::StateSnapshot: {
            json states = json::array();
            for (const SocketState& s : e.states.states)
                states.push_back({{"socket", s.socket}, {"state", s.state}, {"fd", s.fd},
                                  {"local", s.local}, {"remote", s.remote}});
            return {{"step", e.states.step}, {"time_ns", e.states.time_ns},
                    {"phase", e.states.phase}, {"states", states}};
        }
        case SessionEventKind::StepEnd:
            return {{"step", e.step_end.step}, {"end_ns", e.step_end.end_ns},
                    {"pending", e.step_end.call_pending}};
        case SessionEventKind::RunStart:
            return {{"lesson", e.run.lesson_id},
                    {"title", textPair(e.run.title_zh, e.run.title_en)},
                    {"summary", textPair(e.run.summary_zh, e.run.summary_en)},
                    {"step_count", e.run.step_count},
                    {"actors", e.run.actors},
                    {"network", e.run.network}};
    }
    return json::object();
}

// Fields added after the first files were written are optional: absent means the default.
template <typename T>
void optionalField(const json& j, const char* name, T& out) {
    auto it = j.find(name);
    if (it != j.end() && !it->is_null()) out = it->get<T>();
}

}  // namespace

std::string sessionEventJson(const SessionEvent& event) {
    return toJson(event).dump(-1, ' ', false, kReplace);
}

const char* sessionEventKindName(SessionEventKind kind) {
    switch (kind) {
        case SessionEventKind::StepMark: return "step";
        case SessionEventKind::SocketCall: return "call";
        case SessionEventKind::StateSnapshot: return "states";
        case SessionEventKind::StepEnd: return "step_end";
        case SessionEventKind::RunStart: return "run_start";
    }
    return "unknown";
}

std::vector<uint8_t> encodeSessionEvent(const SessionEvent& event) {
    std::string text = sessionEventJson(event);
    std::vector<uint8_t> out{'O', 'S', 'L', 'B', kSessionFormatVersion, uint8_t(event.kind), 0, 0};
    uint32_t n = uint32_t(text.size());
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(n >> shift));
    out.insert(out.end(), text.begin(), text.end());
    return out;
}

std::optional<SessionEventKind> peekSessionEventKind(const uint8_t* data, size_t size) {
    if (size < 12 || std::memcmp(data, "OSLB", 4) != 0 || data[4] != kSessionFormatVersion)
        return std::nullopt;
    if (data[5] < uint8_t(SessionEventKind::StepMark) || data[5] > uint8_t(SessionEventKind::RunStart))
        return std::nullopt;
    return SessionEventKind(data[5]);
}

std::optional<SessionEvent> decodeSessionEvent(const uint8_t* data, size_t size) {
    if (size < 12 || std::memcmp(data, "OSLB", 4) != 0 || data[4] != kSessionFormatVersion)
        return std::nullopt;
    uint32_t n = uint32_t(data[8]) << 24 | uint32_t(data[9]) << 16 | uint32_t(data[10]) << 8 | data[11];
    if (n > size - 12) return std::nullopt;
    json j = json::parse(data + 12, data + 12 + n, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    SessionEvent e;
    try {
        switch (data[5]) {
            case 1:
                e.kind = SessionEventKind::StepMark;
                e.step.step = j.at("step");
                e.step.actor = j.at("actor");
                e.step.call = j.at("call");
                e.step.say_zh = j.at("say").at("zh");
                e.step.say_en = j.at("say").at("en");
                e.step.python = j.at("code").at("python");
                e.step.c = j.at("code").at("c");
                e.step.start_ns = j.at("start_ns");
                e.step.end_ns = j.at("end_ns");
                e.step.call_pending = j.at("pending");
                if (auto ask = j.find("ask"); ask != j.end() && ask->is_object()) {
                    StepQuestion q;
                    q.text_zh = ask->at("text").at("zh");
                    q.text_en = ask->at("text").at("en");
                    for (const auto& c : ask->at("choices")) q.choices.emplace_back(c.at("zh"), c.at("en"));
                    q.answer = ask->at("answer");
                    e.step.ask = std::move(q);
                }
                break;
            case 2:
                e.kind = SessionEventKind::SocketCall;
                e.call.step = j.at("step");
                e.call_actor = j.at("actor");
                e.call.actor = j.at("actor_index");
                e.call.call = j.at("call");
                e.call.args = j.at("args");
                e.call.returned = j.at("returned");
                e.call.timed_out = j.at("timed_out");
                e.call.result = j.at("result");
                e.call.error = j.at("errno");
                e.call.errno_name = j.at("errno_name");
                e.call.error_message = j.at("error_message");
                e.call.start_ns = j.at("start_ns");
                e.call.end_ns = j.at("end_ns");
                e.call.data = j.at("data");
                e.call.peer = j.at("peer");
                break;
            case 3:
                e.kind = SessionEventKind::StateSnapshot;
                e.states.step = j.at("step");
                e.states.time_ns = j.at("time_ns");
                optionalField(j, "phase", e.states.phase);
                for (const auto& s : j.at("states")) {
                    SocketState state;
                    state.socket = s.at("socket");
                    state.state = s.at("state");
                    optionalField(s, "fd", state.fd);
                    optionalField(s, "local", state.local);
                    optionalField(s, "remote", state.remote);
                    e.states.states.push_back(std::move(state));
                }
                break;
            case 4:
                e.kind = SessionEventKind::StepEnd;
                e.step_end.step = j.at("step");
                e.step_end.end_ns = j.at("end_ns");
                e.step_end.call_pending = j.at("pending");
                break;
            case 5:
                e.kind = SessionEventKind::RunStart;
                e.run.lesson_id = j.at("lesson");
                e.run.title_zh = j.at("title").at("zh");
                e.run.title_en = j.at("title").at("en");
                e.run.summary_zh = j.at("summary").at("zh");
                e.run.summary_en = j.at("summary").at("en");
                e.run.step_count = j.at("step_count");
                e.run.actors = j.at("actors").get<std::vector<std::string>>();
                optionalField(j, "network", e.run.network);
                break;
            default:
                return std::nullopt;
        }
    } catch (const json::exception&) {
        return std::nullopt;
    }
    return e;
}

}  // namespace osilab::runner
