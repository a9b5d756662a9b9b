// The selected packet's bytes in hex and text, each byte tinted with the colour of the OSI layer
// whose header it belongs to. Hovering a byte names its field (and the layer stack highlights
// it); hovering a field in the layer stack outlines its bytes here.
#pragma once

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class BytesPane {
public:
    void draw(const Model& model, UiState& ui);
};

}  // namespace osilab::viewer
