// The ladder diagram's colours, shared by the pane, the PNG and the SVG export (packed
// 0xAABBGGRR as theme.h's Colour, which is Dear ImGui's order).
#pragma once

#include <cstddef>
#include <string_view>

#include "visualizer/theme.h"

namespace osilab::viewer {

enum class LadderColour {
    Background,
    BandEven,
    BandOdd,
    CurrentStep,
    StepTitle,
    Lifeline,
    Text,
    Muted,
    TextOnState,
    Plate,
    HoverPlate,
    Tcp,
    Udp,
    Selected,
    Failed,
};

Colour ladderColour(LadderColour which);
// One strong colour per lifeline (title box, call bars), cycling.
Colour ladderActorColour(size_t lifeline);
// A TCP state's colour: LISTEN blue, handshake orange, ESTABLISHED green, teardown amber,
// TIME-WAIT purple, CLOSED grey.
Colour ladderStateColour(std::string_view state);

}  // namespace osilab::viewer
