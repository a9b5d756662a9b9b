#include "visualizer/teaching/ladder_colours.h"

namespace osilab::viewer {

Colour ladderColour(LadderColour which) {
    switch (which) {
        case LadderColour::Background: return rgb(0xff, 0xff, 0xff);
        case LadderColour::BandEven: return rgb(0xf7, 0xf8, 0xfa);
        case LadderColour::BandOdd: return rgb(0xee, 0xf1, 0xf5);
        case LadderColour::CurrentStep: return rgb(0xff, 0xf4, 0xd6);
        case LadderColour::StepTitle: return rgb(0x5f, 0x66, 0x6d);
        case LadderColour::Lifeline: return rgb(0x9a, 0xa3, 0xad);
        case LadderColour::Text: return kTextDark;
        case LadderColour::Muted: return rgb(0x4a, 0x52, 0x5a);
        case LadderColour::TextOnState: return rgb(0xff, 0xff, 0xff);
        case LadderColour::Plate: return rgb(0xff, 0xff, 0xff, 0xe6);
        case LadderColour::HoverPlate: return rgb(0xff, 0xec, 0xc2);
        case LadderColour::Tcp: return rgb(0x1f, 0x5f, 0xbf);
        case LadderColour::Udp: return rgb(0x1b, 0x7f, 0x4c);
        case LadderColour::Selected: return rgb(0xd9, 0x5a, 0x00);
        case LadderColour::Failed: return kErrorText;
    }
    return kTextDark;
}

Colour ladderActorColour(size_t lifeline) {
    static constexpr Colour kColours[] = {
        rgb(0x2b, 0x5d, 0x9c), rgb(0x8a, 0x3f, 0x9e), rgb(0x1f, 0x7a, 0x6d),
        rgb(0xa0, 0x52, 0x1c), rgb(0x5b, 0x6b, 0x1d), rgb(0x9c, 0x2b, 0x4f),
    };
    return kColours[lifeline % (sizeof kColours / sizeof kColours[0])];
}

Colour ladderStateColour(std::string_view state) {
    if (state == "LISTEN") return rgb(0x2f, 0x6f, 0xd0);
    if (state == "SYN-SENT" || state == "SYN-RECV" || state == "SYN-RECEIVED")
        return rgb(0xc8, 0x6a, 0x0a);
    if (state == "ESTABLISHED") return rgb(0x1e, 0x8a, 0x3c);
    if (state == "TIME-WAIT") return rgb(0x7b, 0x3f, 0xb0);
    if (state == "CLOSED" || state == "CLOSE") return rgb(0x6b, 0x72, 0x78);
    if (state == "BOUND" || state == "UNCONNECTED" || state == "CONNECTED")
        return rgb(0x3d, 0x7f, 0x99);
    return rgb(0xb0, 0x7a, 0x00);  // FIN-WAIT-1/2, CLOSE-WAIT, LAST-ACK, CLOSING
}

}  // namespace osilab::viewer
