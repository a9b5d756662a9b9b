// Follow stream: a window with the text one TCP stream or UDP flow carried, client → server in
// one colour and server → client in another, Chinese included. Clicking a piece selects its
// packet.
#pragma once

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class FollowStreamPane {
public:
    void draw(const Model& model, UiState& ui);
};

}  // namespace osilab::viewer
