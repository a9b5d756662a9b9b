// Paints a LadderLayout into a Dear ImGui draw list: shared by the ladder pane (on screen) and
// the PNG export (the same list rendered offscreen), so the slide shows what the pane showed.
#pragma once

#include <imgui.h>

#include <optional>

#include "visualizer/teaching/ladder_layout.h"

namespace osilab::viewer {

struct LadderPaint {
    int selected_arrow = -1;
    int hovered_arrow = -1;
    // Where the lifeline titles go: at the top of the diagram (export) or pinned to the top of
    // the visible part while scrolling (the pane); in layout coordinates.
    float header_y = 0;
    bool high_contrast = false;  // thicker lines (presenter mode, slides)
    float min_width = 0;         // bands and the title strip reach at least this far (the pane)
};

// `origin`: screen position of the layout's (0, 0). Text is drawn with the current font, which
// should have the layout's font size.
void paintLadder(ImDrawList* list, const LadderLayout& layout, ImVec2 origin,
                 const LadderPaint& paint);

// Background of the diagram (also the PNG's).
ImU32 ladderBackground();

}  // namespace osilab::viewer
