#include "visualizer/layer_stack_pane.h"

#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "visualizer/theme.h"

namespace osilab::viewer {

namespace {

// A lesson run's packet carries its step's narrative in both languages, as two comments
// ("Step 6 (client connect): …" and "第 6 步: …"): the viewer shows the one in its language.
bool narrativeInOtherLanguage(const std::vector<std::string>& comments, const std::string& comment,
                              bool zh) {
    const char* mine = zh ? "第 " : "Step ";
    const char* other = zh ? "Step " : "第 ";
    if (comment.rfind(other, 0) != 0) return false;
    for (const std::string& c : comments)
        if (c.rfind(mine, 0) == 0) return true;
    return false;
}

std::string osiTitle(packet::OsiLayer layer, bool zh) {
    char buffer[96];
    const unsigned n = static_cast<unsigned>(layer);
    if (zh)
        std::snprintf(buffer, sizeof buffer, "第 %u 层 · %s", n, packet::osiLayerName(layer, true));
    else
        std::snprintf(buffer, sizeof buffer, "Layer %u · %s", n,
                      packet::osiLayerName(layer, false));
    return buffer;
}

std::string ipv4Binary(uint32_t address) {
    std::string out;
    for (int octet = 3; octet >= 0; --octet) {
        const uint32_t value = (address >> (octet * 8)) & 0xff;
        for (int bit = 7; bit >= 0; --bit) out.push_back((value >> bit) & 1 ? '1' : '0');
        if (octet) out.push_back('.');
    }
    return out;
}

// The TCP/IP model's four layers and the OSI layers each covers, top first.
struct TcpIpLayer {
    Text name;
    packet::OsiLayer colour;
    const char* osi_numbers;
    int first_osi, last_osi;  // inclusive, top-down
};
constexpr TcpIpLayer kTcpIp[] = {
    {Text::TcpIpApplication, packet::OsiLayer::Application, "7 · 6 · 5", 7, 5},
    {Text::TcpIpTransport, packet::OsiLayer::Transport, "4", 4, 4},
    {Text::TcpIpInternet, packet::OsiLayer::Network, "3", 3, 3},
    {Text::TcpIpLink, packet::OsiLayer::DataLink, "2 · 1", 2, 1},
};

}  // namespace

template <typename Body>
void LayerStackPane::card(packet::OsiLayer colour_layer, const std::string& title, Body&& body) {
    const ImGuiStyle& style = ImGui::GetStyle();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float pad = style.FramePadding.x;
    const float width = ImGui::GetContentRegionAvail().x;
    const ImVec2 top = ImGui::GetCursorScreenPos();
    const float title_height = ImGui::GetTextLineHeight() + style.FramePadding.y * 2;

    // Content on channel 1, backgrounds on channel 0 once the card's height is known.
    draw->ChannelsSplit(2);
    draw->ChannelsSetCurrent(1);
    draw->AddText(ImVec2(top.x + pad, top.y + style.FramePadding.y), kTextOnStrong, title.c_str());
    ImGui::Dummy(ImVec2(width, title_height));
    ImGui::Indent(pad);
    ImGui::PushTextWrapPos(top.x + width - pad - ImGui::GetWindowPos().x);
    ImGui::BeginGroup();
    body();
    ImGui::EndGroup();
    ImGui::PopTextWrapPos();
    ImGui::Unindent(pad);
    const float bottom = ImGui::GetItemRectMax().y + style.FramePadding.y;
    draw->ChannelsSetCurrent(0);
    const float rounding = style.FrameRounding + 3.0f;
    draw->AddRectFilled(top, ImVec2(top.x + width, bottom), layerTint(colour_layer), rounding);
    draw->AddRectFilled(top, ImVec2(top.x + width, top.y + title_height), layerColour(colour_layer),
                        rounding, ImDrawFlags_RoundCornersTop);
    draw->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(top.x, bottom));
    ImGui::Dummy(ImVec2(width, style.ItemSpacing.y));
}

void LayerStackPane::draw(const Model& model, UiState& ui) {
    if (ImGui::RadioButton(ui.tr(Text::OsiModel), !ui.four_layer_model))
        ui.four_layer_model = false;
    ImGui::SameLine();
    if (ImGui::RadioButton(ui.tr(Text::TcpIpModel), ui.four_layer_model))
        ui.four_layer_model = true;

    const PacketDetail* detail = ui.selected_packet ? model.detail(*ui.selected_packet) : nullptr;
    if (!ImGui::BeginChild("layer-cards")) {
        ImGui::EndChild();
        return;
    }
    if (detail == nullptr) {
        ImGui::TextColored(ImColor(kTextMuted), "%s", ui.tr(Text::NoPacketSelected));
        ImGui::EndChild();
        return;
    }
    highlighted_field_ =
        ui.hovered_byte_prev >= 0 ? detail->fieldAtByte(size_t(ui.hovered_byte_prev)) : -1;

    for (const std::string& comment : detail->comments) {
        if (narrativeInOtherLanguage(detail->comments, comment, ui.zh())) continue;
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(ImColor(kTextMuted), "# %s", comment.c_str());
        ImGui::PopTextWrapPos();
    }

    if (!ui.four_layer_model) {
        for (const packet::OsiLayerView& view : detail->osi) {
            card(view.osi, osiTitle(view.osi, ui.zh()),
                 [&] { drawOsiLayerContent(*detail, view, ui, false); });
        }
    } else {
        for (const TcpIpLayer& layer : kTcpIp) {
            char title[160];
            char mapping[64];
            std::snprintf(mapping, sizeof mapping, ui.tr(Text::MapsToOsi), layer.osi_numbers);
            std::snprintf(title, sizeof title, "%s   %s", ui.tr(layer.name), mapping);
            card(layer.colour, title, [&] {
                for (int osi = layer.first_osi; osi >= layer.last_osi; --osi)
                    drawOsiLayerContent(*detail, detail->osi[size_t(7 - osi)], ui, true);
            });
        }
    }
    ImGui::EndChild();
}

void LayerStackPane::drawOsiLayerContent(const PacketDetail& detail,
                                         const packet::OsiLayerView& view, UiState& ui,
                                         bool show_heading) {
    if (show_heading) {
        ImGui::TextColored(ImColor(layerColour(view.osi)), "%s",
                           osiTitle(view.osi, ui.zh()).c_str());
        ImGui::Indent();
    }
    for (uint32_t layer_index : view.layers) drawLayerFields(detail, layer_index, ui);
    const std::string& note = ui.zh() ? view.note_zh : view.note_en;
    if (!note.empty()) ImGui::TextColored(ImColor(kTextMuted), "%s", note.c_str());
    if (show_heading) ImGui::Unindent();
}

void LayerStackPane::drawLayerFields(const PacketDetail& detail, uint32_t layer_index,
                                     UiState& ui) {
    const packet::Dissection& d = detail.dissection;
    const packet::Layer& layer = d.layers[layer_index];
    const bool zh = ui.zh();
    const char* title =
        zh ? packet::protocolTitleZh(layer.protocol) : packet::protocolTitleEn(layer.protocol);
    const char* short_name = packet::protocolDisplay(layer.protocol);
    if (std::strcmp(title, short_name) == 0) {
        ImGui::Text("%s · %u %s", title, layer.end - layer.begin, ui.tr(Text::BytesOfField));
    } else {
        ImGui::Text("%s (%s) · %u %s", title, short_name, layer.end - layer.begin,
                    ui.tr(Text::BytesOfField));
    }
    for (const packet::Problem& problem : d.problems) {
        if (problem.layer == layer_index)
            ImGui::TextColored(ImColor(kErrorText), "%s: %s", ui.tr(Text::LayerProblem),
                               problem.message.c_str());
    }
    // Fields form a tree by depth (flags under tcp.flags, options under tcp.options…); nested
    // ones start folded, as in Wireshark, so every layer's card stays short.
    const uint32_t first = layer.first_field;
    const uint32_t last = std::min<uint32_t>(first + layer.field_count, uint32_t(d.fields.size()));
    auto subtreeEnd = [&](uint32_t i) {
        uint32_t j = i + 1;
        while (j < last && d.fields[j].depth > d.fields[i].depth) ++j;
        return j;
    };
    int pushed = 0;
    for (uint32_t i = first; i < last;) {
        const packet::Field& f = d.fields[i];
        while (pushed > f.depth) {
            ImGui::TreePop();
            --pushed;
        }
        const uint32_t end = subtreeEnd(i);
        const bool has_children = end > i + 1;
        if (f.info == nullptr) {
            i = end;
            continue;
        }
        ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_SpanAvailWidth;
        if (!has_children) flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
        if (int(i) == highlighted_field_) flags |= ImGuiTreeNodeFlags_Selected;
        // Unfold to show the field whose byte is under the mouse in the bytes pane.
        if (has_children && highlighted_field_ > int(i) && highlighted_field_ < int(end))
            ImGui::SetNextItemOpen(true);
        const char* title = zh ? f.info->title_zh : f.info->title_en;
        const void* id = reinterpret_cast<const void*>(uintptr_t(i));
        const bool open =
            f.kind == packet::FieldKind::Label
                ? ImGui::TreeNodeEx(id, flags, "%s", title)
                : ImGui::TreeNodeEx(id, flags, "%s: %s", title, detail.value(i, ui.zh()).c_str());
        if (ImGui::IsItemHovered()) {
            ui.hovered_field = int(i);
            drawFieldTooltip(detail, i, ui);
        }
        if (has_children && open) {
            ++pushed;
            ++i;
        } else {
            i = end;  // folded: skip its children
        }
    }
    while (pushed-- > 0) ImGui::TreePop();
}

void LayerStackPane::drawFieldTooltip(const PacketDetail& detail, size_t i, UiState& ui) {
    const packet::Field& f = detail.dissection.fields[i];
    const bool zh = ui.zh();
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
    ImGui::TextUnformatted(zh ? f.info->title_zh : f.info->title_en);
    ImGui::TextUnformatted(zh ? f.info->explain_zh : f.info->explain_en);
    if (f.kind == packet::FieldKind::Ipv4) {
        // The address as the 32 bits the header really carries.
        const std::string bits = ipv4Binary(static_cast<uint32_t>(f.number));
        ImGui::Spacing();
        if (ui.mono_font) ImGui::PushFont(ui.mono_font);
        ImGui::Text("%s", detail.value(i, ui.zh()).c_str());
        ImGui::Text("%s", bits.c_str());
        if (ui.mono_font) ImGui::PopFont();
    }
    if (f.begin < f.end) {
        ImGui::TextColored(ImColor(kTextMuted), "%s · %s %u-%u (%u %s)", f.info->name,
                           ui.tr(Text::ByteOffset), f.begin, f.end - 1, f.end - f.begin,
                           ui.tr(Text::BytesOfField));
    } else {
        ImGui::TextColored(ImColor(kTextMuted), "%s · %s", f.info->name,
                           ui.tr(Text::GeneratedField));
    }
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

}  // namespace osilab::viewer
