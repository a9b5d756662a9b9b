// The lesson in view: its title and mode (live / recorded), the controls (Next, Back, Restart,
// Stop, Auto-play and its speed, the step scrubber of a recorded run), the current step's
// narrative with its question before the packets are revealed, what the step did (the call's
// result, the packets, the sockets' states), the encapsulation animation, and the lesson's
// program with the current line highlighted (Python or C).
#pragma once

#include <string>

#include "visualizer/model.h"
#include "visualizer/teaching/encapsulation_animation.h"
#include "visualizer/teaching/lesson_player.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer::teaching {

class LessonPane {
public:
    // `presenter`: the lecture layout (fewer controls, the program trimmed around the step).
    void draw(LessonPlayer& player, const Model& model, UiState& ui, double now, bool presenter);

    EncapsulationAnimation& animation() { return animation_; }
    const EncapsulationAnimation& animation() const { return animation_; }
    bool showC() const { return show_c_; }
    void setShowC(bool on) { show_c_ = on; }

private:
    void drawControls(LessonPlayer& player, UiState& ui, double now, bool presenter);
    void drawProblem(LessonPlayer& player, UiState& ui);
    void drawStep(LessonPlayer& player, const Model& model, UiState& ui, double now,
                  bool presenter);
    void drawQuestion(LessonPlayer& player, UiState& ui, const StepText& text);
    void drawOutcome(LessonPlayer& player, UiState& ui, const StepText& text);
    void drawProgram(LessonPlayer& player, UiState& ui, bool presenter);

    EncapsulationAnimation animation_;
    bool show_c_ = false;
    int scrolled_to_ = -2;  // the program listing follows the cursor once per move
};

// "client 127.0.0.1:40000": who sent packet `packet` and who received it, from the timeline.
std::pair<std::string, std::string> packetEnds(const LessonPlayer& player, size_t packet);

}  // namespace osilab::viewer::teaching
