#include "visualizer/teaching/ladder_pane.h"

#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "visualizer/teaching/ladder_draw.h"
#include "visualizer/teaching/ladder_export.h"

namespace osilab::viewer {

LadderPane::LadderPane() = default;
LadderPane::~LadderPane() = default;

std::string ladderExportName(const Model& model, const char* extension) {
    std::string stem;
    if (const session::LessonTimeline* t = model.timeline(); t && !t->run().lesson_id.empty())
        stem = t->run().lesson_id;
    else
        stem = std::filesystem::path(model.path()).stem().string();
    if (stem.empty()) stem = "capture";
    return stem + "-ladder." + extension;
}

const LadderLayout& LadderPane::layoutFor(const Model& model, UiState& ui, int last_step) {
    const bool zh = ui.zh();
    const session::LessonTimeline* timeline = model.timeline();
    if (timeline == nullptr || model.session() == nullptr) {
        layout_ = LadderLayout();
        version_ = ~uint64_t{0};
        return layout_;
    }
    if (redissector_session_ != model.session() || generation_ != timeline->generation()) {
        redissector_ = std::make_unique<session::Redissector>(*model.session());
        redissector_session_ = model.session();
        generation_ = timeline->generation();
        version_ = ~uint64_t{0};
    }
    const float font_size = ImGui::GetFontSize();
    if (version_ == timeline->version() && font_size == font_size_ && zh == zh_ &&
        last_step == last_step_)
        return layout_;
    LadderStyle style;
    style.font_size = font_size;
    style.zh = zh;
    style.last_step = last_step;
    style.text_width = [](std::string_view text) {
        return ImGui::CalcTextSize(text.data(), text.data() + text.size()).x;
    };
    layout_ = layoutLadder(*timeline, *redissector_, style);
    // The font holds only the characters it was told about: received data may be Chinese.
    for (const LadderStepBand& b : layout_.steps) ui.note(b.title);
    for (const LadderLifeline& l : layout_.lifelines) ui.note(l.actor);
    for (const LadderCallBox& c : layout_.calls) {
        ui.note(c.label);
        ui.note(c.result);
    }
    version_ = timeline->version();
    font_size_ = font_size;
    zh_ = zh;
    last_step_ = last_step;
    return layout_;
}

void LadderPane::draw(const Model& model, UiState& ui, int last_step) {
    const session::LessonTimeline* timeline = model.timeline();
    if (timeline == nullptr) {
        ImGui::TextDisabled("%s", ui.tr(Text::LadderNoLesson));
        return;
    }
    const LadderLayout& layout = layoutFor(model, ui, last_step);

    // Toolbar: export for slides and handouts.
    if (ImGui::SmallButton(ui.tr(Text::LadderExportSvg))) {
        const std::string path = ladderExportName(model, "svg");
        const std::string error = exportSvg(path);
        ui.notice = error.empty() ? std::string(ui.tr(Text::LadderSaved)) + " " + path : error;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(ui.tr(Text::LadderExportPng))) {
        const std::string path = ladderExportName(model, "png");
        const std::string error = exportPng(path);
        ui.notice = error.empty() ? std::string(ui.tr(Text::LadderSaved)) + " " + path : error;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s", ui.tr(Text::LadderHint));

    ImGui::BeginChild("ladder-canvas", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 scroll(ImGui::GetScrollX(), ImGui::GetScrollY());
    // A live run grows at the bottom: stay there while the view is there.
    const bool at_bottom = scroll.y >= ImGui::GetScrollMaxY() - 1.0f;
    if (at_bottom && layout.height > last_height_ && last_height_ > 0 && !ui.selected_packet)
        ImGui::SetScrollY(layout.height);
    last_height_ = layout.height;
    // Keep the content size: the whole diagram scrolls.
    ImGui::InvisibleButton("##ladder",
                           ImVec2(std::max(layout.width, 1.0f), std::max(layout.height, 1.0f)));
    const bool hovered = ImGui::IsItemHovered();
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const float lx = mouse.x - origin.x, ly = mouse.y - origin.y;
    LadderPaint paint;
    paint.high_contrast = high_contrast_;
    paint.hovered_arrow = hovered && ly > scroll.y + layout.header_height
                              ? layout.arrowAt(lx, ly, layout.font_size * 0.5f)
                              : -1;
    if (paint.hovered_arrow >= 0) {
        ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
        if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
            ui.selected_packet = layout.arrows[size_t(paint.hovered_arrow)].packet;
            ui.scroll_to_selection = true;
            followed_selection_ = ui.selected_packet;  // the ladder shows it already
        }
    }
    if (ui.selected_packet) paint.selected_arrow = layout.arrowOfPacket(*ui.selected_packet);
    // A packet selected elsewhere: bring its arrow into view once.
    if (ui.selected_packet != followed_selection_) {
        followed_selection_ = ui.selected_packet;
        if (paint.selected_arrow >= 0) {
            const LadderArrow& a = layout.arrows[size_t(paint.selected_arrow)];
            const float view = ImGui::GetWindowHeight();
            if (a.y0 < scroll.y + layout.header_height || a.y1 > scroll.y + view - layout.font_size)
                ImGui::SetScrollY(std::max(0.0f, a.y0 - view * 0.4f));
        }
    }
    paint.header_y = scroll.y;
    paint.min_width = scroll.x + ImGui::GetWindowWidth();
    ImDrawList* list = ImGui::GetWindowDrawList();
    list->AddRectFilled(ImVec2(origin.x + scroll.x, origin.y + scroll.y),
                        ImVec2(origin.x + scroll.x + ImGui::GetWindowWidth(),
                               origin.y + scroll.y + ImGui::GetWindowHeight()),
                        ladderBackground());
    paintLadder(list, layout, origin, paint);
    if (paint.hovered_arrow >= 0) {
        ImGui::BeginTooltip();
        ImGui::TextUnformatted(ui.tr(Text::LadderClickToSelect));
        ImGui::EndTooltip();
    }
    const ImVec2 canvas_min = ImGui::GetWindowPos();
    ui.drawn_rects.push_back(UiState::DrawnRect{"ladder", canvas_min.x, canvas_min.y,
                                                ImGui::GetWindowWidth(), ImGui::GetWindowHeight()});
    ImGui::EndChild();
}

std::string LadderPane::exportSvg(const std::string& path) const {
    return writeLadderSvg(layout_, path);
}

std::string LadderPane::exportPng(const std::string& path) const {
    return writeLadderPng(layout_, path);
}

}  // namespace osilab::viewer
