// The packet list: one row per packet (No., Time, Source, Destination, Protocol, Length, Info),
// coloured by protocol, with the BPF filter box above it. Only the rows on screen are made
// (ImGuiListClipper), so a million packets scroll as smoothly as ten.
#pragma once

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class PacketListPane {
public:
    void draw(const Model& model, UiState& ui);

private:
    void drawFilterBar(const Model& model, UiState& ui);
    void drawTable(const Model& model, UiState& ui);
};

}  // namespace osilab::viewer
