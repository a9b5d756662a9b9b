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

    // Key presses as the window system reported them (App's key callback), read by the frame
    // after: Dear ImGui 1.86 only samples whether a key is down when a frame starts, so a press
    // and its release arriving between two frames (a presenter's clicker, a quick tap while a
    // software-rendered frame is drawn, xdotool) would be lost.
    struct KeyPress {
        int key;   // GLFW_KEY_…
        int mods;  // GLFW_MOD_… held
        bool repeat;
    };
    std::vector<KeyPress> keys_arrived;  // since the last frame began
    std::vector<KeyPress> keys;          // this frame's
    // `key` was pressed (with exactly the `mods` given, Shift aside); repeats count only when
    // asked (moving through a list, not one step per auto-repeat).
    bool keyPressed(int key, int mods = 0, bool repeat = false) const {
        constexpr int kShift = 0x0001;  // GLFW_MOD_SHIFT
        constexpr int kMods = 0x0002 | 0x0004 | 0x0008;  // Control, Alt, Super
        for (const KeyPress& k : keys)
            if (k.key == key && (k.mods & kMods) == (mods & ~kShift) && (repeat || !k.repeat))
                return true;
        return false;
    }

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
        keys.swap(keys_arrived);
        keys_arrived.clear();
    }
};

}  // namespace osilab::viewer
