// osilab-gui: the OSI Lab viewer. This file keeps the Dear ImGui examples' order — window system,
// Dear ImGui, the application, the loop (events, new frame, panes, render, swap), then teardown
// in reverse — and leaves everything else to App.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdio>
#include <memory>

#include "visualizer/app.h"
#include "visualizer/command_line.h"
#include "visualizer/settings.h"
#include "visualizer/teaching/ladder_export.h"

namespace {

void onGlfwError(int code, const char* description) {
    std::fprintf(stderr, "osilab-gui: window system error %d: %s\n", code, description);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace osilab::viewer;
    int exit_code = 0;
    std::optional<Options> options = parseCommandLine(argc, argv, exit_code);
    if (!options) return exit_code;
    // The ladder as SVG needs no window: written from the layout model, for docs and scripts.
    if (!options->ladder_svg.empty() && !options->headless()) {
        const bool zh = options->language.value_or(languageFromLocale()) == Language::Zh;
        return exportLadderSvgFromFile(options->capture, options->ladder_svg, zh,
                                       options->text_size.value_or(16.0f));
    }
    const bool headless = options->headless();
    // Headless runs use the defaults only, so the same command always draws the same picture.
    const std::string config_folder = headless ? std::string() : configFolder();
    Settings settings = headless ? Settings{} : loadSettings(config_folder);
    if (headless) settings.language = languageFromLocale();

    // 1. Window system and OpenGL context.
    glfwSetErrorCallback(onGlfwError);
    if (!glfwInit()) {
        std::fprintf(
            stderr,
            "osilab-gui: cannot open a window (no display?). Run it on a desktop, or under "
            "Xvfb for tests (xvfb-run osilab-gui …); `osilab show` prints captures in a "
            "terminal.\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);  // HiDPI: the window grows with the scale
    if (headless) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
    int width = 0, height = 0;
    App::initialWindowSize(*options, settings, width, height);
    GLFWwindow* window = glfwCreateWindow(headless ? 64 : width, headless ? 64 : height, "OSI Lab",
                                          nullptr, nullptr);
    if (window == nullptr) {
        std::fprintf(stderr, "osilab-gui: cannot create an OpenGL 3.0 window\n");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(headless ? 0 : 1);

    // 2. Dear ImGui and its backends.
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    // 3. The application, and 4. the loop.
    {
        App app(window, std::move(*options), std::move(settings), config_folder);
        while (!app.shouldQuit()) {
            app.waitForEvents();
            app.beforeFrame();
            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            app.afterBackendNewFrame();
            ImGui::NewFrame();
            app.drawFrame();
            ImGui::Render();
            app.renderFrame();
        }
        exit_code = app.exitCode();
    }

    // 5. Teardown, in reverse.
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return exit_code;
}
