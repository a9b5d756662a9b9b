#include "visualizer/status_bar.h"

#include <imgui.h>

#include <cstdio>

#include "visualizer/theme.h"

namespace osilab::viewer {

void StatusBar::draw(const Model& model, UiState& ui, bool live) {
    if (!ui.notice.empty()) {
        ImGui::TextColored(ImColor(kErrorText), "%s", ui.notice.c_str());
        ImGui::SameLine();
    }
    if (!model.hasCapture()) {
        ImGui::TextColored(ImColor(kTextMuted), "%s", ui.tr(Text::DropHint));
        return;
    }
    const session::LoadStatus status = model.status();
    const size_t packets = model.session()->packetCount();
    char count[96];
    if (const std::optional<size_t> limit = model.packetLimit(); limit && *limit < packets)
        std::snprintf(count, sizeof count, ui.tr(Text::PacketsShownOf), *limit, packets);
    else
        std::snprintf(count, sizeof count, ui.tr(Text::PacketsCount), packets);

    if (live && status.state == session::LoadState::Loading) {
        ImGui::TextColored(ImColor(kLiveText), "%s", ui.tr(Text::LiveRunning));
        ImGui::SameLine();
        ImGui::Text("%s · %s", count, status.source.c_str());
        return;
    }
    switch (status.state) {
        case session::LoadState::NotStarted:
        case session::LoadState::Loading: {
            const double fraction = status.fraction();
            char label[96];
            std::snprintf(label, sizeof label, "%s%s", count, fraction >= 0 ? "" : " …");
            ImGui::ProgressBar(fraction >= 0
                                   ? float(fraction)
                                   : float(ImGui::GetTime() * 0.5 - int(ImGui::GetTime() * 0.5)),
                               ImVec2(ImGui::GetFontSize() * 16, 0), label);
            ImGui::SameLine();
            if (ImGui::SmallButton(ui.tr(Text::Cancel))) ui.send(Command::Kind::CancelLoad);
            ImGui::SameLine();
            ImGui::TextColored(ImColor(kTextMuted),
                               ui.tr(fraction >= 0 ? Text::Loading : Text::LoadingUnknownSize),
                               status.source.c_str());
            return;
        }
        case session::LoadState::Finished:
            ImGui::Text("%s · %s · %s", count, status.format.c_str(), status.source.c_str());
            return;
        case session::LoadState::Cancelled:
            ImGui::TextColored(ImColor(kErrorText), "%s · %s", count, ui.tr(Text::LoadCancelled));
            return;
        case session::LoadState::Damaged:
            ui.note(status.message);
            ImGui::TextColored(ImColor(kErrorText), "%s · %s%s", count, ui.tr(Text::LoadDamaged),
                               status.message.c_str());
            return;
        case session::LoadState::Failed:
            ui.note(status.message);
            ImGui::TextColored(ImColor(kErrorText), "%s%s", ui.tr(Text::LoadFailed),
                               status.message.c_str());
            return;
    }
}

}  // namespace osilab::viewer
