#include "visualizer/conversations_pane.h"

#include <imgui.h>

#include <cinttypes>
#include <cstdio>

#include "visualizer/theme.h"

namespace osilab::viewer {

std::string followCommandText(bool tcp, uint32_t index) {
    return (tcp ? "tcp " : "udp ") + std::to_string(index);
}

bool parseFollowCommand(const std::string& text, bool& tcp, uint32_t& index) {
    char kind[4] = {};
    unsigned value = 0;
    if (std::sscanf(text.c_str(), "%3s %u", kind, &value) != 2) return false;
    tcp = std::string(kind) == "tcp";
    if (!tcp && std::string(kind) != "udp") return false;
    index = value;
    return true;
}

void ConversationsPane::draw(const Model& model, UiState& ui) {
    if (!model.hasCapture()) {
        ImGui::TextColored(ImColor(kTextMuted), "%s", ui.tr(Text::NoCaptureOpen));
        return;
    }
    const session::ConversationTable& table = model.conversations();
    char tcp_label[64], udp_label[64];
    std::snprintf(tcp_label, sizeof tcp_label, "TCP (%zu)", table.tcp().size());
    std::snprintf(udp_label, sizeof udp_label, "UDP (%zu)", table.udp().size());
    if (ImGui::RadioButton(tcp_label, !show_udp_)) show_udp_ = false;
    ImGui::SameLine();
    if (ImGui::RadioButton(udp_label, show_udp_)) show_udp_ = true;
    const auto& rows = show_udp_ ? table.udp() : table.tcp();

    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_RowBg;
    if (!ImGui::BeginTable("conversations", 7, flags)) return;
    const float digit = ImGui::CalcTextSize("0").x;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnStream), ImGuiTableColumnFlags_WidthFixed, digit * 8);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnClient), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnServer), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnPackets), ImGuiTableColumnFlags_WidthFixed,
                            digit * 9);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnBytes), ImGuiTableColumnFlags_WidthFixed, digit * 11);
    ImGui::TableSetupColumn(ui.tr(Text::ColumnDuration), ImGuiTableColumnFlags_WidthFixed,
                            digit * 11);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, digit * 10);
    ImGui::TableHeadersRow();

    const session::Session& session = *model.session();
    const float row_height = ImGui::GetFrameHeight();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()), row_height);
    char buffer[64];
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const session::ConversationRow& row = rows[size_t(r)];
            const auto& [client, server] = model.endpoints(row.tcp, row.index);
            ImGui::TableNextRow(ImGuiTableRowFlags_None, row_height);
            ImGui::PushID(r);
            ImGui::TableSetColumnIndex(0);
            std::snprintf(buffer, sizeof buffer, "%u", row.index);
            const bool selected = ui.selected_packet &&
                                  session.packet(*ui.selected_packet).conversation == row.index &&
                                  session.packet(*ui.selected_packet).isTcp() == row.tcp;
            if (ImGui::Selectable(
                    buffer, selected,
                    ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
                ui.selected_packet = row.first_packet;
                ui.scroll_to_selection = true;
            }
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(client.c_str());
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(server.c_str());
            ImGui::TableSetColumnIndex(3);
            ImGui::Text("%" PRIu64, row.packets);
            ImGui::TableSetColumnIndex(4);
            ImGui::Text("%" PRIu64, row.bytes);
            ImGui::TableSetColumnIndex(5);
            const int64_t span =
                session.packet(row.last_packet).time_ns - session.packet(row.first_packet).time_ns;
            ImGui::Text("%.6f", double(span) / 1e9);
            ImGui::TableSetColumnIndex(6);
            if (ImGui::SmallButton(ui.tr(Text::FollowStream)))
                ui.send(Command::Kind::FollowStream, followCommandText(row.tcp, row.index));
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
}

}  // namespace osilab::viewer
