#include "visualizer/menu_bar.h"

#include <imgui.h>

#include "visualizer/teaching/teaching_strings.h"

namespace osilab::viewer {

void MenuBar::draw(const Model& /*model*/, UiState& ui) {
    if (!ImGui::BeginMenuBar()) return;
    if (ImGui::BeginMenu(ui.tr(Text::MenuFile))) {
        if (ImGui::MenuItem(ui.tr(Text::MenuOpen), "Ctrl+O"))
            ui.send(Command::Kind::ShowOpenDialog);
        if (ImGui::BeginMenu(ui.tr(Text::MenuRecent))) {
            if (ui.recent_files.empty()) ImGui::TextDisabled("%s", ui.tr(Text::MenuNoRecent));
            for (const std::string& path : ui.recent_files) {
                ui.note(path);
                if (ImGui::MenuItem(path.c_str())) ui.send(Command::Kind::OpenFile, path);
            }
            ImGui::EndMenu();
        }
        ImGui::Separator();
        if (ImGui::MenuItem(ui.tr(Text::MenuQuit), "Ctrl+Q")) ui.send(Command::Kind::Quit);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(teaching::tt(teaching::TText::MenuLessons, ui.language))) {
        if (ImGui::MenuItem(teaching::tt(teaching::TText::PickerTitle, ui.language), "Ctrl+L"))
            ui.send(Command::Kind::ShowLessonPicker);
        if (ImGui::MenuItem(teaching::tt(teaching::TText::MenuPresenter, ui.language), "F5"))
            ui.send(Command::Kind::TogglePresenter);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(ui.tr(Text::MenuView))) {
        if (ImGui::MenuItem(ui.tr(Text::MenuLanguage))) ui.send(Command::Kind::ToggleLanguage);
        if (ImGui::MenuItem(ui.tr(Text::MenuTextBigger), "Ctrl+="))
            ui.send(Command::Kind::TextBigger);
        if (ImGui::MenuItem(ui.tr(Text::MenuTextSmaller), "Ctrl+-"))
            ui.send(Command::Kind::TextSmaller);
        if (ImGui::MenuItem(ui.tr(Text::MenuFullScreen), "F11"))
            ui.send(Command::Kind::ToggleFullScreen);
        ImGui::MenuItem(ui.tr(Text::MenuFourLayerModel), nullptr, &ui.four_layer_model);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu(ui.tr(Text::MenuHelp))) {
        ImGui::TextUnformatted(ui.tr(Text::MenuAbout));
        ImGui::EndMenu();
    }
    // The language switch, always in view: one click.
    const char* other = ui.zh() ? "English" : "中文";
    ImGui::SetCursorPosX(ImGui::GetWindowWidth() - ImGui::CalcTextSize(other).x -
                         ImGui::GetStyle().FramePadding.x * 4);
    if (ImGui::MenuItem(other)) ui.send(Command::Kind::ToggleLanguage);
    ImGui::EndMenuBar();
}

}  // namespace osilab::viewer
