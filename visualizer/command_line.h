// osilab-gui's arguments: an optional capture to open, and the headless screenshot mode used by
// tests, docs and slides.
#pragma once

#include <optional>
#include <string>

#include "visualizer/strings.h"

namespace osilab::viewer {

// The teaching views: a lesson run live or from its recording, driven headless for tests.
struct LessonOptions {
    std::string lesson;       // --lesson ID: run it live (or, with --recorded, its capture)
    bool recorded = false;    // --recorded: play captures/<ID>.pcapng instead of running it
    int steps = 0;            // --steps N: with --screenshot, run the first N steps first
    bool key_step = false;    // --key-step: run up to the lesson's key step (README pictures)
    std::string lessons_dir;  // --lessons DIR
    std::string osilab;       // --osilab PATH: the runner program
    bool presenter = false;   // --presenter: start in presenter mode
    bool show_c = false;      // --code c: the C lines instead of Python
    std::string dump_timeline;  // --dump-timeline FILE: the run's steps as text, at exit
    std::optional<float> animation_at;  // --animation-at F: freeze the animation at 0…1
};

struct Options {
    std::string capture;     // open at start; empty for none
    LessonOptions teaching;
    std::string screenshot;  // PNG to write, then exit; empty: interactive
    std::string layout_out;  // with --screenshot: where each pane was, one "name x y w h" a line
    std::string state_out;   // with --screenshot: the model after the actions, "key value" lines
    // A lesson capture's ladder diagram for slides and docs: SVG without a window (then exit), PNG
    // rendered offscreen (headless, then exit); `ladder`: start on the Ladder diagram tab.
    std::string ladder_svg;
    std::string ladder_png;
    bool ladder = false;
    bool sockets = false;  // start on the Sockets tab (a lesson capture)
    bool headless() const { return !screenshot.empty() || !ladder_png.empty(); }
    std::optional<size_t> select;  // 1-based packet number to select
    int width = 0, height = 0;     // window / image size; 0 = remembered or default
    std::optional<Language> language;
    std::optional<float> text_size;
    std::string filter;  // BPF filter to apply once open
    bool four_layer_model = false;
    bool stats = false;             // with --screenshot: print timings and memory (benchmarks)
    int scroll_frames = 0;          // with --stats: scroll the packet list this many frames
    bool show_open_dialog = false;  // start with File → Open showing (docs, tests)
    bool follow = false;            // follow the selected packet's stream (docs, tests)
    bool conversations = false;     // start on the Conversations tab (docs, tests)
};

// Parses argv; on --help or an error prints and returns nullopt with `exit_code` set.
std::optional<Options> parseCommandLine(int argc, char** argv, int& exit_code);

}  // namespace osilab::viewer
