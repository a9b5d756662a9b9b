// A hex + text view of bytes, 16 per row, that knows nothing about packets: the caller says how
// each byte looks through a callback (as ImHex's hex editor takes a "colour for this offset"
// callback), and learns which byte is under the mouse. The bytes pane uses it with layer colours;
// Follow stream and lesson views can use it with their own.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "visualizer/theme.h"

struct ImFont;

namespace osilab::viewer {

struct ByteLook {
    Colour background = 0;    // 0: none
    bool emphasised = false;  // outlined: e.g. the bytes of the field under the mouse
};

class HexView {
public:
    using LookFn = std::function<ByteLook(size_t offset)>;

    // Draws in a scrolling child region filling the space left (or `height` if > 0). Returns
    // the offset of the byte under the mouse, or -1. Only the visible rows are drawn.
    static int draw(const char* id, std::span<const uint8_t> bytes, ImFont* mono,
                    const LookFn& look, float height = 0.0f);
};

}  // namespace osilab::viewer
