// ladder_check SCREENSHOT LAYOUT LADDER_PNG LADDER_SVG NOWINDOW_SVG [TEXT…]
// Checks osilab-gui's ladder diagram of a lesson capture: in the screenshot, the ladder pane
// (its rectangle from --layout-out) shows lifeline titles in two actor colours, packet arrows and
// TCP-state labels; the exported PNG shows the same; both SVGs are complete and
// hold every TEXT (the model's labels, states and addresses). Exits non-zero on the first
// failed check, printing what it found.
#include <stb_image.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "visualizer/teaching/ladder_colours.h"

using namespace osilab::viewer;

namespace {

struct Image {
    int width = 0, height = 0;
    unsigned char* pixels = nullptr;
    long count(int x0, int y0, int w, int h, Colour c) const {
        long n = 0;
        for (int y = std::max(0, y0); y < std::min(height, y0 + h); ++y)
            for (int x = std::max(0, x0); x < std::min(width, x0 + w); ++x) {
                const unsigned char* p = pixels + (size_t(y) * size_t(width) + size_t(x)) * 4;
                n += rgb(p[0], p[1], p[2]) == (c | 0xff000000u);
            }
        return n;
    }
};

bool load(const char* path, Image& image) {
    int channels = 0;
    image.pixels = stbi_load(path, &image.width, &image.height, &channels, 4);
    if (image.pixels == nullptr) std::fprintf(stderr, "FAIL cannot read %s\n", path);
    return image.pixels != nullptr;
}

bool expect(bool ok, const char* what, long found) {
    std::printf("%s %s (%ld)\n", ok ? "ok  " : "FAIL", what, found);
    return ok;
}

// The diagram's own colours: titles, arrow heads, state labels.
// `arrows_needed`: whether packets must be in view (the pane may show the first steps only).
bool checkDiagram(const Image& image, int x, int y, int w, int h, const char* where,
                  bool arrows_needed) {
    bool ok = true;
    std::printf("%s:\n", where);
    const long actor0 = image.count(x, y, w, h, ladderActorColour(0));
    const long actor1 = image.count(x, y, w, h, ladderActorColour(1));
    const long arrows = image.count(x, y, w, h, ladderColour(LadderColour::Tcp)) +
                        image.count(x, y, w, h, ladderColour(LadderColour::Udp));
    long states = 0;
    for (const char* s :
         {"LISTEN", "ESTABLISHED", "TIME-WAIT", "FIN-WAIT-2", "CLOSE-WAIT", "SYN-SENT"})
        states += image.count(x, y, w, h, ladderStateColour(s));
    ok &= expect(actor0 > 100, "first lifeline's title", actor0);
    ok &= expect(actor1 > 100, "second lifeline's title", actor1);
    if (arrows_needed) ok &= expect(arrows > 40, "packet arrows", arrows);
    ok &= expect(states > 100, "TCP state labels", states);
    return ok;
}

bool checkSvg(const char* path, int argc, char** argv) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    const std::string svg = text.str();
    bool ok = expect(svg.rfind("<?xml", 0) == 0 && svg.find("</svg>") != std::string::npos, path,
                     long(svg.size()));
    for (int i = 6; i < argc; ++i) {
        const std::string wanted = argv[i];
        ok &= expect(svg.find(wanted) != std::string::npos, ("  holds \"" + wanted + "\"").c_str(),
                     0);
    }
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::fprintf(
            stderr,
            "usage: ladder_check SCREENSHOT LAYOUT LADDER_PNG LADDER_SVG NOWINDOW_SVG [TEXT…]\n");
        return 2;
    }
    Image shot, ladder;
    if (!load(argv[1], shot) || !load(argv[3], ladder)) return 1;
    int x = 0, y = 0, w = 0, h = 0;
    bool found = false;
    std::ifstream layout(argv[2]);
    std::string name;
    float fx, fy, fw, fh;
    while (layout >> name >> fx >> fy >> fw >> fh) {
        if (name == "ladder") {
            x = int(fx), y = int(fy), w = int(fw), h = int(fh);
            found = true;
        }
    }
    bool ok = expect(found, "the ladder pane was drawn", found);
    if (found) ok &= checkDiagram(shot, x, y, w, h, "screenshot, ladder pane", true);
    ok &= checkDiagram(ladder, 0, 0, ladder.width, ladder.height, "exported PNG", true);
    ok &= checkSvg(argv[4], argc, argv);
    ok &= checkSvg(argv[5], argc, argv);
    return ok ? 0 : 1;
}
