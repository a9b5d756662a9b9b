#include "visualizer/settings.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "visualizer/file_browser_pane.h"

namespace osilab::viewer {
namespace {

std::string temporaryFolder() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "osilab-settings-XXXXXX").string();
    return ::mkdtemp(pattern.data());
}

TEST(Settings, RoundTrip) {
    const std::string folder = temporaryFolder();
    Settings s;
    s.language = Language::Zh;
    s.language_from_file = true;
    s.text_size = 22;
    s.window_width = 1000;
    s.window_height = 700;
    s.four_layer_model = true;
    s.addRecent("/a.pcap");
    s.addRecent("/b.pcapng");
    s.addRecent("/a.pcap");  // again: moves to the front, not duplicated
    ASSERT_TRUE(saveSettings(folder, s));
    const Settings back = loadSettings(folder);
    EXPECT_EQ(back.language, Language::Zh);
    EXPECT_EQ(back.text_size, 22);
    EXPECT_EQ(back.window_width, 1000);
    EXPECT_EQ(back.window_height, 700);
    EXPECT_TRUE(back.four_layer_model);
    ASSERT_EQ(back.recent_files.size(), 2u);
    EXPECT_EQ(back.recent_files[0], "/a.pcap");
    std::filesystem::remove_all(folder);
}

TEST(Settings, DamagedValuesKeepTheDefaults) {
    const std::string folder = temporaryFolder();
    std::ofstream(folder + "/settings.ini") << "text_size=huge\nwindow=5 5\nlanguage=xx\n"
                                               "list_fraction=7\nnonsense\n";
    const Settings s = loadSettings(folder);
    EXPECT_EQ(s.text_size, Settings{}.text_size);
    EXPECT_EQ(s.window_width, Settings{}.window_width);
    EXPECT_FALSE(s.language_from_file);
    EXPECT_FLOAT_EQ(s.list_fraction, 0.9f);  // clamped
    std::filesystem::remove_all(folder);
}

TEST(Settings, RecentFilesAreBounded) {
    Settings s;
    for (int i = 0; i < 30; ++i) s.addRecent("/f" + std::to_string(i));
    EXPECT_EQ(s.recent_files.size(), Settings::kMaxRecent);
    EXPECT_EQ(s.recent_files.front(), "/f29");
}

TEST(Settings, ConfigFolderFollowsXdg) {
    const std::string folder = temporaryFolder();
    ::setenv("XDG_CONFIG_HOME", folder.c_str(), 1);
    EXPECT_EQ(configFolder(), folder + "/osilab");
    EXPECT_TRUE(std::filesystem::is_directory(folder + "/osilab"));
    ::unsetenv("XDG_CONFIG_HOME");
    std::filesystem::remove_all(folder);
}

TEST(FileBrowser, RecognisesCaptureNames) {
    EXPECT_TRUE(looksLikeCapture("a.pcap"));
    EXPECT_TRUE(looksLikeCapture("A.PCAPNG"));
    EXPECT_TRUE(looksLikeCapture("trace.cap"));
    EXPECT_FALSE(looksLikeCapture("notes.txt"));
    EXPECT_FALSE(looksLikeCapture(".pcap"));
}

}  // namespace
}  // namespace osilab::viewer
