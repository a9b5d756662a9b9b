// osilab-gui's arguments: an optional capture to open, and the headless screenshot mode used by
// tests, docs and slides.
#pragma once

#include <optional>
#include <string>

#include "visualizer/strings.h"

namespace osilab::viewer {

struct Options {
    std::string capture;     // open at start; empty for none
    std::string screenshot;  // PNG to write, then exit; empty: interactive
    std::string layout_out;  // with --screenshot: where each pane was, one "name x y w h" a line
    std::optional<size_t> select;  // 1-based packet number to select
    int width = 0, height = 0;     // window / image size; 0 = remembered or default
    std::optional<Language> language;
    std::optional<float> text_size;
    std::string filter;  // BPF filter to apply once open
    bool four_layer_model = false;
    bool stats = false;
    bool show_open_dialog = false;
    bool follow = false;
    bool conversations =
        false;  // start on the Conversations tab (docs, tests)            // follow the selected
                // packet's stream (docs, tests)  // start with File → Open showing (docs, tests) //
                // with --screenshot: print timings and memory (benchmarks)
};

// Parses argv; on --help or an error prints and returns nullopt with `exit_code` set.
std::optional<Options> parseCommandLine(int argc, char** argv, int& exit_code);

}  // namespace osilab::viewer
