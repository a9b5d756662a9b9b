// The ladder diagram for slides and handouts: SVG written from the layout model (text stays
// text, so it scales and can be edited), and PNG rendered offscreen with the same painting as
// the pane. Also the command-line export (`osilab-gui FILE --ladder-svg out.svg`).
#pragma once

#include <string>

#include "visualizer/teaching/ladder_layout.h"

namespace osilab::viewer {

// SVG text of a layout.
std::string ladderSvg(const LadderLayout& layout);
// Write it; returns an error message a student can act on, or "".
std::string writeLadderSvg(const LadderLayout& layout, const std::string& path);
// Renders the layout offscreen with the current Dear ImGui font (which should have the
// layout's size) and writes a PNG. Needs the OpenGL context and a Dear ImGui frame.
std::string writeLadderPng(const LadderLayout& layout, const std::string& path);

// Without a window: loads `capture`, lays out its lesson's ladder (estimated text widths) and
// writes `svg_path`. Returns the process exit code; errors go to stderr.
int exportLadderSvgFromFile(const std::string& capture, const std::string& svg_path, bool zh,
                            float font_size);

}  // namespace osilab::viewer
