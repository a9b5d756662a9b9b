// png_check IMAGE LAYOUT WIDTH HEIGHT
// Checks a screenshot of osilab-gui: the right size, not blank, packet-list rows coloured by
// protocol, card headers in at least three layer colours inside the layer stack's rectangle, and
// bytes tinted in at least two layer colours inside the hex view's rectangle. Prints what it
// found; exits non-zero on the first failed check.
#include <stb_image.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "visualizer/theme.h"

using osilab::viewer::Colour;

namespace {

struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
};

struct Image {
    int width = 0, height = 0;
    unsigned char* pixels = nullptr;
    Colour at(int x, int y) const {
        const unsigned char* p = pixels + (size_t(y) * size_t(width) + size_t(x)) * 4;
        return osilab::viewer::rgb(p[0], p[1], p[2]);
    }
    // How many pixels inside `r` have exactly colour `c`.
    long count(const Rect& r, Colour c) const {
        long n = 0;
        for (int y = std::max(0, r.y); y < std::min(height, r.y + r.h); ++y)
            for (int x = std::max(0, r.x); x < std::min(width, r.x + r.w); ++x) n += at(x, y) == c;
        return n;
    }
};

int fail(const char* what) {
    std::fprintf(stderr, "png_check: FAILED: %s\n", what);
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: png_check IMAGE LAYOUT WIDTH HEIGHT\n");
        return 2;
    }
    Image image;
    int channels = 0;
    image.pixels = stbi_load(argv[1], &image.width, &image.height, &channels, 4);
    if (image.pixels == nullptr) return fail("cannot read the PNG");
    std::printf("image %dx%d\n", image.width, image.height);
    if (image.width != std::atoi(argv[3]) || image.height != std::atoi(argv[4]))
        return fail("wrong size");

    std::map<std::string, Rect> panes;
    std::ifstream layout(argv[2]);
    std::string name;
    float x, y, w, h;
    while (layout >> name >> x >> y >> w >> h) panes[name] = Rect{int(x), int(y), int(w), int(h)};
    for (const char* pane : {"list", "layers", "bytes", "hex"})
        if (!panes.count(pane)) return fail("the layout file lacks a pane");

    std::set<Colour> distinct;
    for (int yy = 0; yy < image.height; yy += 2)
        for (int xx = 0; xx < image.width; xx += 2) distinct.insert(image.at(xx, yy));
    std::printf("distinct colours (sampled): %zu\n", distinct.size());
    if (distinct.size() < 20) return fail("the picture is (nearly) blank");

    using osilab::packet::OsiLayer;
    using osilab::packet::Protocol;
    long rows = 0;
    for (Protocol p : {Protocol::Tcp, Protocol::Udp, Protocol::Http, Protocol::Dns, Protocol::Arp,
                       Protocol::Icmp, Protocol::Data})
        rows += image.count(panes["list"], osilab::viewer::protocolRowColour(p, false));
    std::printf("list: %ld pixels of protocol row colours\n", rows);
    if (rows < 2000) return fail("no packet rows coloured by protocol in the list");

    int header_layers = 0, tinted_layers = 0;
    for (int l = 1; l <= 7; ++l) {
        const auto layer = static_cast<OsiLayer>(l);
        const long header = image.count(panes["layers"], osilab::viewer::layerColour(layer));
        const long tint = image.count(panes["hex"], osilab::viewer::layerTint(layer));
        std::printf(
            "layer %d: %ld header pixels in the layer stack, %ld tinted pixels in the hex view\n",
            l, header, tint);
        header_layers += header >= 500;
        tinted_layers += tint >= 100;
    }
    if (header_layers < 3) return fail("fewer than 3 layer colours in the layer stack");
    if (tinted_layers < 2) return fail("fewer than 2 layer colours in the bytes pane");
    stbi_image_free(image.pixels);
    std::printf("png_check: OK\n");
    return 0;
}
