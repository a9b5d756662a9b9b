#include "visualizer/teaching/encapsulation_animation.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "lab/packet/osi_view.h"
#include "visualizer/teaching/teaching_strings.h"
#include "visualizer/theme.h"

namespace osilab::viewer::teaching {

namespace {

// The pieces of the packet from the outside in: each layer's header, then the payload.
struct Piece {
    packet::OsiLayer layer;
    std::string label;
    uint32_t bytes;
};

std::vector<Piece> piecesOf(const PacketDetail& detail) {
    std::vector<Piece> pieces;
    for (const packet::Layer& l : detail.dissection.layers) {
        const uint32_t bytes = l.end > l.begin ? l.end - l.begin : 0;
        char label[64];
        std::snprintf(label, sizeof label, "%s %uB", packet::protocolDisplay(l.protocol), bytes);
        pieces.push_back(Piece{l.osi, label, bytes});
    }
    return pieces;
}

float smooth(float t) {
    t = std::clamp(t, 0.0f, 1.0f);
    return t * t * (3.0f - 2.0f * t);
}

}  // namespace

void EncapsulationAnimation::start(size_t packet, double now) {
    packet_ = packet;
    started_ = now;
}

bool EncapsulationAnimation::animating(double now) const {
    return !frozen_ && started_ && now - *started_ < kSeconds;
}

void EncapsulationAnimation::draw(const Model& model, UiState& ui, double now, float height,
                                  const std::string& sender, const std::string& receiver) {
    if (!packet_) return;
    const PacketDetail* detail = model.detail(*packet_);
    if (detail == nullptr || detail->dissection.layers.empty()) return;
    const std::vector<Piece> pieces = piecesOf(*detail);
    const bool zh = ui.zh();

    // Progress: down the sender (0…0.42), across (0.42…0.58), up the receiver (0.58…1).
    // Between animations the whole frame rests on the wire, every header in view.
    const float t = frozen_          ? *frozen_
                    : animating(now) ? float((now - *started_) / kSeconds)
                                     : 0.5f;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImGui::Dummy(ImVec2(width, height));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    const float title_h = line * 1.3f;
    const float row_h = (height - title_h) / 7.0f;
    const float stack_w = std::min(width * 0.2f, line * 9.0f);
    const float left_x = origin.x;
    const float right_x = origin.x + width - stack_w;
    const float top = origin.y + title_h;

    // The two stacks, layer 7 on top.
    for (int side = 0; side < 2; ++side) {
        const float x = side == 0 ? left_x : right_x;
        const std::string& who = side == 0 ? sender : receiver;
        char title[160];
        std::snprintf(title, sizeof title, "%s · %s",
                      tt(side == 0 ? TText::Sender : TText::Receiver, ui.language), who.c_str());
        ui.note(title);
        draw->AddText(ImVec2(x, origin.y), ImColor(kTextDark), title);
        for (int row = 0; row < 7; ++row) {
            const auto layer = static_cast<packet::OsiLayer>(7 - row);
            const float y = top + row_h * float(row);
            draw->AddRectFilled(ImVec2(x, y + 1), ImVec2(x + stack_w, y + row_h - 1),
                                layerTint(layer));
            char name[64];
            std::snprintf(name, sizeof name, "%d %s", 7 - row, packet::osiLayerName(layer, zh));
            ui.note(name);
            draw->AddText(ImVec2(x + 4, y + (row_h - line) * 0.5f), ImColor(kTextDark), name);
        }
    }
    draw->AddText(ImVec2(origin.x + width * 0.5f -
                             ImGui::CalcTextSize(tt(TText::OnTheWire, ui.language)).x * 0.5f,
                         top + row_h * 6.0f - line),
                  ImColor(kTextMuted), tt(TText::OnTheWire, ui.language));

    // Where the packet is: a row (fractional) and a horizontal position.
    float row = 0.0f, x_center = 0.0f;
    const float mid_left = left_x + stack_w * 0.5f, mid_right = right_x + stack_w * 0.5f;
    if (t < 0.42f) {
        row = 6.0f * smooth(t / 0.42f);
        x_center = mid_left;
    } else if (t < 0.58f) {
        row = 6.0f;
        x_center = mid_left + (mid_right - mid_left) * smooth((t - 0.42f) / 0.16f);
    } else {
        row = 6.0f * (1.0f - smooth((t - 0.58f) / 0.42f));
        x_center = mid_right;
    }
    // The layers present at this height: those at or above it (a header is added on the way
    // down when its layer is reached, and taken off on the way up when its layer is left).
    const int layer_here = 7 - int(std::lround(row));
    std::vector<const Piece*> visible;
    for (const Piece& p : pieces)
        if (int(p.layer) >= layer_here) visible.push_back(&p);
    if (visible.empty()) return;
    float total_w = 0.0f;
    std::vector<float> widths;
    for (const Piece* p : visible) {
        const float w = ImGui::CalcTextSize(p->label.c_str()).x + line * 0.6f;
        widths.push_back(w);
        total_w += w;
    }
    const float max_w = (mid_right - mid_left) + stack_w * 0.8f;
    const float scale = total_w > max_w ? max_w / total_w : 1.0f;
    float x =
        std::clamp(x_center - total_w * scale * 0.5f, origin.x, origin.x + width - total_w * scale);
    const float y = top + row_h * row + row_h * 0.1f;
    for (size_t i = 0; i < visible.size(); ++i) {
        const float w = widths[i] * scale;
        draw->AddRectFilled(ImVec2(x, y), ImVec2(x + w - 2, y + row_h * 0.8f),
                            layerColour(visible[i]->layer), 3.0f);
        draw->PushClipRect(ImVec2(x, y), ImVec2(x + w - 2, y + row_h * 0.8f), true);
        draw->AddText(ImVec2(x + line * 0.3f, y + (row_h * 0.8f - line) * 0.5f),
                      ImColor(kTextOnStrong), visible[i]->label.c_str());
        draw->PopClipRect();
        x += w;
    }
}

}  // namespace osilab::viewer::teaching
