#include "visualizer/command_line.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace osilab::viewer {

std::optional<Options> parseCommandLine(int argc, char** argv, int& exit_code) {
    Options options;
    CLI::App app{"osilab-gui: look at any capture layer by layer (OSI Lab viewer)"};
    app.add_option("file", options.capture, "a pcap or pcapng file to open");
    app.add_option("--screenshot", options.screenshot,
                   "render the window without showing it, write this PNG and exit");
    app.add_option("--state-out", options.state_out,
                   "with --screenshot: also write what the viewer shows (rows, selection, "
                   "filter, followed stream), for tests");
    app.add_option("--layout-out", options.layout_out,
                   "with --screenshot: also write where each pane was drawn");
    size_t select = 0;
    auto* select_option = app.add_option("--select", select, "select packet number N (1-based)");
    std::string size;
    app.add_option("--size", size, "window size WxH, e.g. 1600x1000");
    std::string language;
    app.add_option("--lang", language, "zh or en (default: from the locale, then the settings)");
    float text_size = 0;
    auto* text_option = app.add_option("--text-size", text_size, "text size in points");
    app.add_option("--filter", options.filter, "BPF filter to apply, as tcpdump takes it");
    app.add_flag("--tcpip", options.four_layer_model, "show the TCP/IP four-layer model");
    app.add_flag("--conversations", options.conversations, "start on the Conversations tab");
    app.add_flag("--follow", options.follow, "follow the selected packet's TCP stream or UDP flow");
    app.add_option("--ladder-svg", options.ladder_svg,
                   "write the lesson capture's ladder diagram as SVG and exit (no window)");
    app.add_option("--ladder-png", options.ladder_png,
                   "render the lesson capture's ladder diagram offscreen, write this PNG and exit");
    app.add_flag("--ladder", options.ladder, "start on the Ladder diagram tab (a lesson capture)");
    app.add_flag("--sockets", options.sockets, "start on the Sockets tab (a lesson capture)");
    app.add_flag("--show-open", options.show_open_dialog,
                 "start with the File → Open dialog shown");
    app.add_flag("--stats", options.stats,
                 "with --screenshot: print time to first frame, time to loaded and memory");
    app.add_option("--scroll-frames", options.scroll_frames,
                   "with --screenshot: scroll the packet list for N frames before the picture "
                   "(--stats prints the CPU time per frame)")
        ->check(CLI::NonNegativeNumber);
    LessonOptions& t = options.teaching;
    app.add_option("--lesson", t.lesson, "run this lesson live (id, see `osilab list`)");
    app.add_flag("--recorded", t.recorded, "with --lesson: play its recorded run from captures/");
    app.add_option("--steps", t.steps, "with --screenshot: run the first N steps before the picture")
        ->check(CLI::NonNegativeNumber);
    app.add_flag("--key-step", t.key_step,
                 "with --screenshot: run up to the lesson's key step (its first packets)");
    app.add_option("--lessons", t.lessons_dir, "the lessons folder");
    app.add_option("--osilab", t.osilab, "the osilab program that runs lessons");
    app.add_flag("--presenter", t.presenter, "start in presenter mode (F5)");
    std::string code;
    app.add_option("--code", code, "python or c: the language of the code lines")
        ->check(CLI::IsMember({"python", "c"}));
    app.add_option("--dump-timeline", t.dump_timeline,
                   "with --screenshot: write the lesson run's steps, packets and states here");
    float animation_at = -1.0f;
    auto* animation_option = app.add_option(
        "--animation-at", animation_at, "with --screenshot: freeze the encapsulation animation at 0-1")
        ->check(CLI::Range(0.0f, 1.0f));
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        exit_code = app.exit(e);
        return std::nullopt;
    }
    if (*select_option) {
        if (select == 0) {
            std::fprintf(stderr, "osilab-gui: --select counts packets from 1\n");
            exit_code = 2;
            return std::nullopt;
        }
        options.select = select;
    }
    if (!size.empty()) {
        int w = 0, h = 0;
        if (std::sscanf(size.c_str(), "%dx%d", &w, &h) != 2 || w < 320 || h < 240 || w > 8192 ||
            h > 8192) {
            std::fprintf(stderr,
                         "osilab-gui: --size wants WxH between 320x240 and 8192x8192, "
                         "e.g. 1600x1000\n");
            exit_code = 2;
            return std::nullopt;
        }
        options.width = w;
        options.height = h;
    }
    if (!language.empty()) {
        Language parsed;
        if (!parseLanguage(language, parsed)) {
            std::fprintf(stderr, "osilab-gui: --lang takes zh or en\n");
            exit_code = 2;
            return std::nullopt;
        }
        options.language = parsed;
    }
    if (*text_option) options.text_size = text_size;
    t.show_c = code == "c";
    if (*animation_option) t.animation_at = animation_at;
    return options;
}

}  // namespace osilab::viewer
