// The selected packet as a stack of layer cards: the seven OSI layers with layer 7 at the top
// (or, one toggle away, the four TCP/IP layers with the OSI layers each one covers). Each card
// lists its headers' fields; hovering a field explains it (zh/en) and outlines its bytes in the
// bytes pane. Layers with nothing in this packet say why, and what would be there on a real link.
#pragma once

#include <string>

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class LayerStackPane {
public:
    void draw(const Model& model, UiState& ui);

private:
    // One card: a coloured title bar, then `body` drawn on the layer's tint.
    template <typename Body>
    void card(packet::OsiLayer colour_layer, const std::string& title, Body&& body);
    void drawOsiLayerContent(const PacketDetail& detail, const packet::OsiLayerView& view,
                             UiState& ui, bool show_heading);
    void drawLayerFields(const PacketDetail& detail, uint32_t layer_index, UiState& ui);
    void drawFieldTooltip(const PacketDetail& detail, size_t field, UiState& ui);

    int highlighted_field_ = -1;  // from the byte under the mouse in the bytes pane
};

}  // namespace osilab::viewer
