// The line at the bottom: what is open, how many packets, loading progress with Cancel, and
// what went wrong (a damaged file says where it broke; the packets before stay usable).
#pragma once

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class StatusBar {
public:
    void draw(const Model& model, UiState& ui);
};

}  // namespace osilab::viewer
