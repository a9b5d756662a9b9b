// The socket table: every socket of the lesson run with its actor, descriptor, local and remote
// address, and its state after each step (one narrow column per step, the state's name where
// it changes; a state history instead when the lesson has more steps than a table can hold).
// The column of the selected packet's step is highlighted; clicking a cell selects that step's
// first packet.
//
// For the "teaching" layout: SocketTablePane::draw(model, ui) or draw(model, ui, last_step) to
// show the steps revealed so far, inside any child window (it fills the available region);
// needs model.timeline() != nullptr (else it draws a hint).
#pragma once

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class SocketTablePane {
public:
    void draw(const Model& model, UiState& ui, int last_step = session::kEveryStep);
};

// "LISTEN (3) → ESTABLISHED (6)": the changes of a socket's state, with 1-based steps.
std::string socketStateHistory(const session::LessonSocket& socket, int last_step);

}  // namespace osilab::viewer
