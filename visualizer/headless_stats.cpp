#include "visualizer/headless_stats.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <sys/resource.h>

#include <cstring>
#include <ctime>

namespace osilab::viewer {

namespace {

// Three wheel notches a frame move Dear ImGui's list by 15 lines of text: about a screenful of
// rows the list has not shown before, so every frame makes new rows (the expensive case).
constexpr float kWheelNotchesPerFrame = 3.0f;

}  // namespace

double HeadlessStats::cpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval& t) { return double(t.tv_sec) + double(t.tv_usec) * 1e-6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double HeadlessStats::threadSeconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

void HeadlessStats::renderBegins() {
    render_begin_ = threadSeconds();
}

void HeadlessStats::sampleMemory() {
    // RssAnon is the memory the viewer itself allocated; the capture's file map is RssFile and
    // the kernel may drop it at will, so it is not counted against the viewer.
    std::FILE* status = std::fopen("/proc/self/status", "r");
    if (status == nullptr) return;
    char line[256];
    while (std::fgets(line, sizeof line, status) != nullptr) {
        long kb = 0;
        if (std::strncmp(line, "RssAnon:", 8) == 0 && std::sscanf(line + 8, "%ld", &kb) == 1) {
            if (kb > peak_anon_kb_) peak_anon_kb_ = kb;
            break;
        }
    }
    std::fclose(status);
}

void HeadlessStats::frameDone(double now, bool loading, bool filter_set, bool filtering) {
    now_ = now;
    sampleMemory();
    if (first_frame_ < 0) first_frame_ = now;
    if (loaded_ < 0 && !loading) loaded_ = now;
    if (filter_set && filtered_ < 0 && !loading && !filtering) filtered_ = now;
    if (scrolled_ >= 0 && scrolled_ < scroll_frames_) {
        render_cpu_ += threadSeconds() - render_begin_;
        if (++scrolled_ == scroll_frames_) {
            scroll_cpu_end_ = cpuSeconds();
            scroll_ui_end_ = threadSeconds();
            scroll_wall_end_ = now;
        }
    }
}

bool HeadlessStats::scrolling() {
    if (scroll_frames_ <= 0) return false;
    if (scrolled_ < 0) {
        scrolled_ = 0;
        scroll_cpu_start_ = cpuSeconds();
        scroll_ui_start_ = threadSeconds();
        scroll_wall_start_ = now_;
    }
    return scrolled_ < scroll_frames_;
}

void HeadlessStats::feedInput(ImGuiIO& io, float x, float y, float w, float h) const {
    if (scrolled_ < 0 || scrolled_ >= scroll_frames_) return;
    io.MousePos = ImVec2(x + w * 0.5f, y + h * 0.6f);
    io.MouseWheel -= kWheelNotchesPerFrame;
}

void HeadlessStats::print(std::FILE* out) {
    sampleMemory();  // the picture just read back counts too
    // Which OpenGL drew the frames: with Mesa's software renderer most frame time is its own.
    const auto* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    std::fprintf(out, "renderer %s\n", renderer != nullptr ? renderer : "?");
    std::fprintf(out, "first_frame_s %.3f\nloaded_s %.3f\n", first_frame_, loaded_);
    if (filtered_ >= 0) std::fprintf(out, "filtered_s %.3f\n", filtered_);
    if (scroll_frames_ > 0 && scrolled_ == scroll_frames_) {
        const double n = scroll_frames_;
        const double all = scroll_cpu_end_ - scroll_cpu_start_;
        const double viewer = scroll_ui_end_ - scroll_ui_start_ - render_cpu_;
        std::fprintf(out,
                     "scroll_frames %d\n"
                     "scroll_cpu_ms_per_frame %.3f\n"         // getrusage: every thread
                     "scroll_viewer_cpu_ms_per_frame %.3f\n"  // the UI thread minus OpenGL
                     "scroll_opengl_cpu_ms_per_frame %.3f\n"  // the rest: the GL driver
                     "scroll_wall_ms_per_frame %.3f\n",
                     scroll_frames_, all * 1e3 / n, viewer * 1e3 / n, (all - viewer) * 1e3 / n,
                     (scroll_wall_end_ - scroll_wall_start_) * 1e3 / n);
    }
    std::fprintf(out, "peak_rss_anon_kb %ld\n", peak_anon_kb_);
}

}  // namespace osilab::viewer
