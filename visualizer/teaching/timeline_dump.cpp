#include "visualizer/teaching/timeline_dump.h"

#include <sstream>

#include "lab/packet/layer.h"

namespace osilab::viewer::teaching {

namespace {

// "[SYN, ACK]" from a TCP info line, "" when it has none.
std::string flagsOf(const std::string& info) {
    const size_t open = info.find('[');
    const size_t close = open == std::string::npos ? open : info.find(']', open);
    if (close == std::string::npos) return {};
    return info.substr(open, close - open + 1);
}

}  // namespace

std::string timelineDump(const LessonPlayer& player, const Model& model) {
    std::ostringstream out;
    const session::LessonTimeline& timeline = player.timeline();
    out << "lesson " << player.lessonId() << "\n";
    out << "mode " << (player.mode() == PlayMode::Live ? "live" : "recorded") << "\n";
    out << "steps_shown " << player.shownSteps() << "\n";
    const session::Session* session = model.session();
    for (const session::LessonStep& s : timeline.steps()) {
        if (s.step >= player.shownSteps()) break;
        out << "step " << s.step + 1 << " " << s.actor << " " << s.call << " packets "
            << s.end_packet - s.first_packet << (s.call_pending ? " pending" : "") << "\n";
        for (uint64_t p = s.first_packet; session != nullptr && p < s.end_packet; ++p) {
            if (p >= session->packetCount()) break;
            out << "  packet " << packet::protocolDisplay(session->packet(p).protocol);
            const std::string flags = flagsOf(model.rowText(p).info);
            if (!flags.empty()) out << " " << flags;
            out << "\n";
        }
        for (size_t index : s.calls_started) {
            if (index >= timeline.calls().size()) continue;
            const session::LessonCall& c = timeline.calls()[index];
            out << "  call " << c.actor << " " << c.call << " ";
            // A recording holds the whole run: what returns after the last step shown is
            // still pending at that point, as it was live.
            if (c.pending() || c.returned_step >= player.shownSteps())
                out << "pending";
            else if (c.failed())
                out << "error " << c.errno_name;
            else if ((c.call == "socket" || c.call == "accept") && c.result >= 0)
                out << "returned a descriptor";  // its number depends on what else is open
            else
                out << "returned " << c.result;
            out << "\n";
        }
        if (s.after) {
            for (const runner::SocketState& state : *s.after)
                out << "  state " << state.socket << " " << state.state << "\n";
        }
    }
    return out.str();
}

}  // namespace osilab::viewer::teaching
