#include "visualizer/follow_stream_pane.h"

#include <imgui.h>

#include <cinttypes>
#include <cstdio>

#include "visualizer/theme.h"

namespace osilab::viewer {

namespace {
// Wireshark's choice, kept so its users feel at home: client red, server blue.
constexpr Colour kClientText = rgb(0x9c, 0x1a, 0x1a);
constexpr Colour kClientBack = rgb(0xfb, 0xed, 0xed);
constexpr Colour kServerText = rgb(0x1a, 0x3c, 0x9c);
constexpr Colour kServerBack = rgb(0xed, 0xf0, 0xfb);
constexpr size_t kMaxPiecesDrawn = 5000;
}  // namespace

void FollowStreamPane::draw(const Model& model, UiState& ui) {
    const FollowedView* followed = model.followed();
    if (followed == nullptr) return;
    const session::FollowedStream& s = followed->stream;

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                                   viewport->WorkPos.y + viewport->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x * 0.55f, viewport->WorkSize.y * 0.6f),
                             ImGuiCond_Appearing);
    char title[160];
    std::snprintf(title, sizeof title, "%s %s %u###follow", ui.tr(Text::FollowStream),
                  s.tcp ? "TCP" : "UDP", s.index);
    bool open = true;
    if (!ImGui::Begin(title, &open)) {
        ImGui::End();
        if (!open) ui.send(Command::Kind::CloseFollow);
        return;
    }
    ImGui::TextColored(ImColor(kClientText), "%s → %s  %" PRIu64 " %s", s.client.c_str(),
                       s.server.c_str(), s.bytes[0], ui.tr(Text::BytesOfField));
    ImGui::SameLine();
    ImGui::TextColored(ImColor(kServerText), "   %s → %s  %" PRIu64 " %s", s.server.c_str(),
                       s.client.c_str(), s.bytes[1], ui.tr(Text::BytesOfField));
    if (s.cut) ImGui::TextColored(ImColor(kErrorText), "%s", ui.tr(Text::FollowCut));
    if (s.pieces.empty()) ImGui::TextColored(ImColor(kTextMuted), "%s", ui.tr(Text::FollowEmpty));

    ImGui::BeginChild("stream-text", ImVec2(0, 0), true);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float width = ImGui::GetContentRegionAvail().x;
    for (size_t i = 0; i < s.pieces.size() && i < kMaxPiecesDrawn; ++i) {
        const bool client = s.pieces[i].direction == 0;
        const ImVec2 top = ImGui::GetCursorScreenPos();
        draw->ChannelsSplit(2);
        draw->ChannelsSetCurrent(1);
        ImGui::PushStyleColor(ImGuiCol_Text, ImColor(client ? kClientText : kServerText).Value);
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(followed->text[i].c_str(),
                               followed->text[i].c_str() + followed->text[i].size());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        const ImVec2 bottom = ImGui::GetItemRectMax();
        draw->ChannelsSetCurrent(0);
        draw->AddRectFilled(top, ImVec2(top.x + width, bottom.y),
                            client ? kClientBack : kServerBack);
        draw->ChannelsMerge();
        if (ImGui::IsItemHovered()) {
            ImGui::SetTooltip("#%u", s.pieces[i].packet + 1);
            if (ImGui::IsMouseClicked(0)) {
                ui.selected_packet = s.pieces[i].packet;
                ui.scroll_to_selection = true;
            }
        }
    }
    ImGui::EndChild();
    ImGui::End();
    if (!open) ui.send(Command::Kind::CloseFollow);
}

}  // namespace osilab::viewer
