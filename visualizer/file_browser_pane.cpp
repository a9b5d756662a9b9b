#include "visualizer/file_browser_pane.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "visualizer/theme.h"

namespace osilab::viewer {

namespace fs = std::filesystem;

bool looksLikeCapture(const std::string& name) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    for (const char* ext : {".pcap", ".pcapng", ".cap", ".dmp", ".ntar"}) {
        const std::string e = ext;
        if (lower.size() > e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0)
            return true;
    }
    return false;
}

void FileBrowserPane::setFolder(const std::string& folder) {
    std::error_code ec;
    fs::path path = folder.empty() ? fs::current_path(ec) : fs::path(folder);
    folder_ = path.lexically_normal().string();
    if (folder_.size() > 1 && folder_.back() == '/') folder_.pop_back();
    folder_input_ = folder_;
    listed_ = false;
}

void FileBrowserPane::list() {
    listed_ = true;
    entries_.clear();
    error_.clear();
    selected_ = -1;
    std::error_code ec;
    fs::directory_iterator it(folder_, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
        error_ = ec.message();
        return;
    }
    for (const fs::directory_entry& entry : it) {
        std::error_code e;
        Entry item;
        item.name = entry.path().filename().string();
        if (!item.name.empty() && item.name[0] == '.') continue;  // hidden files stay hidden
        item.directory = entry.is_directory(e);
        if (!item.directory) {
            if (!show_all_ && !looksLikeCapture(item.name)) continue;
            item.size = entry.file_size(e);
            if (e) item.size = 0;
        }
        entries_.push_back(std::move(item));
    }
    std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
        if (a.directory != b.directory) return a.directory;
        return a.name < b.name;
    });
}

void FileBrowserPane::choose(const Entry& entry, UiState& ui) {
    const std::string path = (fs::path(folder_) / entry.name).string();
    if (entry.directory) {
        setFolder(path);
        return;
    }
    ui.send(Command::Kind::OpenFile, path);
    ui.show_open_dialog = false;
}

void FileBrowserPane::draw(const Model& /*model*/, UiState& ui) {
    if (!ui.show_open_dialog) return;
    if (folder_.empty()) setFolder("");
    if (!listed_) list();

    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x * 0.5f,
                                   viewport->WorkPos.y + viewport->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(viewport->WorkSize.x * 0.6f, viewport->WorkSize.y * 0.7f),
                             ImGuiCond_Appearing);
    char title[128];
    std::snprintf(title, sizeof title, "%s###open-capture", ui.tr(Text::OpenCaptureTitle));
    if (!ImGui::Begin(title, &ui.show_open_dialog, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    if (ImGui::Button(ui.tr(Text::BrowserUp))) {
        setFolder(fs::path(folder_).parent_path().string());
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-ImGui::CalcTextSize(ui.tr(Text::BrowserShowAll)).x -
                            ImGui::GetFrameHeight() * 2);
    ui.note(folder_input_);
    if (ImGui::InputText("##folder", &folder_input_, ImGuiInputTextFlags_EnterReturnsTrue)) {
        std::error_code ec;
        if (fs::is_regular_file(folder_input_, ec)) {
            ui.send(Command::Kind::OpenFile, folder_input_);
            ui.show_open_dialog = false;
        } else {
            setFolder(folder_input_);
        }
    }
    ImGui::SameLine();
    if (ImGui::Checkbox(ui.tr(Text::BrowserShowAll), &show_all_)) listed_ = false;

    const float recent_width = ImGui::GetContentRegionAvail().x * 0.32f;
    const float list_height = -ImGui::GetFrameHeightWithSpacing();
    ImGui::BeginChild("entries", ImVec2(-recent_width, list_height), true);
    if (!error_.empty()) {
        ImGui::TextColored(ImColor(kErrorText), "%s%s", ui.tr(Text::BrowserCannotList),
                           error_.c_str());
    }
    for (int i = 0; i < int(entries_.size()); ++i) {
        const Entry& e = entries_[size_t(i)];
        ui.note(e.name);
        char label[1024];
        if (e.directory) {
            std::snprintf(label, sizeof label, "[%s] %s/", ui.tr(Text::BrowserFolder),
                          e.name.c_str());
        } else {
            std::snprintf(label, sizeof label, "%s   (%.1f KB)", e.name.c_str(),
                          double(e.size) / 1024.0);
        }
        if (ImGui::Selectable(label, selected_ == i, ImGuiSelectableFlags_AllowDoubleClick)) {
            selected_ = i;
            if (ImGui::IsMouseDoubleClicked(0)) {
                choose(e, ui);
                break;  // entries_ may have changed
            }
        }
    }
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("recent", ImVec2(0, list_height), true);
    ImGui::TextColored(ImColor(kTextMuted), "%s", ui.tr(Text::RecentFiles));
    for (const std::string& path : ui.recent_files) {
        ui.note(path);
        if (ImGui::Selectable(fs::path(path).filename().string().c_str())) {
            ui.send(Command::Kind::OpenFile, path);
            ui.show_open_dialog = false;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", path.c_str());
    }
    ImGui::EndChild();

    const bool can_open = selected_ >= 0 && size_t(selected_) < entries_.size();
    if (!can_open) ImGui::BeginDisabled();
    if (ImGui::Button(ui.tr(Text::BrowserOpen)) && can_open)
        choose(entries_[size_t(selected_)], ui);
    if (!can_open) ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(ui.tr(Text::Close))) ui.show_open_dialog = false;
    ImGui::End();
}

}  // namespace osilab::viewer
