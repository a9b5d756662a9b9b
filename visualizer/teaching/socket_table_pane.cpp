#include "visualizer/teaching/socket_table_pane.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "visualizer/teaching/ladder_colours.h"

namespace osilab::viewer {

namespace {

// Dear ImGui 1.86 tables hold at most 64 columns; five are the socket's own.
constexpr int kFixedColumns = 5;
constexpr int kMaxStepColumns = 64 - kFixedColumns - 1;

std::string shortName(const std::string& name) {
    const size_t dot = name.find('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
}

}  // namespace

std::string socketStateHistory(const session::LessonSocket& socket, int last_step) {
    std::string out, previous;
    const int end = std::min(int(socket.after_step.size()) - 1, last_step);
    for (int s = 0; s <= end; ++s) {
        const auto& state = socket.after_step[size_t(s)];
        if (!state || state->state == previous) continue;
        if (!out.empty()) out += " → ";
        out += state->state + " (" + std::to_string(s + 1) + ")";
        previous = state->state;
    }
    return out;
}

void SocketTablePane::draw(const Model& model, UiState& ui, int last_step) {
    const session::LessonTimeline* timeline = model.timeline();
    if (timeline == nullptr) {
        ImGui::TextDisabled("%s", ui.tr(Text::LadderNoLesson));
        return;
    }
    const auto& sockets = timeline->sockets();
    const int steps = std::clamp(last_step + 1, 0, int(timeline->steps().size()));
    if (sockets.empty()) {
        ImGui::TextDisabled("%s", ui.tr(Text::SocketsNone));
        return;
    }
    const bool per_step = steps <= kMaxStepColumns;
    const int columns = kFixedColumns + (per_step ? steps : 1);
    int selected_step = -1;
    if (ui.selected_packet) selected_step = timeline->stepOfPacket(*ui.selected_packet);

    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("sockets", columns, flags)) return;
    const float digit = ImGui::CalcTextSize("0").x;
    ImGui::TableSetupScrollFreeze(kFixedColumns, 1);
    ImGui::TableSetupColumn(ui.tr(Text::SocketsActor));
    ImGui::TableSetupColumn(ui.tr(Text::SocketsName));
    ImGui::TableSetupColumn(ui.tr(Text::SocketsFd));
    ImGui::TableSetupColumn(ui.tr(Text::SocketsLocal));
    ImGui::TableSetupColumn(ui.tr(Text::SocketsRemote));
    char header[16];
    if (per_step) {
        // Wide enough for the longest state shown, so a change is always readable.
        float state_width = ImGui::CalcTextSize("CLOSED").x;
        for (const session::LessonSocket& s : sockets)
            for (const auto& state : s.after_step)
                if (state)
                    state_width =
                        std::max(state_width, ImGui::CalcTextSize(state->state.c_str()).x);
        for (int s = 0; s < steps; ++s) {
            std::snprintf(header, sizeof header, "%d", s + 1);
            ImGui::TableSetupColumn(header, ImGuiTableColumnFlags_WidthFixed, state_width + digit);
        }
    } else {
        ImGui::TableSetupColumn(ui.tr(Text::SocketsHistory));
    }
    ImGui::TableHeadersRow();

    for (size_t r = 0; r < sockets.size(); ++r) {
        const session::LessonSocket& s = sockets[r];
        if (s.first_step >= steps) continue;  // not created yet at the revealed step
        ImGui::TableNextRow();
        ImGui::PushID(int(r));
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(s.actor.c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(shortName(s.name).c_str());
        ImGui::TableSetColumnIndex(2);
        const runner::SocketState* latest = s.stateAt(steps - 1);
        if (latest != nullptr && latest->fd >= 0)
            ImGui::Text("%d", latest->fd);
        else if (s.fd >= 0)
            ImGui::TextDisabled("%d", s.fd);  // closed since
        // Addresses as of the last step shown ("0.0.0.0:0": created, not bound yet).
        ImGui::TableSetColumnIndex(3);
        ImGui::TextUnformatted(latest != nullptr ? latest->local.c_str() : s.local.c_str());
        ImGui::TableSetColumnIndex(4);
        ImGui::TextUnformatted(latest != nullptr ? latest->remote.c_str() : s.remote.c_str());
        if (!per_step) {
            ImGui::TableSetColumnIndex(5);
            ImGui::TextUnformatted(socketStateHistory(s, steps - 1).c_str());
            ImGui::PopID();
            continue;
        }
        std::string previous;
        for (int step = 0; step < steps; ++step) {
            ImGui::TableSetColumnIndex(kFixedColumns + step);
            if (step == selected_step)
                ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg,
                                       ladderColour(LadderColour::CurrentStep));
            const auto* state = size_t(step) < s.after_step.size() && s.after_step[size_t(step)]
                                    ? &*s.after_step[size_t(step)]
                                    : nullptr;
            if (state == nullptr || state->state.empty()) {
                previous.clear();
                continue;
            }
            // A strip of colour per state; the name only where it changes.
            const ImVec2 min = ImGui::GetCursorScreenPos();
            const float w = ImGui::GetContentRegionAvail().x;
            const float h = ImGui::GetTextLineHeight();
            ImGui::GetWindowDrawList()->AddRectFilled(min, ImVec2(min.x + w, min.y + h),
                                                      ladderStateColour(state->state));
            const bool changed = state->state != previous;
            previous = state->state;
            ImGui::PushStyleColor(ImGuiCol_Text,
                                  ImColor(ladderColour(LadderColour::TextOnState)).Value);
            ImGui::TextUnformatted(changed ? state->state.c_str() : " ");
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered()) {
                ImGui::BeginTooltip();
                ImGui::Text("%s · %s %d", s.name.c_str(), ui.tr(Text::SocketsStep), step + 1);
                ImGui::Text("%s", state->state.c_str());
                if (state->fd >= 0) ImGui::Text("fd %d", state->fd);
                if (!state->local.empty())
                    ImGui::Text("%s → %s", state->local.c_str(),
                                state->remote.empty() ? "*" : state->remote.c_str());
                ImGui::EndTooltip();
            }
            if (ImGui::IsItemClicked()) {
                const session::LessonStep& st = timeline->steps()[size_t(step)];
                if (st.first_packet < st.end_packet) {
                    ui.selected_packet = size_t(st.first_packet);
                    ui.scroll_to_selection = true;
                }
            }
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
}

}  // namespace osilab::viewer
