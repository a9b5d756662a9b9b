// The selected packet's headers nested and drawn to scale: one row per layer, its header in the
// layer's colour and what it carries (everything inside it) in the layer's tint, each row
// starting where the header starts. A 14-byte Ethernet header next to 1,400 bytes of payload
// looks as small as it is; on a SYN the headers are the whole packet.
#pragma once

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class EncapsulationStrip {
public:
    void draw(const Model& model, UiState& ui);
};

}  // namespace osilab::viewer
