// What the viewer remembers between runs, in $XDG_CONFIG_HOME/osilab/ (~/.config/osilab/):
// settings.ini (language, text size, recent files, window size, pane split) written by us, and
// imgui.ini (Dear ImGui's own window state) next to it.
#pragma once

#include <string>
#include <vector>

#include "visualizer/strings.h"

namespace osilab::viewer {

struct Settings {
    Language language = Language::En;
    bool language_from_file = false;        // false: follow the locale until the user picks one
    float text_size = 17.0f;                // in points before HiDPI scaling
    std::vector<std::string> recent_files;  // most recent first
    int window_width = 1440;
    int window_height = 900;
    float list_fraction = 0.42f;    // height of the packet list, of the window's
    float layers_fraction = 0.55f;  // width of the layer stack, of the lower half
    bool four_layer_model = false;
    std::string browser_folder;  // where File → Open starts

    static constexpr size_t kMaxRecent = 10;
    static constexpr float kMinTextSize = 10.0f;
    static constexpr float kMaxTextSize = 40.0f;

    void addRecent(const std::string& path);
};

// The folder, created if missing; empty when there is no home to put it in.
std::string configFolder();
// Reads settings.ini from `folder`; missing or unreadable gives the defaults.
Settings loadSettings(const std::string& folder);
// Writes settings.ini atomically (temporary file, then rename); false on failure.
bool saveSettings(const std::string& folder, const Settings& settings);

}  // namespace osilab::viewer
