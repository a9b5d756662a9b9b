// The viewer application: owns the model, the UI state, the fonts, the settings and the panes,
// lays the panes out, runs the commands they send and the keyboard shortcuts, and, in headless
// mode, decides when the picture is complete and writes it. main.cpp owns the window system and
// Dear ImGui's lifetime and calls these in the order the Dear ImGui examples use.
#pragma once

#include <string>
#include <vector>

#include "visualizer/bytes_pane.h"
#include "visualizer/command_line.h"
#include "visualizer/conversations_pane.h"
#include "visualizer/encapsulation_strip.h"
#include "visualizer/file_browser_pane.h"
#include "visualizer/follow_stream_pane.h"
#include "visualizer/fonts.h"
#include "visualizer/headless_stats.h"
#include "visualizer/model_state.h"
#include "visualizer/layer_stack_pane.h"
#include "visualizer/menu_bar.h"
#include "visualizer/model.h"
#include "visualizer/packet_list_pane.h"
#include "visualizer/screenshot.h"
#include "visualizer/settings.h"
#include "visualizer/status_bar.h"
#include "visualizer/teaching/ladder_pane.h"
#include "visualizer/teaching/socket_table_pane.h"
#include "visualizer/teaching/lesson_pane.h"
#include "visualizer/teaching/lesson_picker.h"
#include "visualizer/teaching/lesson_player.h"
#include "visualizer/ui_state.h"

struct GLFWwindow;

namespace osilab::viewer {

class App {
public:
    // Call after Dear ImGui and its backends are initialised; `window` must be current.
    App(GLFWwindow* window, Options options, Settings settings, std::string config_folder);
    ~App();  // saves the settings (not in headless mode)
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    bool shouldQuit() const;
    int exitCode() const { return exit_code_; }

    // The frame, in order:
    void waitForEvents();         // sleeps while nothing changes
    void beforeFrame();           // before the backends' NewFrame: fonts rebuilt between frames
    void afterBackendNewFrame();  // headless: the offscreen size instead of the window's
    void drawFrame();             // between ImGui::NewFrame() and ImGui::Render()
    void renderFrame();           // after ImGui::Render(): draw, then screenshot or swap

    // Sizes for the window main.cpp creates.
    static void initialWindowSize(const Options& options, const Settings& settings, int& width,
                                  int& height);

private:
    void drawCaptureLayout();  // list above, layer stack and bytes below (the viewer issue)
    void handleKeys();
    void runCommands();
    void openCapture(const std::string& path);
    void moveSelection(long delta);
    void applyStyle(float scale);
    void toggleFullScreen();
    void takeScreenshotWhenReady();
    void exportLadderForCommandLine();
    void printStats();
    void recordPane(const char* name);
    void splitter(const char* id, bool vertical, float& fraction, float total);

    // Teaching views (teaching/app_teaching.cpp).
    void startTeaching();
    void updateTeaching(double now);
    // After a Next from the lesson pane, mid-frame: the panes drawn after it show the step.
    void catchUpWithNext(double now);
    // The lesson's keys; true when it used the keys the packet list would otherwise take.
    bool handleTeachingKeys(double now);
    void drawTeachingLayout(double now);
    void drawPresenterLayout(double now);
    void driveHeadlessLesson(double now);
    int headlessTargetSteps() const;
    bool teachingReadyForScreenshot(double now) const;
    bool teachingBusy(double now) const;
    void finishTeachingScreenshot();
    // --state-out: the model's state and the lesson's (teaching/app_teaching.cpp).
    bool writeState();
    // The last step a recorded lesson has revealed (ladder, socket table); -1: every step.
    int lessonLastStep() const;

    GLFWwindow* window_;
    Options options_;
    Settings settings_;
    std::string config_folder_;
    std::string ini_path_;
    bool headless_;

    Fonts fonts_;
    Model model_;
    UiState ui_;
    MenuBar menu_bar_;
    PacketListPane packet_list_;
    ConversationsPane conversations_;
    FollowStreamPane follow_stream_;
    LayerStackPane layer_stack_;
    EncapsulationStrip encapsulation_;
    BytesPane bytes_;
    StatusBar status_bar_;
    FileBrowserPane file_browser_;
    LadderPane ladder_;
    SocketTablePane socket_table_;
    // After model_: the player holds it, and ends a live run (whose pipe the model's loader
    // reads) before the model goes.
    teaching::LessonPlayer player_;
    teaching::LessonPicker lesson_picker_;
    teaching::LessonPane lesson_pane_;
    bool presenter_ = false;
    float lesson_fraction_ = 0.36f;  // the lesson pane's share of the width
    uint64_t seen_reveal_ = 0;
    bool select_step_packet_ = false;  // select the step's first packet once it is there
    const session::Session* seen_session_ = nullptr;
    double frame_cpu_start_ = 0.0;

    float content_scale_ = 1.0f;
    float style_scale_ = 0.0f;
    float built_pixels_ = 0.0f;
    bool device_ready_ = false;
    int redraw_frames_ = 2;
    bool quit_ = false;
    int exit_code_ = 0;

    std::string window_title_;
    bool full_screen_ = false;
    int windowed_x_ = 0, windowed_y_ = 0, windowed_w_ = 0, windowed_h_ = 0;

    // Headless mode.
    OffscreenTarget target_;
    bool selection_applied_ = false;
    int lesson_tab_applied_ = 0;  // the --ladder/--sockets request last applied to the tabs
    int stable_frames_ = 0;
    double started_ = 0.0;
    HeadlessStats stats_{0};
    struct PaneRect {
        std::string name;
        float x, y, w, h;
    };
    std::vector<PaneRect> pane_rects_;
};

}  // namespace osilab::viewer
