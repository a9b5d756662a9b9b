// The viewer's state that is not the capture: selection, hover, the filter being typed, the
// language, and the commands panes send to the App (they never change the Model themselves).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "visualizer/strings.h"

struct ImFont;

namespace osilab::viewer {

class Fonts;

struct Command {
    enum class Kind {
        OpenFile,  // text = path
        ShowOpenDialog,
        CancelLoad,
        ApplyFilter,  // text = BPF expression (empty clears)
        ToggleLanguage,
        TextBigger,
        TextSmaller,
        ToggleFullScreen,
        FollowStream,  // text = "tcp 3" or "udp 0"
        CloseFollow,
        ShowLessonPicker,
        TogglePresenter,  // the lecture layout (teaching views)
        Quit,
    } kind;
    std::string text;
};

struct UiState {
    Language language = Language::En;
    const char* tr(Text text) const { return viewer::tr(text, language); }
    bool zh() const { return language == Language::Zh; }

    // Selection and hover. Hover is exchanged between panes through the previous frame's value,
    // so the pane drawn first still reacts to the one drawn after it.
    std::optional<size_t> selected_packet;  // 0-based packet index
    bool scroll_to_selection = false;
    int hovered_field = -1;  // field under the mouse in the layer stack (this frame)
    int hovered_field_prev = -1;
    int hovered_byte = -1;  // byte under the mouse in the bytes pane (this frame)
    int hovered_byte_prev = -1;
    bool four_layer_model = false;

    // Filter box.
    std::string filter_text;
    std::string filter_error;  // shown under the box, from libpcap's compiler
    bool focus_filter = false;

    bool show_open_dialog = false;
    std::vector<std::string> recent_files;  // a copy for the menus
    std::string notice;                     // one-line message (e.g. no Chinese font)

    ImFont* mono_font = nullptr;
    Fonts* fonts = nullptr;  // panes note texts they draw that the model did not make
    void note(std::string_view text);

    // Where named parts were drawn this frame (screen pixels), for the headless tests' layout file.
    struct DrawnRect {
        const char* name;
        float x, y, w, h;
    };
    std::vector<DrawnRect> drawn_rects;

    std::vector<Command> commands;
    void send(Command::Kind kind, std::string text = {}) {
        commands.push_back(Command{kind, std::move(text)});
    }

    // Called by the App at the start of each frame.
    void beginFrame() {
        hovered_field_prev = hovered_field;
        hovered_byte_prev = hovered_byte;
        hovered_field = -1;
        hovered_byte = -1;
        drawn_rects.clear();
    }
};

}  // namespace osilab::viewer
