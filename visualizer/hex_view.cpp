#include "visualizer/hex_view.h"

#include <imgui.h>

#include <cstdio>

namespace osilab::viewer {

namespace {
constexpr char kHex[] = "0123456789abcdef";
}  // namespace

int HexView::draw(const char* id, std::span<const uint8_t> bytes, ImFont* mono, const LookFn& look,
                  float height) {
    int hovered = -1;
    if (!ImGui::BeginChild(id, ImVec2(0, height), false, ImGuiWindowFlags_HorizontalScrollbar)) {
        ImGui::EndChild();
        return hovered;
    }
    if (mono) ImGui::PushFont(mono);
    // Rows are exactly one line apart, as the clipper is told.
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
    const float cw = ImGui::CalcTextSize("0").x;
    const float lh = ImGui::GetTextLineHeightWithSpacing();
    // Columns: "0000  " offset, 16 × "xx " with a gap after 8, then "  " and the text; 8 a
    // row when 16 do not fit, rather than a sideways scroll.
    const int per_row = ImGui::GetContentRegionAvail().x >= cw * (6 + 16 * 3 + 1 + 2 + 17) ? 16 : 8;
    const float hex_x = cw * 6;
    const float text_x = hex_x + cw * (per_row * 3 + (per_row > 8 ? 1 : 0)) + cw * 2;
    const int rows = static_cast<int>((bytes.size() + per_row - 1) / per_row);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 text_colour = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 muted = ImGui::GetColorU32(ImGuiCol_TextDisabled);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool window_hovered = ImGui::IsWindowHovered();

    ImGuiListClipper clipper;
    clipper.Begin(rows, lh);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const ImVec2 origin = ImGui::GetCursorScreenPos();
            char offset[8];
            std::snprintf(offset, sizeof offset, "%04x", row * per_row);
            draw->AddText(origin, muted, offset);
            for (int k = 0; k < per_row; ++k) {
                const size_t at = size_t(row) * per_row + k;
                if (at >= bytes.size()) break;
                const float gap = per_row > 8 && k >= 8 ? cw : 0.0f;
                const ImVec2 hex_min(origin.x + hex_x + cw * 3 * k + gap - cw * 0.5f, origin.y);
                const ImVec2 hex_max(hex_min.x + cw * 3, origin.y + lh);
                const ImVec2 chr_min(origin.x + text_x + cw * k, origin.y);
                const ImVec2 chr_max(chr_min.x + cw, origin.y + lh);
                const ByteLook l = look ? look(at) : ByteLook{};
                if (l.background != 0) {
                    draw->AddRectFilled(hex_min, hex_max, l.background);
                    draw->AddRectFilled(chr_min, chr_max, l.background);
                }
                if (l.emphasised) {
                    draw->AddRect(hex_min, hex_max, text_colour);
                    draw->AddRect(chr_min, chr_max, text_colour);
                }
                const uint8_t b = bytes[at];
                const char pair[3] = {kHex[b >> 4], kHex[b & 15], 0};
                draw->AddText(ImVec2(hex_min.x + cw * 0.5f, origin.y), text_colour, pair);
                const char shown[2] = {b >= 0x20 && b < 0x7f ? char(b) : '.', 0};
                draw->AddText(chr_min, b >= 0x20 && b < 0x7f ? text_colour : muted, shown);
                if (window_hovered && mouse.y >= origin.y && mouse.y < origin.y + lh &&
                    ((mouse.x >= hex_min.x && mouse.x < hex_max.x) ||
                     (mouse.x >= chr_min.x && mouse.x < chr_max.x)))
                    hovered = static_cast<int>(at);
            }
            ImGui::Dummy(ImVec2(text_x + cw * (per_row + 1), lh));
        }
    }
    ImGui::PopStyleVar();
    if (mono) ImGui::PopFont();
    ImGui::EndChild();
    return hovered;
}

}  // namespace osilab::viewer
