// The font atlas holds the characters in use and only those: Chinese that was noted renders,
// Chinese that was not is not baked (so the atlas stays small), and noting new text asks for a
// rebuild. Needs fonts-noto-cjk (or another Chinese font); skipped without one.
#include "visualizer/fonts.h"

#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cstring>

#include "visualizer/strings.h"

namespace osilab::viewer {
namespace {

class FontsTest : public ::testing::Test {
protected:
    void SetUp() override { ImGui::CreateContext(); }
    void TearDown() override { ImGui::DestroyContext(); }
};

TEST_F(FontsTest, AtlasHasExactlyTheNotedCharacters) {
    const FontChoice choice = findFonts();
    if (!choice.ui_has_cjk) GTEST_SKIP() << "no Chinese font installed";
    Fonts fonts(choice);
    fonts.note("传输层 TCP");
    EXPECT_TRUE(fonts.needsRebuild());
    fonts.build(16.0f);
    EXPECT_FALSE(fonts.needsRebuild());
    ASSERT_NE(fonts.ui(), nullptr);
    EXPECT_NE(fonts.ui()->FindGlyphNoFallback(0x4F20), nullptr);  // 传
    EXPECT_NE(fonts.ui()->FindGlyphNoFallback('T'), nullptr);
    EXPECT_EQ(fonts.ui()->FindGlyphNoFallback(0x6C49), nullptr);  // 汉: not noted yet

    fonts.note("传输层");  // nothing new: no rebuild
    EXPECT_FALSE(fonts.needsRebuild());
    fonts.note("汉字");
    EXPECT_TRUE(fonts.needsRebuild());
    fonts.build(16.0f);
    EXPECT_NE(fonts.ui()->FindGlyphNoFallback(0x6C49), nullptr);
}

TEST_F(FontsTest, EveryUiStringCanBeDrawn) {
    const FontChoice choice = findFonts();
    if (!choice.ui_has_cjk) GTEST_SKIP() << "no Chinese font installed";
    Fonts fonts(choice);
    forEachString([&](const char* text) { fonts.note(text); });
    fonts.build(16.0f);
    // Walk every label and ask the baked font for each character: no missing-glyph boxes.
    forEachString([&](const char* text) {
        const char* p = text;
        const char* end = text + std::strlen(text);
        while (p < end) {
            unsigned int c = 0;
            const int n = ImTextCharFromUtf8(&c, p, end);
            if (n <= 0) break;
            p += n;
            if (c < 0x20) continue;
            EXPECT_NE(fonts.ui()->FindGlyphNoFallback(ImWchar(c)), nullptr)
                << "U+" << std::hex << c << " in \"" << text << "\"";
        }
    });
}

TEST(FontsNoting, InvalidUtf8IsHarmless) {
    Fonts fonts(FontChoice{});  // no font files at all
    fonts.note(std::string_view("\xff\xfe\xe4\xb8", 4));
    fonts.note(std::string_view("\xe4", 1));
    SUCCEED();
}

}  // namespace
}  // namespace osilab::viewer
