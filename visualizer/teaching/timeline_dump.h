// A lesson run as plain text, for tests and for comparing a live run with its recording: per
// step shown, its call, its packets (protocol and TCP flags), the calls' results and the
// sockets' states after it. Ports, times and descriptor numbers are left out: they differ from
// run to run.
#pragma once

#include <string>

#include "visualizer/model.h"
#include "visualizer/teaching/lesson_player.h"

namespace osilab::viewer::teaching {

std::string timelineDump(const LessonPlayer& player, const Model& model);

}  // namespace osilab::viewer::teaching
