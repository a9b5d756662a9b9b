// The ladder diagram pane: the lesson run's endpoints as lifelines, calls as boxes, packets as
// arrows (see ladder_layout.h), scrollable, as large as the text size; clicking an arrow selects
// that packet everywhere (UiState::selected_packet), and selecting a packet elsewhere scrolls
// the ladder to its arrow. Export buttons write the diagram as SVG and PNG for slides.
//
// For the "teaching" layout: construct one LadderPane and call
//   draw(model, ui)                 — every step recorded so far, or
//   draw(model, ui, last_step)      — the steps revealed so far (a recorded run step by step);
// inside any child window: it fills the available region. Needs model.timeline() != nullptr
// (else it draws a hint). layout() is the geometry drawn last (tests, presenter mode).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "visualizer/model.h"
#include "visualizer/teaching/ladder_layout.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class LadderPane {
public:
    LadderPane();
    ~LadderPane();
    void draw(const Model& model, UiState& ui, int last_step = session::kEveryStep);
    // Larger lines for presenter mode.
    void setHighContrast(bool on) { high_contrast_ = on; }

    // Brings the layout up to date without drawing (needs a Dear ImGui frame for text widths).
    const LadderLayout& layoutFor(const Model& model, UiState& ui, int last_step = session::kEveryStep);
    const LadderLayout& layout() const { return layout_; }

    // Writes the current layout; returns an error message or "".
    std::string exportSvg(const std::string& path) const;
    std::string exportPng(const std::string& path) const;  // needs the OpenGL context

private:
    std::unique_ptr<session::Redissector> redissector_;
    const session::Session* redissector_session_ = nullptr;
    uint64_t generation_ = 0;
    uint64_t version_ = ~uint64_t{0};
    float font_size_ = 0;
    bool zh_ = false;
    int last_step_ = -2;
    LadderLayout layout_;

    std::optional<size_t> followed_selection_;  // the selection we last scrolled to
    bool high_contrast_ = false;
    float last_height_ = 0;
};

// "tcp-server-client-ladder.svg": a file name for the export, from the run's lesson or the capture.
std::string ladderExportName(const Model& model, const char* extension);

}  // namespace osilab::viewer
