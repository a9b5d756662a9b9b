// The figures `--stats` prints for the viewer benchmark (bench/run_gui_bench.sh): time to the
// first frame, to the capture fully loaded, to the filter finished over every packet, the CPU
// time per frame while the packet list scrolls (scripted mouse-wheel input), and the peak
// anonymous memory. Kept apart from the App so the measuring code is in one place.
#pragma once

#include <cstdio>

struct ImGuiIO;

namespace osilab::viewer {

class HeadlessStats {
public:
    // `scroll_frames`: frames of scripted scrolling after the capture is loaded (0: none).
    explicit HeadlessStats(int scroll_frames) : scroll_frames_(scroll_frames) {}

    // Around the OpenGL part of a frame (the draw lists handed to the driver, up to glFinish):
    // with Mesa's software renderer that is where most of a frame's CPU time goes, and on a real
    // GPU it is the GPU's work, so the figures show it apart from the viewer's own.
    void renderBegins();
    // Once per frame, after it was drawn and finished (glFinish): `now` in seconds since start.
    void frameDone(double now, bool loading, bool filter_set, bool filtering);
    // True while the scripted scroll is still running; it starts on the first call.
    bool scrolling();
    // Before ImGui::NewFrame: while scrolling, the mouse rests on the packet list (x, y, w, h)
    // and turns the wheel, as a student skimming through the capture would.
    void feedInput(ImGuiIO& io, float x, float y, float w, float h) const;

    void print(std::FILE* out);

private:
    static double cpuSeconds();     // user + system time of the whole process, all threads
    static double threadSeconds();  // CPU time of the calling (UI) thread
    void sampleMemory();

    int scroll_frames_;
    int scrolled_ = -1;  // frames scrolled so far; -1 before the scroll started
    double scroll_cpu_start_ = 0.0, scroll_cpu_end_ = 0.0;
    double scroll_ui_start_ = 0.0, scroll_ui_end_ = 0.0;  // the UI thread's CPU time
    // The UI thread's time in OpenGL while scrolling.
    double render_begin_ = 0.0, render_cpu_ = 0.0;
    double scroll_wall_start_ = 0.0, scroll_wall_end_ = 0.0;
    double first_frame_ = -1.0, loaded_ = -1.0, filtered_ = -1.0, now_ = 0.0;
    long peak_anon_kb_ = 0;
};

}  // namespace osilab::viewer
