#include "visualizer/teaching/ladder_layout.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "visualizer/teaching/tcp_state_inference.h"

namespace osilab::viewer {

namespace {

using session::LessonCall;
using session::LessonTimeline;

// One row of the diagram, in time order within its step.
struct Row {
    enum Kind { CallStart, Packet, CallReturn } kind;
    int64_t time_ns = 0;
    size_t index = 0;  // call or packet
    int order = 0;     // ties: a call starts before its packets, returns after them
};

const packet::Field* findField(const packet::Dissection& d, const char* name) {
    for (const packet::Field& f : d.fields)
        if (f.info != nullptr && std::strcmp(f.info->name, name) == 0) return &f;
    return nullptr;
}

std::string shortSocket(const std::string& name) {
    const size_t dot = name.find('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

std::string callLabel(const LessonCall& c) {
    return c.call + "(" + c.args + ")";
}

std::string callResult(const LessonCall& c) {
    if (c.pending()) return "…";
    if (c.timed_out) return "timed out";
    if (!c.errno_name.empty()) return c.errno_name;
    if (c.call == "recv" || c.call == "recvfrom") {
        std::string text = "→ " + std::to_string(c.result);
        if (!c.data.empty()) {
            std::string shown = c.data.size() > 24 ? c.data.substr(0, 24) + "…" : c.data;
            for (char& ch : shown)
                if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
            text += " \"" + shown + "\"";
        }
        return text;
    }
    return "→ " + std::to_string(c.result);
}

}  // namespace

float estimateTextWidth(std::string_view text, float font_size) {
    float width = 0;
    for (size_t i = 0; i < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        const size_t n = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        // Three-byte UTF-8 is where CJK lives (and the arrows, which are about as wide).
        width += n >= 3 ? font_size : 0.55f * font_size;
        i += n;
    }
    return width;
}

std::string ladderPacketLabel(const packet::Dissection& d) {
    if (d.conversation == packet::ConversationKind::TcpStream) {
        const packet::Field* flags = findField(d, "tcp.flags");
        const packet::Field* seq = findField(d, "tcp.seq");
        const packet::Field* ack = findField(d, "tcp.ack");
        const packet::Field* len = findField(d, "tcp.len");
        std::string text = flags && flags->meaning ? flags->meaning : "TCP";
        if (seq) text += "  Seq=" + std::to_string(seq->number);
        if (ack && flags && (flags->number & 0x10)) text += " Ack=" + std::to_string(ack->number);
        if (len) text += " Len=" + std::to_string(len->number);
        return text;
    }
    if (d.conversation == packet::ConversationKind::UdpFlow) {
        const packet::Field* length = findField(d, "udp.length");
        std::string text = "UDP";
        if (length && length->number >= 8) text += "  Len=" + std::to_string(length->number - 8);
        return text;
    }
    return {};
}

int LadderLayout::arrowAt(float x, float y, float tolerance) const {
    int best = -1;
    float best_distance = tolerance;
    for (size_t i = 0; i < arrows.size(); ++i) {
        const LadderArrow& a = arrows[i];
        const float dx = a.x1 - a.x0, dy = a.y1 - a.y0;
        const float length2 = dx * dx + dy * dy;
        float t = length2 > 0 ? ((x - a.x0) * dx + (y - a.y0) * dy) / length2 : 0;
        t = std::clamp(t, 0.0f, 1.0f);
        const float px = a.x0 + t * dx - x, py = a.y0 + t * dy - y;
        float distance = std::sqrt(px * px + py * py);
        // The label belongs to its arrow too.
        if (y >= a.label_y && y <= a.label_y + font_size && x >= std::min(a.x0, a.x1) &&
            x <= std::max(a.x0, a.x1))
            distance = 0;
        if (distance <= best_distance) {
            best_distance = distance;
            best = int(i);
        }
    }
    return best;
}

int LadderLayout::arrowOfPacket(size_t packet) const {
    for (size_t i = 0; i < arrows.size(); ++i)
        if (arrows[i].packet == packet) return int(i);
    return -1;
}

LadderLayout layoutLadder(const LessonTimeline& timeline, session::Redissector& packets,
                          const LadderStyle& style) {
    LadderLayout out;
    const float em = style.font_size;
    out.font_size = em;
    auto width = [&](std::string_view text) {
        return style.text_width ? style.text_width(text) : estimateTextWidth(text, em);
    };
    const auto& steps = timeline.steps();
    const auto& calls = timeline.calls();
    const auto& endpoints = timeline.endpoints();
    const int last_step = std::max(-1, std::min(style.last_step, int(steps.size()) - 1));
    const session::Session* session = timeline.session();
    const uint64_t packet_count = session ? session->packetCount() : 0;

    // Rows per step, in time order; packets before the first step go with step 0.
    std::vector<std::vector<Row>> rows(size_t(std::max(last_step + 1, 0)));
    std::vector<std::string> labels(static_cast<size_t>(packet_count));
    std::vector<TcpSegmentFacts> segments(static_cast<size_t>(packet_count));
    for (size_t i = 0; i < calls.size(); ++i) {
        const LessonCall& c = calls[i];
        if (c.step < 0 || c.step > last_step) continue;
        rows[size_t(c.step)].push_back(Row{Row::CallStart, c.start_ns, i, 0});
        if (c.returned && c.returned_step >= 0 && c.returned_step <= last_step)
            rows[size_t(c.returned_step)].push_back(Row{Row::CallReturn, c.end_ns, i, 2});
    }
    packet::Dissection d;
    for (uint64_t p = 0; p < packet_count && p < timeline.packetEnds().size(); ++p) {
        const auto& ends = timeline.packetEnds()[size_t(p)];
        if (ends.source.empty()) continue;
        const int step = std::max(timeline.stepOfPacket(p), 0);
        if (step > last_step) continue;
        if (timeline.endpointOfAddress(ends.source) < 0 ||
            timeline.endpointOfAddress(ends.destination) < 0)
            continue;
        packets.dissect(size_t(p), {.fields = true}, d);
        labels[size_t(p)] = ladderPacketLabel(d);
        if (d.conversation == packet::ConversationKind::TcpStream) {
            TcpSegmentFacts& f = segments[size_t(p)];
            const packet::Field* flags = findField(d, "tcp.flags");
            const uint64_t bits = flags ? flags->number : 0;
            f.fin = bits & 0x01;
            f.syn = bits & 0x02;
            f.rst = bits & 0x04;
            f.ack = bits & 0x10;
            if (const packet::Field* seq = findField(d, "tcp.seq")) f.seq = seq->number;
            if (const packet::Field* ack = findField(d, "tcp.ack")) f.ack_number = ack->number;
            if (const packet::Field* len = findField(d, "tcp.len")) f.len = len->number;
        }
        rows[size_t(step)].push_back(
            Row{Row::Packet, session->packet(size_t(p)).time_ns, size_t(p), 1});
    }
    for (auto& r : rows)
        std::stable_sort(r.begin(), r.end(), [](const Row& a, const Row& b) {
            if (a.time_ns != b.time_ns) return a.time_ns < b.time_ns;
            return a.order < b.order;
        });

    // Columns: wide enough for the longest arrow label between neighbours and for the titles.
    float label_max = 0;
    for (const std::string& l : labels) label_max = std::max(label_max, width(l));
    float call_max = 0;
    for (const LessonCall& c : calls)
        call_max = std::max(call_max, width(callLabel(c)) + width("  → 999"));
    float title_max = 0;
    for (const auto& e : endpoints)
        title_max = std::max({title_max, width(e.actor), width(e.address)});
    const float column =
        std::max({label_max + 3 * em, title_max + 2 * em, call_max + 1.5f * em, 12 * em});
    const float margin = em;
    // An address is written on its lifeline once the steps shown have used it: a recording knows
    // the client's port from the start, the live run only from its connect().
    std::vector<std::string> seen;
    for (int s = 0; s <= last_step; ++s) {
        for (const auto* states : {&steps[size_t(s)].before, &steps[size_t(s)].after})
            if (*states)
                for (const runner::SocketState& st : **states) {
                    seen.push_back(st.local);
                    seen.push_back(st.remote);
                }
        for (uint64_t p = steps[size_t(s)].first_packet;
             p < steps[size_t(s)].end_packet && p < timeline.packetEnds().size(); ++p) {
            seen.push_back(timeline.packetEnds()[size_t(p)].source);
            seen.push_back(timeline.packetEnds()[size_t(p)].destination);
        }
    }
    out.lifelines.reserve(endpoints.size());
    for (size_t i = 0; i < endpoints.size(); ++i) {
        LadderLifeline l;
        l.actor = endpoints[i].actor;
        if (l.actor.empty() ||
            std::find(seen.begin(), seen.end(), endpoints[i].address) != seen.end())
            l.address = endpoints[i].address;
        l.x = margin + column * (float(i) + 0.5f);
        l.title_y = margin * 0.5f;
        out.lifelines.push_back(std::move(l));
    }
    out.header_height = margin * 0.5f + 2.6f * em + 0.6f * em;
    const float row_height = 2.3f * em;
    const float band_height = 1.7f * em;
    const float bar_half = 0.35f * em;
    float y = out.header_height;

    // Open call boxes by call index, closed when the return row comes.
    std::map<size_t, size_t> open_box;
    // Last state written per socket, to write only changes.
    std::map<std::string, std::string> shown_state;
    // States between the snapshots, from the segments; and the names the snapshots so far gave
    // each connection end (key into shown_state, short name), to label what is inferred.
    TcpStateInference inference;
    std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> end_names;

    auto lifelineOfSocket = [&](const std::string& socket_name, const std::string& local) -> int {
        if (!local.empty()) {
            const int e = timeline.endpointOfAddress(local);
            if (e >= 0) return e;
        }
        const std::string actor = socket_name.substr(0, socket_name.find('.'));
        for (size_t i = 0; i < endpoints.size(); ++i)
            if (endpoints[i].actor == actor) return int(i);
        return -1;
    };
    // One row of state labels (several sockets of one lifeline changing at once: one line each).
    auto labelRow = [&](std::vector<LadderStateLabel> changed) {
        if (changed.empty()) return;
        std::map<int, int> per_lifeline;
        float extra = 0;
        for (LadderStateLabel& l : changed) {
            const int line = per_lifeline[l.lifeline]++;
            l.y = y + 0.75f * em + float(line) * 1.4f * em;
            extra = std::max(extra, float(line) * 1.4f * em);
            out.states.push_back(std::move(l));
        }
        y += 1.5f * em + extra;
    };
    auto stateRow = [&](const std::vector<runner::SocketState>& states) {
        std::vector<LadderStateLabel> changed;
        std::map<std::string, int> seen;  // a name used again: the k-th is another socket
        for (const runner::SocketState& s : states) {
            const std::string key = s.socket + "#" + std::to_string(seen[s.socket]++);
            if (!s.local.empty() && !s.remote.empty() && s.state != "UNCONNECTED" &&
                s.state != "CONNECTED") {
                inference.observe(s.local, s.remote, s.state);
                end_names[{s.local, s.remote}] = {key, shortSocket(s.socket)};
            }
            auto it = shown_state.find(key);
            if (it != shown_state.end() && it->second == s.state) continue;
            // UDP has no states: "UNCONNECTED"/"CONNECTED" only say whether a peer is fixed.
            if (s.state == "UNCONNECTED" || s.state == "CONNECTED") continue;
            if (it == shown_state.end() && (s.state.empty() || s.state == "CLOSED")) {
                shown_state[key] = s.state;
                continue;  // a socket not opened yet is not news
            }
            shown_state[key] = s.state;
            std::string local = s.local;
            if (local.empty()) {
                for (const auto& sock : timeline.sockets())
                    if (sock.name == s.socket) local = sock.local;
            }
            const int lifeline = lifelineOfSocket(s.socket, local);
            if (lifeline < 0 || s.state.empty()) continue;
            LadderStateLabel label;
            label.lifeline = lifeline;
            label.text = shortSocket(s.socket) + " " + s.state;
            label.state = s.state;
            label.x = out.lifelines[size_t(lifeline)].x;
            changed.push_back(std::move(label));
        }
        labelRow(std::move(changed));
    };
    // The states a segment moved, under its arrow.
    // A connection end no snapshot has named yet (a client's socket before its connect() has
    // returned): the socket that a call of this step on the same lifeline works on, if just one.
    auto nameFromCalls = [&](int step, int lifeline) -> std::string {
        std::string socket;
        for (size_t i : steps[size_t(step)].calls_started) {
            const LessonCall& c = calls[i];
            if (c.socket.empty() || timeline.endpointOfCall(c) != lifeline) continue;
            if (!socket.empty() && socket != c.socket) return {};
            socket = c.socket;
        }
        return socket;
    };
    auto inferredRow = [&](size_t packet, int step) {
        const auto& ends = timeline.packetEnds()[packet];
        std::vector<LadderStateLabel> changed;
        for (const TcpStateInference::Change& c :
             inference.segment(ends.source, ends.destination, segments[packet])) {
            const int lifeline = timeline.endpointOfAddress(c.local);
            if (lifeline < 0) continue;
            LadderStateLabel label;
            label.lifeline = lifeline;
            label.state = c.state;
            label.text = c.state;
            label.inferred = true;
            auto name = end_names.find({c.local, c.remote});
            if (name == end_names.end()) {
                const std::string socket = nameFromCalls(step, lifeline);
                if (!socket.empty())
                    name = end_names.emplace(std::make_pair(c.local, c.remote),
                                             std::make_pair(socket + "#0", shortSocket(socket)))
                               .first;
            }
            if (name != end_names.end()) {
                shown_state[name->second.first] = c.state;
                label.text = name->second.second + " " + c.state;
            }
            label.x = out.lifelines[size_t(lifeline)].x;
            changed.push_back(std::move(label));
        }
        labelRow(std::move(changed));
    };

    for (int s = 0; s <= last_step; ++s) {
        const session::LessonStep& step = steps[size_t(s)];
        if (step.before) stateRow(*step.before);
        LadderStepBand band;
        band.step = s;
        band.y0 = y;
        const std::string call_text = step.call.empty() ? std::string() : " " + step.call + "()";
        band.title = (style.zh ? "第 " + std::to_string(s + 1) + " 步 · "
                               : "Step " + std::to_string(s + 1) + " · ") +
                     step.actor + call_text;
        band.current = timeline.currentStep() == s;
        y += band_height;
        for (const Row& r : rows[size_t(s)]) {
            const float row_top = y;
            const float mid = row_top + row_height * 0.55f;
            if (r.kind == Row::Packet) {
                const auto& ends = timeline.packetEnds()[r.index];
                LadderArrow a;
                a.packet = r.index;
                a.from = timeline.endpointOfAddress(ends.source);
                a.to = timeline.endpointOfAddress(ends.destination);
                a.x0 = out.lifelines[size_t(a.from)].x;
                a.x1 = out.lifelines[size_t(a.to)].x;
                if (a.from == a.to) a.x1 += column * 0.3f;  // to itself: a short loop out
                a.y0 = mid;
                a.y1 = mid + 0.6f * em;  // a slant: the packet takes time to arrive
                a.label = labels[r.index];
                a.label_x = (a.x0 + a.x1) * 0.5f - width(a.label) * 0.5f;
                a.label_y = mid - 1.15f * em;
                a.tcp = session->packet(r.index).isTcp();
                const bool tcp = a.tcp;
                out.arrows.push_back(std::move(a));
                if (tcp) {
                    y += row_height;
                    inferredRow(r.index, s);
                    continue;
                }
            } else if (r.kind == Row::CallStart) {
                const LessonCall& c = calls[r.index];
                const int lifeline = timeline.endpointOfCall(c);
                if (lifeline < 0) continue;
                LadderCallBox box;
                box.call = r.index;
                box.lifeline = lifeline;
                box.x0 = out.lifelines[size_t(lifeline)].x - bar_half;
                box.x1 = out.lifelines[size_t(lifeline)].x + bar_half;
                box.y0 = row_top + 0.35f * em;
                box.y1 = row_top + row_height - 0.35f * em;
                box.pending = c.pending() || c.returned_step > last_step;
                box.failed = c.failed();
                box.label = callLabel(c);
                box.result = box.pending ? "…" : callResult(c);
                box.label_x = box.x1 + 0.4f * em;
                box.label_y = row_top + 0.25f * em;
                box.result_x = box.label_x;
                box.result_y = box.label_y + 1.0f * em;
                open_box[r.index] = out.calls.size();
                out.calls.push_back(std::move(box));
            } else {  // CallReturn
                auto it = open_box.find(r.index);
                if (it == open_box.end()) continue;
                LadderCallBox& box = out.calls[it->second];
                // Returned right after it started: one box on one row.
                const bool same_row = std::abs(box.y1 - (row_top - 0.35f * em)) < 0.01f;
                if (same_row) continue;
                // A call that blocked: the bar reaches down to here, the result beside its end.
                box.y1 = row_top + 1.1f * em;
                box.result_y = row_top + 0.1f * em;
                y += 1.4f * em;
                continue;
            }
            y += row_height;
        }
        if (rows[size_t(s)].empty()) y += 0.4f * em;
        band.y1 = y;
        out.steps.push_back(std::move(band));
        if (step.after) stateRow(*step.after);
    }
    y += em;
    // Pending calls stay open down to the bottom.
    for (LadderCallBox& box : out.calls)
        if (box.pending) box.y1 = y;
    out.height = y + em;
    out.width = margin * 2 + column * float(std::max<size_t>(endpoints.size(), 1));
    for (const LadderArrow& a : out.arrows)
        out.width = std::max(out.width, a.label_x + width(a.label) + margin);
    for (const LadderCallBox& b : out.calls)
        out.width =
            std::max(out.width, b.label_x + std::max(width(b.label), width(b.result)) + margin);
    return out;
}

}  // namespace osilab::viewer
