// The main menu: File (open, recent files, quit), View (language, text size, full screen, the
// TCP/IP model) and Help (the keys). It only sends commands.
#pragma once

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class MenuBar {
public:
    void draw(const Model& model, UiState& ui);
};

}  // namespace osilab::viewer
