// Fonts found through fontconfig, with glyphs for exactly the characters in use. Chinese needs
// tens of thousands of glyphs; baking them all is slow and large, and Dear ImGui's "common
// Chinese" range still misses characters that lessons and captures contain. So every text the
// viewer is about to draw is noted first, and the atlas is rebuilt (between frames) when a
// character appears that it does not have yet.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/session/mapped_file.h"

struct ImFont;

namespace osilab::viewer {

struct FontFace {
    std::string path;
    int index = 0;       // face inside a collection (.ttc)
    std::string family;  // for messages: "Noto Sans CJK SC"
};

struct FontChoice {
    std::optional<FontFace> ui;    // proportional, for labels and text
    std::optional<FontFace> mono;  // fixed width, for the bytes pane
    bool ui_has_cjk = false;       // false: no Chinese font is installed
};

// Asks fontconfig for Noto Sans CJK (fonts-noto-cjk), then WenQuanYi Micro Hei
// (fonts-wqy-microhei), then any font covering Chinese; for the bytes, a monospace face.
FontChoice findFonts();

class Fonts {
public:
    explicit Fonts(FontChoice choice);

    // Call with every text before it is drawn; cheap for ASCII.
    void note(std::string_view utf8);
    // True when a noted character is not in the atlas yet (or sizes changed).
    bool needsRebuild() const { return dirty_; }
    // Builds the atlas for `pixel_size` with every character noted so far. Call between frames;
    // the caller then re-uploads the font texture.
    void build(float pixel_size);

    ImFont* ui() const { return ui_font_; }
    ImFont* mono() const { return mono_font_; }
    const FontChoice& choice() const { return choice_; }
    size_t glyphCount() const { return glyph_count_; }

private:
    void add(uint32_t codepoint);

    FontChoice choice_;
    session::MappedFile ui_file_;  // fonts are read in place, not copied (a CJK font is 20 MB)
    session::MappedFile mono_file_;
    std::vector<uint64_t> wanted_;  // bit per BMP code point
    std::vector<uint16_t> ranges_;  // ImWchar pairs; must outlive the atlas
    size_t glyph_count_ = 0;
    bool dirty_ = true;
    ImFont* ui_font_ = nullptr;
    ImFont* mono_font_ = nullptr;
};

}  // namespace osilab::viewer
