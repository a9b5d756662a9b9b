// The ladder diagram of a lesson run as geometry, without Dear ImGui: one lifeline per endpoint
// (actor, address and port), socket calls as boxes on their lifelines (a pending call is an open
// bar down to the bottom until it returns), packets as arrows labelled with flags, relative
// seq/ack and length, TCP states written on the lifelines where they change, and a band per
// step. The pane (ladder_pane.h) draws it with ImGui draw lists, the exporter (ladder_export.h)
// writes the same geometry as SVG or PNG, and tests assert on it.
//
// For the "teaching" panes: layoutLadder(timeline, redissector, style) with style.last_step set
// shows the run up to that step (the steps revealed so far).
//
// Units are pixels for the given font size: a bigger text size makes a bigger diagram.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/session/lesson_timeline.h"
#include "lab/session/redissector.h"

namespace osilab::viewer {

struct LadderStyle {
    float font_size = 16.0f;
    // Width of a text in pixels at font_size; by default an estimate (CJK characters count as a
    // full em, others as 0.55 em), which the SVG export uses too.
    std::function<float(std::string_view)> text_width;
    bool zh = false;
    int last_step = session::kEveryStep;  // draw steps up to this one; -1: none yet
};

// Estimated width of `text` at `font_size` (see LadderStyle::text_width).
float estimateTextWidth(std::string_view text, float font_size);

struct LadderLifeline {
    std::string actor;    // "server"; "" for an address no record attributes
    std::string address;  // "127.0.0.1:8898"; "" while the actor's sockets have none
    float x = 0;          // centre line
    float title_y = 0;    // top of the title box
};

struct LadderStepBand {
    int step = -1;
    float y0 = 0, y1 = 0;
    std::string title;     // "Step 6 · client connect()"
    bool current = false;  // the step still running
};

struct LadderCallBox {
    size_t call = 0;  // index into LessonTimeline::calls()
    int lifeline = 0;
    float x0 = 0, x1 = 0;  // the bar
    float y0 = 0, y1 = 0;
    bool pending = false;              // still blocked: drawn open at the bottom
    bool failed = false;               // returned an error
    std::string label;                 // "accept(sk)"
    std::string result;                // "→ 5", "EADDRINUSE", "…" while pending
    float label_x = 0, label_y = 0;    // text to the right of the bar, at the call's start
    float result_x = 0, result_y = 0;  // at the return (same row when nothing happened between)
};

struct LadderArrow {
    size_t packet = 0;     // 0-based packet index
    int from = 0, to = 0;  // lifelines
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    std::string label;               // "SYN, ACK  Seq=0 Ack=1 Len=0"
    float label_x = 0, label_y = 0;  // top-left of the label
    bool tcp = true;
};

struct LadderStateLabel {
    int lifeline = 0;
    float x = 0, y = 0;  // centre of the label
    std::string text;    // "sk LISTEN"
    std::string state;   // "LISTEN" (the colour)
    // Followed from the segments (tcp_state_inference.h), not read from the kernel: the states
    // that last microseconds between two snapshots. Drawn as an outline, kernel states filled.
    bool inferred = false;
};

struct LadderLayout {
    float width = 0, height = 0;
    float font_size = 16.0f;
    float header_height = 0;  // the lifelines' titles
    std::vector<LadderLifeline> lifelines;
    std::vector<LadderStepBand> steps;
    std::vector<LadderCallBox> calls;
    std::vector<LadderArrow> arrows;
    std::vector<LadderStateLabel> states;

    // The arrow nearest to (x, y) within `tolerance` pixels, -1 if none.
    int arrowAt(float x, float y, float tolerance) const;
    // The arrow of a packet, -1 if it is not drawn.
    int arrowOfPacket(size_t packet) const;
};

// The packet's label: flags, relative seq/ack and payload length ("SYN  Seq=0 Len=0"), or
// "UDP Len=11". Empty for packets that are neither TCP nor UDP.
std::string ladderPacketLabel(const packet::Dissection& d);

LadderLayout layoutLadder(const session::LessonTimeline& timeline, session::Redissector& packets,
                          const LadderStyle& style);

}  // namespace osilab::viewer
