#include "visualizer/theme.h"

namespace osilab::viewer {

namespace {

struct LayerColours {
    Colour strong, tint, highlight;
};

// Hues far apart so neighbouring layers never look alike; tints light enough for dark text.
constexpr LayerColours kLayers[8] = {
    {rgb(0x80, 0x80, 0x80), rgb(0xee, 0xee, 0xee), rgb(0xc8, 0xc8, 0xc8)},  // (unused 0)
    {rgb(0x6b, 0x6e, 0x75), rgb(0xe6, 0xe7, 0xea), rgb(0xbd, 0xc0, 0xc6)},  // 1 physical
    {rgb(0x2e, 0x6d, 0xb4), rgb(0xd6, 0xe6, 0xf7), rgb(0x96, 0xbf, 0xec)},  // 2 data link
    {rgb(0x2f, 0x8f, 0x46), rgb(0xd5, 0xf0, 0xdc), rgb(0x92, 0xd8, 0xa4)},  // 3 network
    {rgb(0xd9, 0x77, 0x1c), rgb(0xfd, 0xe6, 0xcf), rgb(0xf6, 0xbb, 0x82)},  // 4 transport
    {rgb(0x1d, 0x93, 0x93), rgb(0xd2, 0xf1, 0xf1), rgb(0x8d, 0xd9, 0xd9)},  // 5 session
    {rgb(0xb5, 0x93, 0x0e), rgb(0xf7, 0xef, 0xc9), rgb(0xe9, 0xd6, 0x7c)},  // 6 presentation
    {rgb(0x8e, 0x44, 0xad), rgb(0xef, 0xdf, 0xf6), rgb(0xd3, 0xa9, 0xe6)},  // 7 application
};

const LayerColours& colours(packet::OsiLayer layer) {
    const unsigned i = static_cast<unsigned>(layer);
    return kLayers[i <= 7 ? i : 0];
}

}  // namespace

Colour layerColour(packet::OsiLayer layer) {
    return colours(layer).strong;
}
Colour layerTint(packet::OsiLayer layer) {
    return colours(layer).tint;
}
Colour layerHighlight(packet::OsiLayer layer) {
    return colours(layer).highlight;
}

Colour protocolRowColour(packet::Protocol protocol, bool has_problem) {
    using packet::Protocol;
    if (has_problem) return rgb(0xff, 0xd6, 0xd6);
    switch (protocol) {
        case Protocol::Tcp: return rgb(0xe7, 0xe6, 0xff);
        case Protocol::Udp: return rgb(0xda, 0xee, 0xff);
        case Protocol::Http: return rgb(0xe4, 0xff, 0xc7);
        case Protocol::Dns: return rgb(0xd0, 0xf0, 0xff);
        case Protocol::Arp: return rgb(0xfa, 0xf0, 0xd7);
        case Protocol::Icmp:
        case Protocol::Icmpv6: return rgb(0xfc, 0xe0, 0xff);
        default: return rgb(0xf2, 0xf2, 0xf2);
    }
}

}  // namespace osilab::viewer
