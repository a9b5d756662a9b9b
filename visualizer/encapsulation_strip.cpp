#include "visualizer/encapsulation_strip.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "visualizer/theme.h"

namespace osilab::viewer {

void EncapsulationStrip::draw(const Model& model, UiState& ui) {
    const PacketDetail* detail = ui.selected_packet ? model.detail(*ui.selected_packet) : nullptr;
    if (detail == nullptr || detail->view.cap_len == 0) return;
    const auto& layers = detail->dissection.layers;
    const float total = float(detail->view.cap_len);
    const float width = ImGui::GetContentRegionAvail().x;
    const float row = ImGui::GetTextLineHeight() + 2.0f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    char label[96];
    int drawn = 0;
    for (const packet::Layer& layer : layers) {
        const uint32_t begin = std::min(layer.begin, detail->view.cap_len);
        const uint32_t end = std::min(layer.end, detail->view.cap_len);
        if (end <= begin) continue;
        const float y = origin.y + float(drawn) * row;
        const float x0 = origin.x + width * float(begin) / total;
        const float x1 = std::max(x0 + 2.0f, origin.x + width * float(end) / total);
        const float x2 = origin.x + width;
        draw->AddRectFilled(ImVec2(x0, y), ImVec2(x2, y + row - 2.0f), layerTint(layer.osi));
        draw->AddRectFilled(ImVec2(x0, y), ImVec2(x1, y + row - 2.0f), layerColour(layer.osi));
        std::snprintf(label, sizeof label, "%s %u B", packet::protocolDisplay(layer.protocol),
                      end - begin);
        const float text_width = ImGui::CalcTextSize(label).x;
        // Inside the header when it fits, else just after it, over the tint.
        const bool inside = text_width + 6.0f <= x1 - x0;
        const float tx = inside ? x0 + 3.0f : std::min(x1 + 3.0f, x2 - text_width);
        draw->AddText(ImVec2(tx, y + 1.0f), inside ? kTextOnStrong : kTextDark, label);
        if (ImGui::IsWindowHovered() && mouse.y >= y && mouse.y < y + row && mouse.x >= x0 &&
            mouse.x < x2) {
            ImGui::SetTooltip("%s: %u %s (%u-%u) · %s %u %s",
                              packet::protocolDisplay(layer.protocol), end - begin,
                              ui.tr(Text::BytesOfField), begin, end - 1, ui.tr(Text::Carries),
                              detail->view.cap_len - end, ui.tr(Text::BytesOfField));
        }
        ++drawn;
    }
    ImGui::Dummy(ImVec2(width, float(drawn) * row + 2.0f));
}

}  // namespace osilab::viewer
