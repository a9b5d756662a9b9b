// The line at the bottom: what is open, how many packets, loading progress with Cancel, and
// what went wrong (a damaged file says where it broke; the packets before stay usable).
#pragma once

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class StatusBar {
public:
    // `live`: the capture is a lesson running now (its stream stays open between steps, so it
    // is not "loading" and has nothing to cancel).
    void draw(const Model& model, UiState& ui, bool live = false);
};

}  // namespace osilab::viewer
