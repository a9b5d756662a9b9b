#include "visualizer/packet_list_pane.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cinttypes>
#include <cstdio>

#include "visualizer/conversations_pane.h"
#include "visualizer/theme.h"

namespace osilab::viewer {

void PacketListPane::draw(const Model& model, UiState& ui) {
    drawFilterBar(model, ui);
    if (!model.hasCapture()) {
        ImGui::Spacing();
        ImGui::TextColored(ImColor(kTextMuted), "%s", ui.tr(Text::NoCaptureOpen));
        return;
    }
    drawTable(model, ui);
}

void PacketListPane::drawFilterBar(const Model& model, UiState& ui) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float apply_width =
        ImGui::CalcTextSize(ui.tr(Text::FilterApply)).x + style.FramePadding.x * 2;
    const float clear_width =
        ImGui::CalcTextSize(ui.tr(Text::FilterClear)).x + style.FramePadding.x * 2;
    ImGui::SetNextItemWidth(-(apply_width + clear_width + style.ItemSpacing.x * 2));
    if (ui.focus_filter) {
        ImGui::SetKeyboardFocusHere();
        ui.focus_filter = false;
    }
    const bool error = !ui.filter_error.empty();
    if (error) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImColor(rgb(0xff, 0xe4, 0xe4)).Value);
    bool apply = ImGui::InputTextWithHint("##filter", ui.tr(Text::FilterHint), &ui.filter_text,
                                          ImGuiInputTextFlags_EnterReturnsTrue);
    if (error) ImGui::PopStyleColor();
    ImGui::SameLine();
    apply |= ImGui::Button(ui.tr(Text::FilterApply));
    ImGui::SameLine();
    if (ImGui::Button(ui.tr(Text::FilterClear))) {
        ui.filter_text.clear();
        apply = true;
    }
    if (apply) ui.send(Command::Kind::ApplyFilter, ui.filter_text);

    if (error) {
        ui.note(ui.filter_error);
        ImGui::TextColored(ImColor(kErrorText), "%s", ui.filter_error.c_str());
    } else if (const session::FilterJob* filter = model.filter()) {
        ImGui::TextColored(ImColor(kTextMuted), ui.tr(Text::FilterShowing), filter->matchCount(),
                           model.session()->packetCount());
        if (!filter->finished()) {
            ImGui::SameLine();
            ImGui::TextColored(ImColor(kTextMuted), "%s", ui.tr(Text::FilterRunning));
        }
        const std::string problem = filter->linkTypeProblem();
        if (!problem.empty()) {
            ui.note(problem);
            ImGui::SameLine();
            ImGui::TextColored(ImColor(kErrorText), "%s%s", ui.tr(Text::FilterNotForLinkType),
                               problem.c_str());
        }
    }
}

void PacketListPane::drawTable(const Model& model, UiState& ui) {
    const session::Session& session = *model.session();
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_Reorderable |
                                  ImGuiTableFlags_Hideable;
    if (!ImGui::BeginTable("packets", 7, flags)) return;
    const float digit = ImGui::CalcTextSize("0").x;
    ImGui::TableSetupScrollFreeze(0, 1);
    // Columns keep their identity by index, so switching language keeps widths and order.
    ImGui::TableSetupColumn(ui.tr(Text::ColumnNumber), ImGuiTableColumnFlags_WidthFixed, digit * 8);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnTime), ImGuiTableColumnFlags_WidthFixed, digit * 11);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnSource), ImGuiTableColumnFlags_WidthFixed,
                            digit * 17);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnDestination), ImGuiTableColumnFlags_WidthFixed,
                            digit * 17);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnProtocol), ImGuiTableColumnFlags_WidthFixed,
                            digit * 8);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnLength), ImGuiTableColumnFlags_WidthFixed, digit * 7);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnInfo), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();

    const size_t rows = model.rowCount();
    const float row_height = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2;
    const std::optional<size_t> selected_row =
        ui.selected_packet ? model.rowOfPacket(*ui.selected_packet) : std::nullopt;
    if (ui.scroll_to_selection && selected_row) {
        // Keep the selected row in view when the keyboard moves it.
        const float y = float(*selected_row) * row_height;
        const float visible = ImGui::GetWindowHeight() - row_height * 1.5f;  // minus the header
        const float scroll = ImGui::GetScrollY();
        if (y < scroll)
            ImGui::SetScrollY(y);
        else if (y + row_height > scroll + visible)
            ImGui::SetScrollY(y + row_height - visible);
    }
    ui.scroll_to_selection = false;

    const int64_t first_time = session.firstTimeNs();
    char buffer[64];
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(std::min<size_t>(rows, INT32_MAX)), row_height);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const size_t packet = model.packetOfRow(size_t(row));
            const session::PacketIndex& p = session.packet(packet);
            const RowText& text = model.rowText(packet);
            const bool selected = ui.selected_packet == packet;
            ImGui::TableNextRow(ImGuiTableRowFlags_None, row_height);
            ImGui::TableSetBgColor(
                ImGuiTableBgTarget_RowBg0,
                selected ? kSelectionRow : protocolRowColour(p.protocol, p.hasProblem()));
            ImGui::PushStyleColor(ImGuiCol_Text,
                                  ImColor(selected ? kTextOnStrong : kTextDark).Value);

            ImGui::TableSetColumnIndex(0);
            std::snprintf(buffer, sizeof buffer, "%zu", packet + 1);
            ImGui::PushID(row);
            if (ImGui::Selectable(
                    buffer, false,
                    ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                    ImVec2(0, row_height - ImGui::GetStyle().CellPadding.y * 2))) {
                ui.selected_packet = packet;
            }
            if ((p.isTcp() || p.isUdp()) && ImGui::BeginPopupContextItem("row-menu")) {
                ImGui::PushStyleColor(ImGuiCol_Text, ImColor(kTextDark).Value);
                if (ImGui::MenuItem(ui.tr(Text::FollowThisStream))) {
                    ui.selected_packet = packet;
                    ui.send(Command::Kind::FollowStream,
                            followCommandText(p.isTcp(), p.conversation));
                }
                ImGui::PopStyleColor();
                ImGui::EndPopup();
            }
            ImGui::PopID();
            ImGui::TableSetColumnIndex(1);
            const double seconds = double(p.time_ns - first_time) / 1e9;
            ImGui::Text("%.6f", seconds);
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(text.source.c_str());
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(text.destination.c_str());
            ImGui::TableSetColumnIndex(4);
            ImGui::TextUnformatted(packet::protocolDisplay(p.protocol));
            ImGui::TableSetColumnIndex(5);
            ImGui::Text("%" PRIu32, p.orig_len);
            ImGui::TableSetColumnIndex(6);
            ImGui::TextUnformatted(text.info.c_str());
            ImGui::PopStyleColor();
        }
    }
    ImGui::EndTable();
}

}  // namespace osilab::viewer
