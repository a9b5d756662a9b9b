// The course's lessons in a window: title and summary (中文 / English), steps, and two ways in:
// run it live, or play its recorded run from captures/. It calls the player's commands.
#pragma once

#include "visualizer/teaching/lesson_player.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer::teaching {

class LessonPicker {
public:
    bool open = false;
    void draw(LessonPlayer& player, UiState& ui);
};

}  // namespace osilab::viewer::teaching
