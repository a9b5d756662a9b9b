#include "lab/cli/session_events_view.h"

#include <cstdio>

#include "lab/cli/json_lines.h"

namespace osilab::cli {

namespace {

std::string callText(const runner::SessionEvent& e) {
    return e.call_actor + " " + e.call.call + "(" + e.call.args + ")";
}

std::string resultText(const runner::CallRecord& call) {
    std::string text = " = " + std::to_string(call.result);
    if (call.error) text += " " + call.errno_name + " (" + call.error_message + ")";
    if (!call.peer.empty()) text += " from " + call.peer;
    if (!call.data.empty() && (call.call == "recv" || call.call == "recvfrom")) {
        text += " data ";
        appendJsonString(text, call.data);
    }
    char took[48];
    std::snprintf(took, sizeof took, "  [%.3f ms]", double(call.end_ns - call.start_ns) / 1e6);
    text += took;
    if (call.timed_out) text += " (timed out: the runner unblocked it)";
    return text;
}

std::string where(const runner::SocketState& s) {
    std::string text = s.local.empty() ? "-" : s.local;
    if (!s.remote.empty()) text += " → " + s.remote;
    return text;
}

}  // namespace

void SessionEventsView::append(std::string& out, const capture::CustomBlockRecord& block) {
    if (block.pen != runner::kOsilabPen) return;
    auto event = runner::decodeSessionEvent(block.data.data(), block.data.size());
    if (event) append(out, *event);
}

void SessionEventsView::append(std::string& out, const runner::SessionEvent& e) {
    if (form_ == EventsForm::Json) {
        const std::string fields = runner::sessionEventJson(e);
        out += "{\"event\":\"";
        out += runner::sessionEventKindName(e.kind);
        out += '"';
        if (fields.size() > 2) {
            out += ',';
            out.append(fields, 1);
        } else {
            out += '}';
        }
        out += '\n';
        return;
    }
    switch (e.kind) {
        case runner::SessionEventKind::RunStart:
            step_count_ = e.run.step_count;
            out += "== lesson " + e.run.lesson_id + ": " + (zh_ ? e.run.title_zh : e.run.title_en) +
                   " (" + std::to_string(e.run.step_count) + " steps, " +
                   (e.run.network.empty() ? "private" : e.run.network) + " network) ==\n";
            if (form_ == EventsForm::Verbose)
                out += "   " + (zh_ ? e.run.summary_zh : e.run.summary_en) + "\n";
            return;
        case runner::SessionEventKind::StepMark: appendStep(out, e.step); return;
        case runner::SessionEventKind::SocketCall: appendCall(out, e); return;
        case runner::SessionEventKind::StateSnapshot: appendStates(out, e.states); return;
        case runner::SessionEventKind::StepEnd:
            if (form_ == EventsForm::Verbose) {
                out += "── end of step " + std::to_string(e.step_end.step + 1);
                out += e.step_end.call_pending ? ", its call still blocked ──\n" : " ──\n";
            } else if (e.step_end.call_pending) {
                out += "   (step " + std::to_string(e.step_end.step + 1) +
                       " ends with its call still blocked)\n";
            }
            return;
    }
}

void SessionEventsView::appendStep(std::string& out, const runner::StepMark& step) {
    // Appended piece by piece: GCC 12 warns (-Wrestrict, falsely) on "literal" + std::string.
    out.append("── step ").append(std::to_string(step.step + 1));
    if (step_count_ > 0) out.append("/").append(std::to_string(step_count_));
    out.append(" · ").append(step.actor).append(" · ").append(step.call).append(" ── ");
    out += zh_ ? step.say_zh : step.say_en;
    out += '\n';
    if (form_ != EventsForm::Verbose) return;
    out.append("   python: ").append(step.python).append("\n");
    out.append("   C:      ").append(step.c).append("\n");
    if (step.ask) {
        out.append("   ? ").append(zh_ ? step.ask->text_zh : step.ask->text_en).append("\n");
        for (size_t i = 0; i < step.ask->choices.size(); ++i) {
            const auto& [zh, en] = step.ask->choices[i];
            out.append("     ").append(std::to_string(i + 1)).append(") ").append(zh_ ? zh : en);
            if (int(i) == step.ask->answer) out += "  ✓";
            out += '\n';
        }
    }
}

void SessionEventsView::appendCall(std::string& out, const runner::SessionEvent& e) {
    if (!e.call.returned) {
        out += "   call     " + callText(e) + "\n";
        return;
    }
    out += "   returned " + callText(e) + resultText(e.call) + "\n";
}

void SessionEventsView::appendStates(std::string& out, const runner::StateSnapshotEvent& states) {
    const bool before = states.phase == "before";
    // In the summary a "before" snapshot mostly repeats the last "after": only changes show.
    if (form_ == EventsForm::Summary && before && states.states == last_states_) return;
    last_states_ = states.states;
    const std::string title = std::string(before ? "before" : "after") + " step " +
                              std::to_string(states.step + 1);
    if (form_ == EventsForm::Summary) {
        out += "   states   " + title + ":";
        if (states.states.empty()) out += " (no socket yet)";
        for (size_t i = 0; i < states.states.size(); ++i) {
            const auto& s = states.states[i];
            out += i ? "; " : " ";
            out += s.socket + " " + s.state + " " + where(s);
        }
        out += '\n';
        return;
    }
    out += "   states " + title + ":" + (states.states.empty() ? " (no socket yet)\n" : "\n");
    for (const auto& s : states.states) {
        char line[160];
        std::snprintf(line, sizeof line, "     %-16s %-7s %-12s ", s.socket.c_str(),
                      s.fd >= 0 ? ("fd " + std::to_string(s.fd)).c_str() : "closed",
                      s.state.c_str());
        out += line;
        out += where(s);
        out += '\n';
    }
}

}  // namespace osilab::cli
