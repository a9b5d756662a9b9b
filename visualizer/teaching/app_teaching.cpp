// The App's teaching part: starting a lesson from the command line, the keys, the two layouts
// (the lesson beside the viewer's panes, and presenter mode), and the headless driving of a
// lesson for tests and README pictures. Kept out of app.cpp so the viewer's shell stays short.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <vector>

#include "visualizer/app.h"
#include "visualizer/model_state.h"
#include "visualizer/teaching/teaching_strings.h"
#include "visualizer/teaching/timeline_dump.h"
#include "visualizer/theme.h"

namespace osilab::viewer {

namespace {

const session::LessonStep* stepOf(const teaching::LessonPlayer& player, int step) {
    for (const session::LessonStep& s : player.timeline().steps())
        if (s.step == step) return &s;
    return nullptr;
}

double median(std::vector<double> values) {
    if (values.empty()) return -1.0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return -1.0;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, size_t(p * double(values.size())))];
}

}  // namespace

int App::lessonLastStep() const {
    if (!player_.active() || player_.mode() != teaching::PlayMode::Recorded || player_.finished())
        return session::kEveryStep;
    return player_.shownSteps() - 1;  // -1 before the first step: an empty diagram
}

void App::startTeaching() {
    const LessonOptions& t = options_.teaching;
    presenter_ = t.presenter;
    lesson_pane_.setShowC(t.show_c);
    lesson_pane_.animation().freeze(t.animation_at);
    teaching::forEachTeachingString([this](const char* text) { fonts_.note(text); });
    if (t.lesson.empty()) return;
    if (t.recorded)
        player_.openRecorded(t.lesson);
    else
        player_.startLive(t.lesson, ui_.zh());
    if (!player_.problem().empty())
        std::fprintf(stderr, "osilab-gui: %s\n", player_.problem().c_str());
}

void App::updateTeaching(double now) {
    if (model_.session() != seen_session_) {
        seen_session_ = model_.session();
        ui_.selected_packet.reset();
    }
    player_.update(now, ui_.zh());
    if (player_.active() && !options_.ladder) options_.ladder = true;  // open on the ladder
    if (player_.revealCount() != seen_reveal_) {
        seen_reveal_ = player_.revealCount();
        select_step_packet_ = player_.shown();
        redraw_frames_ = std::max(redraw_frames_, 2);
    }
    if (select_step_packet_) {
        // Show the step's first packet in the layer stack as soon as it is there.
        const session::LessonStep* s = stepOf(player_, player_.cursor());
        if (s != nullptr && s->end_packet > s->first_packet) {
            ui_.selected_packet = s->first_packet;
            ui_.scroll_to_selection = true;
            select_step_packet_ = false;
        } else if ((s != nullptr && s->ended) || !player_.shown()) {
            select_step_packet_ = false;
        }
    }
}

void App::catchUpWithNext(double now) {
    player_.settleLiveStep(teaching::kNextSettleSeconds);
    if (model_.updateTimeline()) redraw_frames_ = std::max(redraw_frames_, 2);
    updateTeaching(now);
}

bool App::teachingBusy(double now) const {
    return lesson_pane_.animation().animating(now);
}

bool App::handleTeachingKeys(double now) {
    if (ui_.keyPressed(GLFW_KEY_L, GLFW_MOD_CONTROL)) ui_.send(Command::Kind::ShowLessonPicker);
    // In the order they were pressed: "2, Space" answers, then goes on; "F5, Page Down" enters
    // presenter mode, then steps.
    for (const UiState::KeyPress& k : ui_.keys) {
        if (k.repeat || (k.mods & (GLFW_MOD_CONTROL | GLFW_MOD_ALT | GLFW_MOD_SUPER))) continue;
        if (k.key == GLFW_KEY_F5) {
            presenter_ = !presenter_;
            continue;
        }
        if (!player_.active()) continue;
        // A presenter's clicker sends Page Down / Page Up; in presenter mode there is no packet
        // list for them to scroll, so they step through the lesson.
        const bool clicker = presenter_;
        if (k.key == GLFW_KEY_SPACE || k.key == GLFW_KEY_RIGHT ||
            (clicker && k.key == GLFW_KEY_PAGE_DOWN))
            player_.next(now);
        else if (k.key == GLFW_KEY_LEFT || (clicker && k.key == GLFW_KEY_PAGE_UP))
            player_.previous();
        else if (k.key >= GLFW_KEY_1 && k.key <= GLFW_KEY_9)
            player_.answer(k.key - GLFW_KEY_1);
        else if (k.key >= GLFW_KEY_KP_1 && k.key <= GLFW_KEY_KP_9)
            player_.answer(k.key - GLFW_KEY_KP_1);
    }
    return presenter_ && player_.active();
}

void App::drawTeachingLayout(double now) {
    const float splitter = 6.0f * content_scale_;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float lesson_width = std::floor((avail.x - splitter) * lesson_fraction_);
    ImGui::BeginChild("lesson", ImVec2(lesson_width, avail.y), true);
    recordPane("lesson");
    const uint64_t reveals = player_.revealCount();
    lesson_pane_.draw(player_, model_, ui_, now, false);
    if (player_.revealCount() != reveals) catchUpWithNext(now);
    ImGui::EndChild();
    ImGui::SameLine(0.0f, 0.0f);
    this->splitter("##split-lesson", true, lesson_fraction_, avail.x - splitter);
    ImGui::SameLine(0.0f, 0.0f);
    ImGui::BeginChild("viewer", ImVec2(0, avail.y), false);
    drawCaptureLayout();
    ImGui::EndChild();
}

void App::drawPresenterLayout(double now) {
    // High contrast for a projector: black on white, strong borders.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(255, 255, 255, 255));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(255, 255, 255, 255));
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(0, 0, 0, 255));
    ImGui::PushStyleColor(ImGuiCol_Border, IM_COL32(60, 60, 60, 255));
    ImGui::PushStyleColor(ImGuiCol_FrameBg, IM_COL32(215, 218, 222, 255));
    ImGui::PushStyleVar(ImGuiStyleVar_ChildBorderSize, 2.0f);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = 8.0f * content_scale_;
    const float lesson_width = std::floor(avail.x * 0.40f);
    ImGui::BeginChild("lesson", ImVec2(lesson_width, avail.y), true);
    recordPane("lesson");
    if (player_.active()) {
        const uint64_t reveals = player_.revealCount();
        lesson_pane_.draw(player_, model_, ui_, now, true);
        if (player_.revealCount() != reveals) catchUpWithNext(now);
    } else {
        ImGui::TextWrapped("%s", teaching::tt(teaching::TText::NoLessonOpen, ui_.language));
    }
    ImGui::EndChild();
    ImGui::SameLine(0.0f, gap);
    ImGui::BeginGroup();
    const float right_height = avail.y;
    const float ladder_height = std::floor(right_height * 0.55f);
    ImGui::BeginChild("ladder", ImVec2(0, ladder_height), true);
    recordPane("ladder");
    ladder_.setHighContrast(true);
    ladder_.draw(model_, ui_, lessonLastStep());
    ladder_.setHighContrast(false);
    ImGui::EndChild();
    ImGui::BeginChild("layers", ImVec2(0, 0), true);
    recordPane("layers");
    layer_stack_.draw(model_, ui_);
    ImGui::EndChild();
    ImGui::EndGroup();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor(5);
}

int App::headlessTargetSteps() const {
    const LessonOptions& t = options_.teaching;
    int target = t.steps;
    if (t.key_step && player_.lesson() != nullptr)
        target = teaching::keyStep(*player_.lesson()) + 1;
    return std::min(target, player_.stepCount());
}

void App::driveHeadlessLesson(double now) {
    if (!headless_ || !player_.active()) return;
    if (player_.mode() == teaching::PlayMode::Recorded && model_.loading()) return;
    if (player_.mode() == teaching::PlayMode::Live && !player_.liveRunning()) return;
    if (player_.shownSteps() >= headlessTargetSteps() || player_.stepRunning()) return;
    if (player_.timingNext()) return;  // let the frame that draws the step's packets be timed
    if (player_.cursor() >= 0 && !player_.shown()) {
        // The pictures show a question answered (right), as a student would.
        const teaching::StepText text = player_.stepText(player_.cursor());
        if (text.ask && player_.answerOf(player_.cursor()) == nullptr)
            player_.answer(text.ask->answer);
    }
    player_.next(now);
}

bool App::teachingReadyForScreenshot(double now) const {
    if (options_.teaching.lesson.empty() && !player_.active()) return true;
    if (!player_.active()) return !model_.loading();  // a lesson that could not start
    // A run that ended (or could not start): once its last records are read.
    if (player_.mode() == teaching::PlayMode::Live && !player_.liveRunning())
        return !model_.loading();
    if (player_.mode() == teaching::PlayMode::Recorded && model_.loading()) return false;
    if (player_.shownSteps() < headlessTargetSteps()) return false;
    if (player_.shownSteps() > 0) {
        const session::LessonStep* s = stepOf(player_, player_.shownSteps() - 1);
        if (s == nullptr || !s->ended) return false;
        if (player_.mode() == teaching::PlayMode::Live && !s->after) return false;
    }
    return !lesson_pane_.animation().animating(now);
}

bool App::writeState() {
    if (!writeModelState(options_.state_out, model_, ui_)) return false;
    std::ofstream out(options_.state_out, std::ios::app);
    out << "presenter " << (presenter_ ? 1 : 0) << '\n';
    if (player_.active()) {
        out << "lesson " << player_.lessonId() << '\n';
        out << "lesson_mode "
            << (player_.mode() == teaching::PlayMode::Live ? "live" : "recorded") << '\n';
        out << "lesson_cursor " << player_.cursor() + 1 << '\n';  // counted from 1, as shown
        out << "lesson_shown_steps " << player_.shownSteps() << '\n';
        for (int step = 0; step <= player_.cursor(); ++step)
            if (const teaching::Answer* a = player_.answerOf(step))
                out << "answer " << step + 1 << ' ' << a->choice + 1 << (a->right ? " right" : "")
                    << '\n';
    }
    return bool(out);
}

void App::finishTeachingScreenshot() {
    const LessonOptions& t = options_.teaching;
    if (!t.dump_timeline.empty()) {
        std::ofstream out(t.dump_timeline, std::ios::trunc);
        out << teaching::timelineDump(player_, model_);
        if (!out) {
            std::fprintf(stderr, "osilab-gui: cannot write %s\n", t.dump_timeline.c_str());
            exit_code_ = 1;
        }
    }
    if (!t.lesson.empty() && !player_.problem().empty()) {
        std::fprintf(stderr, "osilab-gui: %s\n", player_.problem().c_str());
        exit_code_ = 1;
    }
    if (options_.stats && player_.active()) {
        const teaching::PlayerStats& stats = player_.stats();
        std::printf("next_to_drawn_ms_median %.2f\nnext_to_drawn_samples %zu\n",
                    median(stats.next_to_drawn_ms), stats.next_to_drawn_ms.size());
        std::printf("next_to_model_ms_median %.2f\nframe_wall_ms_median %.2f\n",
                    median(stats.next_to_model_ms), median(stats.frame_wall_ms));
        std::printf("live_frame_cpu_ms_median %.3f\nlive_frame_cpu_ms_p95 %.3f\nlive_frames %zu\n",
                    median(stats.frame_cpu_ms), percentile(stats.frame_cpu_ms, 0.95),
                    stats.frame_cpu_ms.size());
    }
}

}  // namespace osilab::viewer
