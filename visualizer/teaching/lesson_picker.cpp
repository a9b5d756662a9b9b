#include "visualizer/teaching/lesson_picker.h"

#include <imgui.h>

#include <cstdio>

#include "visualizer/teaching/teaching_strings.h"
#include "visualizer/theme.h"

namespace osilab::viewer::teaching {

void LessonPicker::draw(LessonPlayer& player, UiState& ui) {
    if (!open) return;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                                   viewport->WorkPos.y + viewport->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x * 0.7f, viewport->WorkSize.y * 0.8f),
                             ImGuiCond_Appearing);
    char title[96];
    std::snprintf(title, sizeof title, "%s###lesson-picker", tt(TText::PickerTitle, ui.language));
    if (!ImGui::Begin(title, &open, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    const LessonCatalog& catalog = player.catalog();
    if (catalog.lessons().empty()) {
        char text[1024];
        std::snprintf(text, sizeof text, tt(TText::PickerNoLessons, ui.language),
                      catalog.dir().c_str(), catalog.error().c_str());
        ui.note(text);
        ImGui::TextColored(ImColor(kErrorText), "%s", text);
    }
    for (const Error& problem : catalog.problems()) {
        ui.note(problem.message);
        ImGui::TextColored(ImColor(kErrorText), "%s", problem.message.c_str());
    }
    const bool zh = ui.zh();
    for (const lesson::LessonInfo& info : catalog.lessons()) {
        ImGui::PushID(info.id.c_str());
        const std::string& name = info.title.in(zh);
        const std::string& summary = info.summary.in(zh);
        ui.note(name);
        ui.note(summary);
        ImGui::Separator();
        ImGui::TextColored(ImColor(kSelectionRow), "%d. %s", info.order, name.c_str());
        ImGui::SameLine();
        char steps[48];
        std::snprintf(steps, sizeof steps, tt(TText::PickerSteps, ui.language), info.step_count);
        ImGui::TextDisabled("%s · %s", info.id.c_str(), steps);
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(summary.c_str());
        ImGui::PopTextWrapPos();
        if (ImGui::Button(tt(TText::PickerRunLive, ui.language))) {
            player.startLive(info.id, zh);
            open = false;
        }
        ImGui::SameLine();
        const bool recorded = catalog.recordedCapture(info.id).has_value();
        if (!recorded) ImGui::BeginDisabled();
        if (ImGui::Button(tt(TText::PickerRecorded, ui.language))) {
            player.openRecorded(info.id);
            open = false;
        }
        if (!recorded) {
            ImGui::EndDisabled();
            ImGui::SameLine();
            ImGui::TextDisabled("(%s)", tt(TText::PickerNoRecording, ui.language));
        }
        ImGui::PopID();
    }
    ImGui::End();
}

}  // namespace osilab::viewer::teaching
