#include "visualizer/fonts.h"

#include <fontconfig/fontconfig.h>
#include <imgui.h>

#include <cstdio>

namespace osilab::viewer {

namespace {

constexpr uint32_t kZhong = 0x4E2D;  // 中: a font that has it covers Chinese

// The best match for `pattern`, if fontconfig finds a real file that has the wanted glyphs.
std::optional<FontFace> match(const char* pattern, bool need_cjk, bool need_mono) {
    FcPattern* query = FcNameParse(reinterpret_cast<const FcChar8*>(pattern));
    if (query == nullptr) return std::nullopt;
    FcConfigSubstitute(nullptr, query, FcMatchPattern);
    FcDefaultSubstitute(query);
    FcResult result = FcResultNoMatch;
    FcPattern* found = FcFontMatch(nullptr, query, &result);
    FcPatternDestroy(query);
    if (found == nullptr) return std::nullopt;

    std::optional<FontFace> face;
    FcChar8* file = nullptr;
    FcChar8* family = nullptr;
    FcCharSet* charset = nullptr;
    int index = 0, spacing = FC_PROPORTIONAL;
    FcPatternGetInteger(found, FC_SPACING, 0, &spacing);
    if (FcPatternGetString(found, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetCharSet(found, FC_CHARSET, 0, &charset) == FcResultMatch &&
        FcCharSetHasChar(charset, 'A') && (!need_cjk || FcCharSetHasChar(charset, kZhong)) &&
        (!need_mono || spacing == FC_MONO)) {
        std::string path = reinterpret_cast<const char*>(file);
        // Dear ImGui's stb_truetype reads TrueType and OpenType (.ttf .otf .ttc .otc) only.
        const size_t dot = path.rfind('.');
        const std::string ext = dot == std::string::npos ? "" : path.substr(dot);
        if (ext == ".ttf" || ext == ".otf" || ext == ".ttc" || ext == ".otc" || ext == ".TTF") {
            FcPatternGetInteger(found, FC_INDEX, 0, &index);
            FcPatternGetString(found, FC_FAMILY, 0, &family);
            face = FontFace{path, index, family ? reinterpret_cast<const char*>(family) : ""};
        }
    }
    FcPatternDestroy(found);
    return face;
}

}  // namespace

FontChoice findFonts() {
    FontChoice choice;
    if (!FcInit()) return choice;
    for (const char* pattern : {"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Noto Sans CJK TC",
                                "Source Han Sans SC", "sans-serif:lang=zh-cn"}) {
        if ((choice.ui = match(pattern, true, false))) {
            choice.ui_has_cjk = true;
            break;
        }
    }
    if (!choice.ui) choice.ui = match("sans-serif", false, false);
    for (const char* pattern :
         {"Noto Sans Mono CJK SC", "WenQuanYi Micro Hei Mono", "DejaVu Sans Mono", "monospace"}) {
        if ((choice.mono = match(pattern, false, true))) break;
    }
    FcFini();  // fontconfig is not needed after this; free its configuration and caches
    return choice;
}

Fonts::Fonts(FontChoice choice) : choice_(std::move(choice)), wanted_(65536 / 64, 0) {
    // A font that cannot be mapped is treated as missing; ImGui's built-in font remains.
    if (choice_.ui) {
        auto mapped = session::MappedFile::open(choice_.ui->path);
        if (mapped) ui_file_ = std::move(mapped).value();
    }
    if (choice_.mono) {
        auto mapped = session::MappedFile::open(choice_.mono->path);
        if (mapped) mono_file_ = std::move(mapped).value();
    }
    for (uint32_t c = 0x20; c < 0x7F; ++c) add(c);
    add(0xFFFD);  // shown for characters no font has
    add(0x2026);  // …
}

void Fonts::add(uint32_t c) {
    if (c >= 65536) c = 0xFFFD;  // Dear ImGui 1.86 draws the Basic Multilingual Plane only
    uint64_t& word = wanted_[c >> 6];
    const uint64_t bit = uint64_t{1} << (c & 63);
    if (word & bit) return;
    word |= bit;
    ++glyph_count_;
    dirty_ = true;
}

void Fonts::note(std::string_view text) {
    const auto* p = reinterpret_cast<const uint8_t*>(text.data());
    const auto* end = p + text.size();
    while (p < end) {
        const uint8_t c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        uint32_t cp = 0;
        int extra = 0;
        if ((c & 0xE0) == 0xC0)
            cp = c & 0x1F, extra = 1;
        else if ((c & 0xF0) == 0xE0)
            cp = c & 0x0F, extra = 2;
        else if ((c & 0xF8) == 0xF0)
            cp = c & 0x07, extra = 3;
        else {
            ++p;  // not UTF-8: drawn as U+FFFD, which is always in the atlas
            continue;
        }
        if (end - p <= extra) break;
        ++p;
        for (int k = 0; k < extra; ++k, ++p) cp = (cp << 6) | (*p & 0x3F);
        add(cp);
    }
}

void Fonts::build(float pixel_size) {
    ranges_.clear();
    for (uint32_t c = 1; c < 65536; ++c) {
        if (!(wanted_[c >> 6] & (uint64_t{1} << (c & 63)))) continue;
        if (!ranges_.empty() && ranges_.back() == c - 1) {
            ranges_.back() = static_cast<uint16_t>(c);
        } else {
            ranges_.push_back(static_cast<uint16_t>(c));
            ranges_.push_back(static_cast<uint16_t>(c));
        }
    }
    ranges_.push_back(0);

    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->Clear();
    auto addFace = [&](const session::MappedFile& file, const FontFace& face) -> ImFont* {
        ImFontConfig config;
        config.FontDataOwnedByAtlas = false;  // the map stays ours
        config.FontNo = face.index;
        config.OversampleH = 2;  // sharp enough for text; CJK glyphs are many, keep the atlas small
        config.OversampleV = 1;
        std::snprintf(config.Name, sizeof(config.Name), "%s", face.family.c_str());
        return atlas->AddFontFromMemoryTTF(const_cast<uint8_t*>(file.data()),
                                           static_cast<int>(file.size()), pixel_size, &config,
                                           reinterpret_cast<const ImWchar*>(ranges_.data()));
    };
    ui_font_ = !ui_file_.empty() ? addFace(ui_file_, *choice_.ui) : nullptr;
    mono_font_ = !mono_file_.empty() ? addFace(mono_file_, *choice_.mono) : nullptr;
    if (ui_font_ == nullptr) {
        ImFontConfig config;
        config.SizePixels = pixel_size;
        ui_font_ = atlas->AddFontDefault(&config);
    }
    if (mono_font_ == nullptr) mono_font_ = ui_font_;
    atlas->Build();
    dirty_ = false;
}

}  // namespace osilab::viewer
