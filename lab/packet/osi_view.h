// The seven-layer view of one dissected packet: which layers sit at each OSI layer, and for the
// layers that have no header of their own (1 physical, 5 session, 6 presentation — or any layer
// missing from this packet) a sentence that says what is there, or what would be on a real link.
// Shared by `osilab show -V` and the viewer's layer stack.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "lab/packet/conversations.h"
#include "lab/packet/dissector.h"
#include "lab/packet/layer.h"

namespace osilab::packet {

struct OsiLayerView {
    OsiLayer osi = OsiLayer::Physical;
    std::vector<uint32_t> layers;  // indexes into Dissection::layers, outermost first
    std::string note_en;           // derived description or "nothing here" explanation
    std::string note_zh;
};

const char* osiLayerName(OsiLayer layer, bool zh);  // "Transport" / "传输层"

// Index 0 is layer 7 (Application) … index 6 is layer 1 (Physical): top to bottom, as drawn.
std::array<OsiLayerView, 7> osiView(const PacketView& packet, const Dissection& d,
                                    const Conversations* conversations);

}  // namespace osilab::packet
