#include "visualizer/bytes_pane.h"

#include <imgui.h>

#include "visualizer/hex_view.h"
#include "visualizer/theme.h"

namespace osilab::viewer {

void BytesPane::draw(const Model& model, UiState& ui) {
    const PacketDetail* detail = ui.selected_packet ? model.detail(*ui.selected_packet) : nullptr;
    if (detail == nullptr) {
        ImGui::TextColored(ImColor(kTextMuted), "%s", ui.tr(Text::NoPacketSelected));
        return;
    }
    const packet::Dissection& d = detail->dissection;
    ImGui::TextColored(ImColor(kTextMuted), "%s · %u %s · %s", ui.tr(Text::PaneBytes),
                       detail->view.cap_len, ui.tr(Text::BytesOfField), ui.tr(Text::HoverByteHint));

    // The field to outline: the one hovered in the layer stack, else the one under the mouse
    // here (last frame's, as this frame's is only known after drawing).
    int field = ui.hovered_field_prev;
    if (field < 0 && ui.hovered_byte_prev >= 0)
        field = detail->fieldAtByte(size_t(ui.hovered_byte_prev));
    uint32_t outline_begin = 0, outline_end = 0;
    if (field >= 0 && size_t(field) < d.fields.size()) {
        outline_begin = d.fields[size_t(field)].begin;
        outline_end = d.fields[size_t(field)].end;
    }
    auto look = [&](size_t at) {
        ByteLook l;
        const int layer = at < detail->layer_of_byte.size() ? detail->layer_of_byte[at] : -1;
        const bool outlined = at >= outline_begin && at < outline_end;
        if (layer >= 0) {
            const packet::OsiLayer osi = d.layers[size_t(layer)].osi;
            l.background = outlined ? layerHighlight(osi) : layerTint(osi);
        }
        l.emphasised = outlined;
        return l;
    };
    const int hovered =
        HexView::draw("bytes", {detail->view.data, detail->view.cap_len}, ui.mono_font, look);
    ui.hovered_byte = hovered;
    const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
    ui.drawn_rects.push_back({"hex", min.x, min.y, max.x - min.x, max.y - min.y});
    if (hovered >= 0) {
        const int f = detail->fieldAtByte(size_t(hovered));
        if (f >= 0 && d.fields[size_t(f)].info != nullptr) {
            const packet::Field& fl = d.fields[size_t(f)];
            ImGui::BeginTooltip();
            ImGui::Text("%s: %s", ui.zh() ? fl.info->title_zh : fl.info->title_en,
                        detail->value(size_t(f), ui.zh()).c_str());
            ImGui::TextColored(ImColor(kTextMuted), "%s · %s %u-%u", fl.info->name,
                               ui.tr(Text::ByteOffset), fl.begin, fl.end - 1);
            ImGui::EndTooltip();
        }
    }
}

}  // namespace osilab::viewer
