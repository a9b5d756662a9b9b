// Colours with a meaning: one per OSI layer (the same in the layer stack, the bytes pane and,
// later, the encapsulation strip), and one per protocol for the packet list's rows.
#pragma once

#include <cstdint>

#include "lab/packet/layer.h"

namespace osilab::viewer {

// 0xAABBGGRR, Dear ImGui's packed colour order (IM_COL32).
using Colour = uint32_t;

constexpr Colour rgb(uint8_t r, uint8_t g, uint8_t b, uint8_t a = 255) {
    return Colour(r) | Colour(g) << 8 | Colour(b) << 16 | Colour(a) << 24;
}

// Strong colour of a layer: card headers. Index by OSI layer number 1…7.
Colour layerColour(packet::OsiLayer layer);
// Light tint of the same hue: card bodies and the background of that layer's bytes.
Colour layerTint(packet::OsiLayer layer);
// The tint made stronger, for the bytes of the field under the mouse.
Colour layerHighlight(packet::OsiLayer layer);

// Row background in the packet list, by the Protocol column (Wireshark-like, lighter).
Colour protocolRowColour(packet::Protocol protocol, bool has_problem);

inline constexpr Colour kTextDark = rgb(0x1f, 0x23, 0x28);
inline constexpr Colour kTextMuted = rgb(0x5f, 0x66, 0x6d);
inline constexpr Colour kTextOnStrong = rgb(0xff, 0xff, 0xff);
inline constexpr Colour kErrorText = rgb(0xb0, 0x1c, 0x1c);
inline constexpr Colour kLiveText = rgb(0x1e, 0x8a, 0x3c);  // a lesson running now
inline constexpr Colour kSelectionRow = rgb(0x2f, 0x6f, 0xd0);
inline constexpr Colour kWindowBackground = rgb(0xf6, 0xf7, 0xf9);

}  // namespace osilab::viewer
