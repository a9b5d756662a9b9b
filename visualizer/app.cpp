#include "visualizer/app.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "visualizer/teaching/teaching_strings.h"
#include "visualizer/theme.h"

namespace osilab::viewer {

namespace {

constexpr int kDefaultHeadlessWidth = 1600;
constexpr int kDefaultHeadlessHeight = 1000;
constexpr double kHeadlessTimeoutSeconds = 120.0;
constexpr int kStableFramesBeforeScreenshot = 3;

void onDrop(GLFWwindow* window, int count, const char** paths) {
    auto* ui = static_cast<UiState*>(glfwGetWindowUserPointer(window));
    if (ui != nullptr && count > 0) ui->send(Command::Kind::OpenFile, paths[0]);
}

void onKey(GLFWwindow* window, int key, int scancode, int action, int mods) {
    ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);  // Dear ImGui's widgets
    auto* ui = static_cast<UiState*>(glfwGetWindowUserPointer(window));
    if (ui != nullptr && (action == GLFW_PRESS || action == GLFW_REPEAT))
        ui->keys_arrived.push_back(UiState::KeyPress{key, mods, action == GLFW_REPEAT});
}

}  // namespace

void App::initialWindowSize(const Options& options, const Settings& settings, int& width,
                            int& height) {
    const bool headless = options.headless();
    width = options.width ? options.width
            : headless    ? kDefaultHeadlessWidth
                          : settings.window_width;
    height = options.height ? options.height
             : headless     ? kDefaultHeadlessHeight
                            : settings.window_height;
}

App::App(GLFWwindow* window, Options options, Settings settings, std::string config_folder)
    : window_(window),
      options_(std::move(options)),
      settings_(std::move(settings)),
      config_folder_(std::move(config_folder)),
      headless_(options_.headless()),
      fonts_(findFonts()),
      player_(model_, teaching::PlayerOptions{options_.teaching.lessons_dir, options_.teaching.osilab},
              [] { glfwPostEmptyEvent(); }) {
    ImGuiIO& io = ImGui::GetIO();
    // Dear ImGui's own state (table columns, the open dialog) next to our settings; a headless
    // run neither reads nor writes any, so its pictures are always the same.
    if (!headless_ && !config_folder_.empty()) {
        ini_path_ = config_folder_ + "/imgui.ini";
        io.IniFilename = ini_path_.c_str();
    } else {
        io.IniFilename = nullptr;
    }

    ui_.language = options_.language.value_or(settings_.language);
    ui_.four_layer_model = options_.four_layer_model || settings_.four_layer_model;
    ui_.recent_files = settings_.recent_files;
    ui_.fonts = &fonts_;
    if (options_.text_size) {
        settings_.text_size =
            std::clamp(*options_.text_size, Settings::kMinTextSize, Settings::kMaxTextSize);
    }
    if (!fonts_.choice().ui_has_cjk) {
        // Without a Chinese font every Chinese label would be boxes: say so, show English.
        ui_.notice = tr(Text::NoCjkFont, Language::En);
        ui_.language = Language::En;
        std::fprintf(stderr, "osilab-gui: %s\n", ui_.notice.c_str());
    }
    forEachString([this](const char* text) { fonts_.note(text); });
    model_.setTextObserver([this](std::string_view text) { fonts_.note(text); });
    model_.setWakeUp([] { glfwPostEmptyEvent(); });  // any thread: GLFW allows it

    glfwSetWindowUserPointer(window_, &ui_);
    glfwSetDropCallback(window_, onDrop);
    glfwSetKeyCallback(window_, onKey);  // Dear ImGui's own is called from it
    if (!headless_) {
        float sx = 1.0f, sy = 1.0f;
        glfwGetWindowContentScale(window_, &sx, &sy);
        content_scale_ = std::max(1.0f, std::max(sx, sy));
    } else {
        int width = 0, height = 0;
        initialWindowSize(options_, settings_, width, height);
        std::string error;
        if (!target_.create(width, height, error)) {
            std::fprintf(stderr, "osilab-gui: %s\n", error.c_str());
            quit_ = true;
            exit_code_ = 1;
        }
        started_ = glfwGetTime();
        stats_ = HeadlessStats(options_.scroll_frames);
    }
    file_browser_.setFolder(settings_.browser_folder);
    ui_.show_open_dialog = options_.show_open_dialog;
    if (!options_.capture.empty()) openCapture(options_.capture);
    if (!options_.filter.empty()) {
        ui_.filter_text = options_.filter;
        ui_.send(Command::Kind::ApplyFilter, options_.filter);
    }
    startTeaching();
}

App::~App() {
    // Dear ImGui writes its ini file when its context is destroyed, after this App; the file
    // name is our string, so write it now and let the context forget it.
    ImGuiIO& io = ImGui::GetIO();
    if (io.IniFilename != nullptr) {
        ImGui::SaveIniSettingsToDisk(io.IniFilename);
        io.IniFilename = nullptr;
    }
    if (headless_) return;
    // In a window, --state-out is what the user left behind (tests driving the window).
    if (!options_.state_out.empty() && !writeState())
        std::fprintf(stderr, "osilab-gui: cannot write %s\n", options_.state_out.c_str());
    settings_.language = ui_.language;
    settings_.four_layer_model = ui_.four_layer_model;
    settings_.browser_folder = file_browser_.folder();
    if (!full_screen_)
        glfwGetWindowSize(window_, &settings_.window_width, &settings_.window_height);
    saveSettings(config_folder_, settings_);
}

bool App::shouldQuit() const {
    return quit_ || glfwWindowShouldClose(window_);
}

void App::waitForEvents() {
    const double now = glfwGetTime();
    // A live run's stream stays open between steps: its reader wakes the loop per record, so
    // it does not count as loading here.
    const bool loading = model_.loading() && player_.mode() != teaching::PlayMode::Live;
    const bool busy =
        loading || model_.filtering() || fonts_.needsRebuild() || teachingBusy(now);
    if (headless_ || busy || redraw_frames_ > 0) {
        if (redraw_frames_ > 0) --redraw_frames_;
        // While loading or filtering, redraw at a calm pace (progress) and leave the CPU to
        // them: a frame can cost tens of milliseconds with a software OpenGL driver (a VM, a
        // remote desktop). Input still wakes the loop at once, and so does their end (setWakeUp).
        const bool animating = fonts_.needsRebuild() || teachingBusy(now);
        if (busy)
            glfwWaitEventsTimeout(animating ? (headless_ ? 1.0 / 60 : 1.0 / 30) : 0.1);
        else
            glfwPollEvents();
        return;
    }
    // Idle: sleep until input arrives. The timeout only bounds how stale a clock could get.
    glfwWaitEventsTimeout(std::min(5.0, player_.wakeIn(now).value_or(5.0)));
    redraw_frames_ = 2;  // hover effects settle one frame after the event that caused them
}

void App::applyStyle(float scale) {
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0.0f;
    style.FrameRounding = 3.0f;
    style.ScrollbarSize = 16.0f;
    style.CellPadding = ImVec2(6.0f, 2.0f);
    style.Colors[ImGuiCol_WindowBg] = ImColor(kWindowBackground).Value;
    style.Colors[ImGuiCol_Text] = ImColor(kTextDark).Value;
    style.ScaleAllSizes(scale);
    style_scale_ = scale;
}

void App::beforeFrame() {
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);  // the frame's CPU time counts from here
    frame_cpu_start_ = double(cpu.tv_sec) + double(cpu.tv_nsec) * 1e-9;
    if (!headless_) {
        float sx = 1.0f, sy = 1.0f;
        glfwGetWindowContentScale(window_, &sx, &sy);
        content_scale_ = std::max(1.0f, std::max(sx, sy));
    }
    if (content_scale_ != style_scale_) applyStyle(content_scale_);
    if (device_ready_ && ImGui::GetIO().Fonts->TexPixelsAlpha8 != nullptr)
        ImGui::GetIO().Fonts->ClearTexData();  // the GPU has the atlas; free the CPU copies
    // Presenter mode: text readable from the back of a lecture hall.
    const float text_size =
        presenter_ ? std::max(settings_.text_size * 1.8f, 26.0f) : settings_.text_size;
    const float pixels = std::round(text_size * content_scale_);
    if (fonts_.needsRebuild() || pixels != built_pixels_) {
        fonts_.build(pixels);
        built_pixels_ = pixels;
        ImGui::GetIO().FontDefault = fonts_.ui();
        ui_.mono_font = fonts_.mono();
        if (device_ready_) {
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        stable_frames_ = 0;
        redraw_frames_ = std::max(redraw_frames_, 2);
    }
}

void App::afterBackendNewFrame() {
    if (!headless_) return;
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(float(target_.width()), float(target_.height()));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // nobody is pointing at a headless window
    for (const PaneRect& r : pane_rects_)  // the previous frame's: where the list was
        if (r.name == "list") stats_.feedInput(io, r.x, r.y, r.w, r.h);
}

void App::drawFrame() {
    device_ready_ = true;  // the backend uploaded the font texture in its first NewFrame
    ui_.beginFrame();
    handleKeys();
    // A Next just pressed (here or after the last frame): this frame shows what it caused.
    player_.settleLiveStep(teaching::kNextSettleSeconds);
    // A lesson run's records (live: arriving now) feed the ladder and the socket table.
    if (model_.updateTimeline()) redraw_frames_ = std::max(redraw_frames_, 2);
    // A ladder exported without its tab on screen: lay it out now, so the font learns its
    // characters before the picture is taken.
    if (headless_ && !options_.ladder_png.empty() && model_.timeline() != nullptr)
        ladder_.layoutFor(model_, ui_);
    const double now = glfwGetTime();
    updateTeaching(now);
    pane_rects_.clear();

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(viewport->WorkPos);
    ImGui::SetNextWindowSize(viewport->WorkSize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding,
                        ImVec2(6.0f * content_scale_, 4.0f * content_scale_));
    // No background of its own: renderFrame() clears to the same colour. A software OpenGL
    // driver (Mesa in a VM, over a remote desktop, under Xvfb) shades every pixel drawn, and this
    // window covers the screen: without its fill a frame shades about half as many pixels.
    ImGui::Begin("OSI Lab", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoBackground |
                     ImGuiWindowFlags_NoSavedSettings |
                     (presenter_ ? 0 : ImGuiWindowFlags_MenuBar) |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::PopStyleVar();
    if (presenter_) {
        drawPresenterLayout(now);
    } else {
        menu_bar_.draw(model_, ui_);
        if (player_.active())
            drawTeachingLayout(now);
        else
            drawCaptureLayout();
    }
    ImGui::End();
    lesson_picker_.draw(player_, ui_);

    file_browser_.draw(model_, ui_);
    follow_stream_.draw(model_, ui_);
    runCommands();

    const ImGuiIO& io = ImGui::GetIO();
    if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.WantTextInput || ImGui::IsAnyMouseDown())
        redraw_frames_ = std::max(redraw_frames_, 2);

    // A lesson's progress in the title too: a teacher switching windows sees where the class is
    // (and scripts driving the window can wait for a step).
    std::string lesson;
    if (player_.active()) {
        char progress[96];
        std::snprintf(progress, sizeof progress, teaching::tt(teaching::TText::StepOf, ui_.language),
                      std::max(0, player_.cursor() + 1), player_.stepCount());
        lesson = " — " + player_.title(ui_.zh()) + " · " + progress;
    }
    char title[768];
    std::snprintf(title, sizeof title, "%s%s%s%s", tr(Text::AppTitle, ui_.language), lesson.c_str(),
                  model_.path().empty() ? "" : " — ", model_.path().c_str());
    if (window_title_ != title) {  // a round trip to the window system: only on change
        window_title_ = title;
        glfwSetWindowTitle(window_, title);
    }
}

void App::drawCaptureLayout() {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float status_height = ImGui::GetFrameHeightWithSpacing();
    const float splitter = 6.0f * content_scale_;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float panes_height = std::max(100.0f, avail.y - status_height - splitter);
    const float list_height = std::floor(panes_height * settings_.list_fraction);
    const float lower_height = panes_height - list_height;

    ImGui::BeginChild("list", ImVec2(0, list_height), false);
    recordPane("list");
    // Stable tab ids ("###…"): switching language keeps the tab that is open.
    char packets_tab[64], conversations_tab[64];
    std::snprintf(packets_tab, sizeof packets_tab, "%s###packets", ui_.tr(Text::TabPackets));
    std::snprintf(conversations_tab, sizeof conversations_tab, "%s###conversations",
                  ui_.tr(Text::TabConversations));
    if (ImGui::BeginTabBar("top-tabs")) {
        if (ImGui::BeginTabItem(packets_tab)) {
            packet_list_.draw(model_, ui_);
            ImGui::EndTabItem();
        }
        const ImGuiTabItemFlags select_conversations =
            options_.conversations && ImGui::GetFrameCount() < 2 ? ImGuiTabItemFlags_SetSelected
                                                                 : 0;
        if (ImGui::BeginTabItem(conversations_tab, nullptr, select_conversations)) {
            conversations_.draw(model_, ui_);
            ImGui::EndTabItem();
        }
        // A lesson capture: its ladder diagram and its sockets, next to the packets.
        if (model_.timeline() != nullptr) {
            char ladder_tab[64], sockets_tab[64];
            std::snprintf(ladder_tab, sizeof ladder_tab, "%s###ladder", ui_.tr(Text::TabLadder));
            std::snprintf(sockets_tab, sizeof sockets_tab, "%s###sockets",
                          ui_.tr(Text::TabSockets));
            // --ladder / --sockets (or a lesson starting): the tab is chosen once per request,
            // then the user's clicks decide.
            const int request = options_.sockets ? 2 : options_.ladder ? 1 : 0;
            const bool choose = request != lesson_tab_applied_;
            lesson_tab_applied_ = request;
            const ImGuiTabItemFlags select_ladder =
                choose && request == 1 ? ImGuiTabItemFlags_SetSelected : 0;
            if (ImGui::BeginTabItem(ladder_tab, nullptr, select_ladder)) {
                ladder_.draw(model_, ui_, lessonLastStep());
                ImGui::EndTabItem();
            }
            const ImGuiTabItemFlags select_sockets =
                choose && request == 2 ? ImGuiTabItemFlags_SetSelected : 0;
            if (ImGui::BeginTabItem(sockets_tab, nullptr, select_sockets)) {
                socket_table_.draw(model_, ui_, lessonLastStep());
                ImGui::EndTabItem();
            }
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
    this->splitter("##split-list", false, settings_.list_fraction, panes_height);

    const float layers_width = std::floor((avail.x - splitter) * settings_.layers_fraction);
    ImGui::BeginChild("layers", ImVec2(layers_width, lower_height), true);
    recordPane("layers");
    layer_stack_.draw(model_, ui_);
    ImGui::EndChild();
    ImGui::SameLine(0.0f, 0.0f);
    this->splitter("##split-lower", true, settings_.layers_fraction, avail.x - splitter);
    ImGui::SameLine(0.0f, 0.0f);
    ImGui::BeginChild("bytes", ImVec2(0, lower_height), true);
    recordPane("bytes");
    encapsulation_.draw(model_, ui_);
    bytes_.draw(model_, ui_);
    ImGui::EndChild();

    ImGui::SetCursorPosY(ImGui::GetWindowHeight() - status_height - style.WindowPadding.y +
                         style.ItemSpacing.y);
    status_bar_.draw(model_, ui_, player_.liveRunning());
}

void App::splitter(const char* id, bool vertical, float& fraction, float total) {
    const float thickness = 6.0f * content_scale_;
    const ImVec2 size = vertical ? ImVec2(thickness, ImGui::GetItemRectSize().y)
                                 : ImVec2(ImGui::GetContentRegionAvail().x, thickness);
    ImGui::InvisibleButton(id, size);
    if (ImGui::IsItemHovered() || ImGui::IsItemActive())
        ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
    if (ImGui::IsItemActive() && total > 0) {
        const float delta = vertical ? ImGui::GetIO().MouseDelta.x : ImGui::GetIO().MouseDelta.y;
        fraction = std::clamp(fraction + delta / total, 0.1f, 0.9f);
    }
}

void App::recordPane(const char* name) {
    const ImVec2 pos = ImGui::GetWindowPos();
    const ImVec2 size = ImGui::GetWindowSize();
    pane_rects_.push_back(PaneRect{name, pos.x, pos.y, size.x, size.y});
}

void App::handleKeys() {
    const ImGuiIO& io = ImGui::GetIO();
    auto ctrl = [this](int key) { return ui_.keyPressed(key, GLFW_MOD_CONTROL); };
    if (ctrl(GLFW_KEY_O)) ui_.send(Command::Kind::ShowOpenDialog);
    if (ctrl(GLFW_KEY_F)) ui_.focus_filter = true;
    if (ctrl(GLFW_KEY_Q)) ui_.send(Command::Kind::Quit);
    if (ctrl(GLFW_KEY_EQUAL) || ctrl(GLFW_KEY_KP_ADD)) ui_.send(Command::Kind::TextBigger);
    if (ctrl(GLFW_KEY_MINUS) || ctrl(GLFW_KEY_KP_SUBTRACT)) ui_.send(Command::Kind::TextSmaller);
    if (ui_.keyPressed(GLFW_KEY_F11)) ui_.send(Command::Kind::ToggleFullScreen);
    if (ui_.keyPressed(GLFW_KEY_ESCAPE)) {
        if (ui_.show_open_dialog)
            ui_.show_open_dialog = false;
        else if (model_.followed() != nullptr)
            ui_.send(Command::Kind::CloseFollow);
    }
    if (io.WantTextInput) return;  // arrows belong to the text being edited
    if (handleTeachingKeys(glfwGetTime())) return;
    const long page = 20;
    auto held = [this](int key) { return ui_.keyPressed(key, 0, true); };
    if (held(GLFW_KEY_DOWN)) moveSelection(1);
    if (held(GLFW_KEY_UP)) moveSelection(-1);
    if (held(GLFW_KEY_PAGE_DOWN)) moveSelection(page);
    if (held(GLFW_KEY_PAGE_UP)) moveSelection(-page);
    if (ui_.keyPressed(GLFW_KEY_HOME)) moveSelection(-(1L << 40));
    if (ui_.keyPressed(GLFW_KEY_END)) moveSelection(1L << 40);
}

void App::moveSelection(long delta) {
    const size_t rows = model_.rowCount();
    if (rows == 0) return;
    long row = -1;
    if (ui_.selected_packet) {
        if (auto r = model_.rowOfPacket(*ui_.selected_packet)) row = long(*r);
    }
    row = row < 0 ? (delta > 0 ? 0 : long(rows) - 1) : row + delta;
    row = std::clamp(row, 0L, long(rows) - 1);
    ui_.selected_packet = model_.packetOfRow(size_t(row));
    ui_.scroll_to_selection = true;
}

void App::openCapture(const std::string& path) {
    player_.close();  // a live run ends first: the model's loader reads its pipe
    model_.open(path);
    player_.captureOpened();
    ui_.selected_packet.reset();
    ui_.filter_error.clear();
    selection_applied_ = false;
    if (!ui_.filter_text.empty()) ui_.filter_error = model_.applyFilter(ui_.filter_text);
    if (!headless_) {
        std::error_code ec;
        const std::string absolute =
            std::filesystem::absolute(path, ec).lexically_normal().string();
        settings_.addRecent(ec ? path : absolute);
        ui_.recent_files = settings_.recent_files;
        saveSettings(config_folder_, settings_);
    }
}

void App::toggleFullScreen() {
    if (headless_) return;
    if (!full_screen_) {
        glfwGetWindowPos(window_, &windowed_x_, &windowed_y_);
        glfwGetWindowSize(window_, &windowed_w_, &windowed_h_);
        GLFWmonitor* monitor = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (mode == nullptr) return;
        glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
        full_screen_ = true;
    } else {
        glfwSetWindowMonitor(window_, nullptr, windowed_x_, windowed_y_, windowed_w_, windowed_h_,
                             0);
        full_screen_ = false;
    }
}

void App::runCommands() {
    std::vector<Command> commands;
    commands.swap(ui_.commands);
    for (const Command& c : commands) {
        redraw_frames_ = std::max(redraw_frames_, 2);
        switch (c.kind) {
            case Command::Kind::OpenFile: openCapture(c.text); break;
            case Command::Kind::ShowOpenDialog: ui_.show_open_dialog = true; break;
            case Command::Kind::CancelLoad:
                player_.stop();  // a live run's stream: ending the run ends its reading
                model_.cancelLoad();
                break;
            case Command::Kind::ApplyFilter:
                ui_.filter_error = model_.applyFilter(c.text);
                if (ui_.filter_error.empty()) ui_.scroll_to_selection = true;
                break;
            case Command::Kind::ToggleLanguage:
                if (!fonts_.choice().ui_has_cjk) break;  // no font to show Chinese with
                ui_.language = ui_.zh() ? Language::En : Language::Zh;
                settings_.language_from_file = true;
                break;
            case Command::Kind::TextBigger:
                settings_.text_size = std::min(settings_.text_size + 1.0f, Settings::kMaxTextSize);
                break;
            case Command::Kind::TextSmaller:
                settings_.text_size = std::max(settings_.text_size - 1.0f, Settings::kMinTextSize);
                break;
            case Command::Kind::ToggleFullScreen: toggleFullScreen(); break;
            case Command::Kind::FollowStream: {
                bool tcp = true;
                uint32_t index = 0;
                if (parseFollowCommand(c.text, tcp, index)) model_.follow(tcp, index);
                break;
            }
            case Command::Kind::CloseFollow: model_.closeFollow(); break;
            case Command::Kind::ShowLessonPicker: lesson_picker_.open = true; break;
            case Command::Kind::TogglePresenter: presenter_ = !presenter_; break;
            case Command::Kind::Quit: quit_ = true; break;
        }
    }
}

void App::renderFrame() {
    int width = 0, height = 0;
    if (headless_) {
        target_.bind();
        width = target_.width();
        height = target_.height();
    } else {
        glfwGetFramebufferSize(window_, &width, &height);
    }
    glViewport(0, 0, width, height);
    const ImVec4 clear = ImColor(kWindowBackground).Value;
    glClearColor(clear.x, clear.y, clear.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    if (headless_) stats_.renderBegins();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (headless_) {
        // Nothing is swapped offscreen, so nothing tells the driver a frame ended: without this,
        // Mesa's software renderer queues every frame's commands and its memory only grows.
        glFinish();
        takeScreenshotWhenReady();
        target_.unbind();
    } else {
        glfwSwapBuffers(window_);
    }
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    const double cpu_ms =
        (double(cpu.tv_sec) + double(cpu.tv_nsec) * 1e-9 - frame_cpu_start_) * 1e3;
    player_.frameShown(glfwGetTime(), cpu_ms);
}

void App::exportLadderForCommandLine() {
    if (model_.timeline() == nullptr) {
        std::fprintf(stderr,
                     "osilab-gui: %s has no lesson records, so there is no ladder to draw (record "
                     "one with `osilab run LESSON --save FILE`)\n",
                     model_.path().c_str());
        exit_code_ = 1;
        return;
    }
    ladder_.layoutFor(model_, ui_);
    const std::pair<std::string, bool> exports[] = {{options_.ladder_png, true},
                                                     {options_.ladder_svg, false}};
    for (const auto& [path, png] : exports) {
        if (path.empty()) continue;
        const std::string error = png ? ladder_.exportPng(path) : ladder_.exportSvg(path);
        if (!error.empty()) {
            std::fprintf(stderr, "osilab-gui: %s\n", error.c_str());
            exit_code_ = 1;
        }
    }
}

void App::printStats() {
    // glfwGetTime() counts from glfwInit(), at the start of main().
    std::printf("packets %zu\n", model_.hasCapture() ? model_.session()->packetCount() : size_t(0));
    stats_.print(stdout);
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("RssAnon:", 0) == 0 || line.rfind("RssFile:", 0) == 0 ||
            line.rfind("VmHWM:", 0) == 0)
            std::printf("%s\n", line.c_str());
    }
    std::fflush(stdout);
}

void App::takeScreenshotWhenReady() {
    if (glfwGetTime() - started_ > kHeadlessTimeoutSeconds) {
        std::fprintf(stderr, "osilab-gui: gave up waiting for the capture to load (%.0f s)\n",
                     kHeadlessTimeoutSeconds);
        quit_ = true;
        exit_code_ = 1;
        return;
    }
    stats_.frameDone(glfwGetTime(), model_.loading(), model_.filter() != nullptr,
                     model_.filtering());
    driveHeadlessLesson(glfwGetTime());
    // A live run's stream stays open until the lesson ends: the lesson decides when it is done.
    const bool idle = (player_.mode() == teaching::PlayMode::Live || !model_.loading()) &&
                      !model_.filtering() && teachingReadyForScreenshot(glfwGetTime());
    if (!idle) {
        stable_frames_ = 0;
        return;
    }
    if (!selection_applied_ && player_.active()) selection_applied_ = true;  // the step's packet
    if (!selection_applied_) {
        selection_applied_ = true;
        // Select the asked-for packet, or the first one, so the layer views have something.
        const size_t count = model_.hasCapture() ? model_.session()->packetCount() : 0;
        // Without --select: the first row shown, which a filter may have moved past packet 1.
        const size_t wanted = options_.select         ? *options_.select - 1
                              : model_.rowCount() > 0 ? model_.packetOfRow(0)
                                                      : 0;
        if (wanted < count) {
            ui_.selected_packet = wanted;
            ui_.scroll_to_selection = true;
            const session::PacketIndex& p = model_.session()->packet(wanted);
            if (options_.follow && (p.isTcp() || p.isUdp()))
                ui_.send(Command::Kind::FollowStream, followCommandText(p.isTcp(), p.conversation));
        } else if (options_.select) {
            std::fprintf(stderr, "osilab-gui: there is no packet %zu (the capture has %zu)\n",
                         *options_.select, count);
            exit_code_ = 1;
        }
        stable_frames_ = 0;
        return;
    }
    if (fonts_.needsRebuild() || !ui_.commands.empty()) {
        stable_frames_ = 0;
        return;
    }
    if (++stable_frames_ < kStableFramesBeforeScreenshot) return;
    if (stats_.scrolling()) return;  // --scroll-frames: the list scrolls before the picture

    if (!options_.screenshot.empty()) {
        const std::vector<uint8_t> pixels = target_.read();
        if (!writePng(options_.screenshot, target_.width(), target_.height(), pixels)) {
            std::fprintf(stderr, "osilab-gui: cannot write %s\n", options_.screenshot.c_str());
            exit_code_ = 1;
        }
    }
    if (!options_.ladder_png.empty() || !options_.ladder_svg.empty()) exportLadderForCommandLine();
    if (!options_.state_out.empty() && !writeState()) exit_code_ = 1;
    if (!options_.layout_out.empty()) {
        std::ofstream out(options_.layout_out, std::ios::trunc);
        for (const PaneRect& r : pane_rects_)
            out << r.name << ' ' << r.x << ' ' << r.y << ' ' << r.w << ' ' << r.h << '\n';
        for (const UiState::DrawnRect& r : ui_.drawn_rects)
            out << r.name << ' ' << r.x << ' ' << r.y << ' ' << r.w << ' ' << r.h << '\n';
        if (!out) exit_code_ = 1;
    }
    finishTeachingScreenshot();
    if (options_.stats) printStats();
    const session::LoadStatus status = model_.status();
    if (status.state == session::LoadState::Failed) {
        std::fprintf(stderr, "osilab-gui: %s\n", status.message.c_str());
        exit_code_ = 1;
    }
    quit_ = true;
}

}  // namespace osilab::viewer
