#include "visualizer/teaching/lesson_pane.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "visualizer/teaching/teaching_strings.h"
#include "visualizer/theme.h"

namespace osilab::viewer::teaching {

namespace {

constexpr Colour kLiveBadge = rgb(0xc6, 0x28, 0x28);
constexpr Colour kRecordedBadge = rgb(0x2f, 0x6f, 0xd0);
constexpr Colour kRightText = rgb(0x1b, 0x7a, 0x2e);
constexpr Colour kCodeBackground = rgb(0xff, 0xf3, 0xbf);
constexpr Colour kCurrentLine = rgb(0xff, 0xe0, 0x7a);

const session::LessonStep* timelineStep(const LessonPlayer& player, int step) {
    for (const session::LessonStep& s : player.timeline().steps())
        if (s.step == step) return &s;
    return nullptr;
}

void badge(const char* text, Colour colour) {
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 size = ImGui::CalcTextSize(text);
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    ImGui::GetWindowDrawList()->AddRectFilled(
        pos, ImVec2(pos.x + size.x + pad.x * 2, pos.y + size.y + pad.y * 2), colour, 4.0f);
    ImGui::SetCursorScreenPos(ImVec2(pos.x + pad.x, pos.y + pad.y));
    ImGui::TextColored(ImColor(kTextOnStrong), "%s", text);
    ImGui::SetCursorScreenPos(ImVec2(pos.x + size.x + pad.x * 2, pos.y));
    ImGui::Dummy(ImVec2(0, size.y + pad.y * 2));
}

std::string callLine(const session::LessonCall& call, Language language) {
    char text[512];
    if (call.pending()) {
        std::snprintf(text, sizeof text, tt(TText::Pending, language), call.call.c_str());
        return call.actor + ": " + text;
    }
    char result[64];
    std::snprintf(result, sizeof result, "%lld", static_cast<long long>(call.result));
    if (call.failed()) {
        std::snprintf(text, sizeof text, tt(TText::Failed, language),
                      (call.errno_name + " " + call.error_message).c_str());
    } else {
        std::snprintf(text, sizeof text, tt(TText::Returned, language), result);
    }
    std::string line = call.actor + ": " + call.call + "(" + call.args + ") " + text;
    if (!call.peer.empty()) line += " ← " + call.peer;
    return line;
}

}  // namespace

std::pair<std::string, std::string> packetEnds(const LessonPlayer& player, size_t packet) {
    const auto& ends = player.timeline().packetEnds();
    if (packet >= ends.size()) return {};
    const auto& e = ends[packet];
    auto named = [&](const std::string& address) {
        const std::string actor = player.timeline().actorOfAddress(address);
        return actor.empty() ? address : actor + " " + address;
    };
    return {named(e.source), named(e.destination)};
}

void LessonPane::draw(LessonPlayer& player, const Model& model, UiState& ui, double now,
                      bool presenter) {
    if (!player.active()) {
        ImGui::TextWrapped("%s", tt(TText::NoLessonOpen, ui.language));
        return;
    }
    drawControls(player, ui, now, presenter);
    drawProblem(player, ui);
    ImGui::Separator();
    // The program: a few lines around the current one; the step gets the rest of the height.
    const float program_height =
        std::min(ImGui::GetContentRegionAvail().y * 0.3f,
                 ImGui::GetTextLineHeightWithSpacing() * (presenter ? 5.5f : 7.5f));
    ImGui::BeginChild("step", ImVec2(0, -program_height), false);
    drawStep(player, model, ui, now, presenter);
    ImGui::EndChild();
    drawProgram(player, ui, presenter);
}

void LessonPane::drawControls(LessonPlayer& player, UiState& ui, double now, bool presenter) {
    const Language lang = ui.language;
    const bool zh = ui.zh();
    const std::string title = player.title(zh);
    ui.note(title);

    if (player.mode() == PlayMode::Live)
        badge(tt(player.liveRunning() ? TText::BadgeLive : TText::BadgeStopped, lang),
              player.liveRunning() ? kLiveBadge : kTextMuted);
    else
        badge(tt(TText::BadgeRecorded, lang), kRecordedBadge);
    ImGui::SameLine();
    ImGui::TextUnformatted(title.c_str());

    const int count = player.stepCount();
    char step_text[96];
    std::snprintf(step_text, sizeof step_text, tt(TText::StepOf, lang),
                  std::max(0, player.cursor() + 1), count);
    ImGui::TextUnformatted(step_text);
    ImGui::SameLine();

    if (!player.canGoBack()) ImGui::BeginDisabled();
    if (ImGui::Button(tt(TText::Previous, lang))) player.previous();
    if (!player.canGoBack()) ImGui::EndDisabled();
    ImGui::SameLine();
    const bool can_next =
        !player.finished() && (player.mode() == PlayMode::Recorded || player.liveRunning());
    if (!can_next) ImGui::BeginDisabled();
    if (ImGui::Button(tt(TText::Next, lang))) player.next(now);
    if (!can_next) ImGui::EndDisabled();
    ui.drawn_rects.push_back({"lesson-next", ImGui::GetItemRectMin().x, ImGui::GetItemRectMin().y,
                              ImGui::GetItemRectSize().x, ImGui::GetItemRectSize().y});
    if (presenter) return;
    ImGui::SameLine();
    if (ImGui::Button(tt(TText::Restart, lang))) player.restart(zh);
    if (player.mode() == PlayMode::Live) {
        ImGui::SameLine();
        if (!player.liveRunning()) ImGui::BeginDisabled();
        if (ImGui::Button(tt(TText::Stop, lang))) player.stop();
        if (!player.liveRunning()) ImGui::EndDisabled();
    }
    bool auto_play = player.autoPlay();
    if (ImGui::Checkbox(tt(TText::AutoPlay, lang), &auto_play)) player.setAutoPlay(auto_play, now);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10.0f);
    ImGui::SliderFloat("##speed", &player.autoPlaySeconds(), 0.5f, 6.0f,
                       tt(TText::SecondsPerStep, lang));
    ImGui::SameLine();
    if (ImGui::RadioButton("Python", !show_c_)) show_c_ = false;
    ImGui::SameLine();
    if (ImGui::RadioButton("C", show_c_)) show_c_ = true;

    if (player.mode() == PlayMode::Recorded && count > 0) {
        int step = player.cursor() + 1;
        ImGui::SetNextItemWidth(-1.0f);
        char format[64];
        std::snprintf(format, sizeof format, "%s %%d", tt(TText::Scrubber, lang));
        if (ImGui::SliderInt("##scrub", &step, 0, count, format)) player.jumpTo(step - 1);
    }
}

void LessonPane::drawProblem(LessonPlayer& player, UiState& ui) {
    if (player.problem().empty()) return;
    ui.note(player.problem());
    ImGui::PushStyleColor(ImGuiCol_Text, ImColor(kErrorText).Value);
    ImGui::TextUnformatted(tt(TText::CannotStart, ui.language));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(player.problem().c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    if (player.offerRecorded()) {
        if (ImGui::Button(tt(TText::OpenRecordedInstead, ui.language)))
            player.openRecorded(player.lessonId());
    }
}

void LessonPane::drawStep(LessonPlayer& player, const Model& model, UiState& ui, double now,
                          bool presenter) {
    const int cursor = player.cursor();
    if (cursor < 0) {
        const bool zh = ui.zh();
        std::string summary;
        if (player.lesson() != nullptr)
            summary = player.lesson()->summary.in(zh);
        else if (player.timeline().run().known)
            summary = zh ? player.timeline().run().summary_zh : player.timeline().run().summary_en;
        ui.note(summary);
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextUnformatted(summary.c_str());
        ImGui::PopTextWrapPos();
        ImGui::Spacing();
        ImGui::TextColored(ImColor(kSelectionRow), "%s", tt(TText::PressNextToStart, ui.language));
        return;
    }
    const StepText text = player.stepText(cursor);
    const std::string& say = ui.zh() ? text.say_zh : text.say_en;
    ui.note(say);
    ImGui::TextColored(ImColor(kTextMuted), "%d · %s · %s()", cursor + 1, text.actor.c_str(),
                       text.call.c_str());
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(say.c_str());
    ImGui::PopTextWrapPos();

    // The line of code, on a marker-pen background.
    const std::string& code = show_c_ ? text.c : text.python;
    ui.note(code);
    if (ui.mono_font != nullptr) ImGui::PushFont(ui.mono_font);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const ImVec2 size =
        ImGui::CalcTextSize(code.c_str(), nullptr, false, ImGui::GetContentRegionAvail().x);
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    ImGui::GetWindowDrawList()->AddRectFilled(
        pos, ImVec2(pos.x + ImGui::GetContentRegionAvail().x, pos.y + size.y + pad.y * 2),
        kCodeBackground, 3.0f);
    ImGui::SetCursorScreenPos(ImVec2(pos.x + pad.x, pos.y + pad.y));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(code.c_str());
    ImGui::PopTextWrapPos();
    if (ui.mono_font != nullptr) ImGui::PopFont();
    ImGui::Dummy(ImVec2(0, pad.y));

    if (!player.shown()) {
        drawQuestion(player, ui, text);
        return;
    }
    if (text.ask) drawQuestion(player, ui, text);
    drawOutcome(player, ui, text);

    // The encapsulation of the step's first packet, started when that packet is there.
    const session::LessonStep* s = timelineStep(player, cursor);
    if (s != nullptr && s->end_packet > s->first_packet) {
        if (!animation_.packet() ||
            (*animation_.packet() < s->first_packet || *animation_.packet() >= s->end_packet))
            animation_.start(s->first_packet, now);
        // Presenter mode shows it while it plays; the rest of the time the states have room.
        if (!presenter || animation_.animating(now)) {
            if (ImGui::SmallButton(tt(TText::Animate, ui.language)))
                animation_.start(*animation_.packet(), now);
            const auto [from, to] = packetEnds(player, *animation_.packet());
            const float line = ImGui::GetTextLineHeightWithSpacing();
            const float height =
                std::clamp(ImGui::GetContentRegionAvail().y, line * 8.0f, line * 11.0f);
            animation_.draw(model, ui, now, height, from, to);
        }
    } else {
        animation_.forget();
    }
}

void LessonPane::drawQuestion(LessonPlayer& player, UiState& ui, const StepText& text) {
    if (!text.ask) return;
    const runner::StepQuestion& q = *text.ask;
    const bool zh = ui.zh();
    const std::string& question = zh ? q.text_zh : q.text_en;
    ui.note(question);
    ImGui::Spacing();
    ImGui::TextColored(ImColor(kSelectionRow), "%s", tt(TText::Question, ui.language));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(question.c_str());
    ImGui::PopTextWrapPos();
    const Answer* answer = player.answerOf(text.step);
    const bool asking = !player.shown();
    for (size_t i = 0; i < q.choices.size(); ++i) {
        const std::string& choice = zh ? q.choices[i].first : q.choices[i].second;
        ui.note(choice);
        char label[512];
        std::snprintf(label, sizeof label, "%zu) %s##choice%zu", i + 1, choice.c_str(), i);
        const bool chosen = answer != nullptr && answer->choice == int(i);
        const bool right = !asking && q.answer == int(i);
        if (right) ImGui::PushStyleColor(ImGuiCol_Text, ImColor(kRightText).Value);
        if (!asking) ImGui::BeginDisabled();
        if (ImGui::RadioButton(label, chosen)) player.answer(int(i));
        if (!asking) ImGui::EndDisabled();
        if (right) ImGui::PopStyleColor();
    }
    if (asking) {
        if (q.choices.empty() && answer == nullptr) {
            // An open question: thinking is the answer; Next reveals.
            if (ImGui::Button("OK")) player.answer(-1);
        }
        if (player.skipArmed())
            ImGui::TextColored(ImColor(kErrorText), "%s", tt(TText::AnswerFirst, ui.language));
        return;
    }
    if (answer == nullptr) return;
    if (answer->open || q.choices.empty()) {
        ImGui::TextColored(ImColor(kSelectionRow), "%s", tt(TText::OpenAnswer, ui.language));
    } else if (answer->choice < 0) {
        ImGui::TextDisabled("%s", tt(TText::Skipped, ui.language));
    } else if (answer->right) {
        ImGui::TextColored(ImColor(kRightText), "%s", tt(TText::Right, ui.language));
    } else if (q.answer >= 0 && size_t(q.answer) < q.choices.size()) {
        char wrong[512];
        const auto& c = q.choices[size_t(q.answer)];
        std::snprintf(wrong, sizeof wrong, tt(TText::Wrong, ui.language),
                      (zh ? c.first : c.second).c_str());
        ui.note(wrong);
        ImGui::TextColored(ImColor(kErrorText), "%s", wrong);
    }
}

void LessonPane::drawOutcome(LessonPlayer& player, UiState& ui, const StepText& /*text*/) {
    const Language lang = ui.language;
    const session::LessonStep* s = timelineStep(player, player.cursor());
    ImGui::Separator();
    if (s == nullptr || !s->ended) {
        if (player.stepRunning())
            ImGui::TextColored(ImColor(kSelectionRow), "%s", tt(TText::Running, lang));
    }
    if (s == nullptr) return;
    const auto& calls = player.timeline().calls();
    auto show = [&](size_t index) {
        if (index >= calls.size()) return;
        const std::string line = callLine(calls[index], lang);
        ui.note(line);
        ImGui::BulletText("%s", line.c_str());
    };
    for (size_t index : s->calls_started) show(index);
    for (size_t index : s->calls_returned) {
        if (std::find(s->calls_started.begin(), s->calls_started.end(), index) ==
            s->calls_started.end())
            show(index);
    }
    const uint64_t packets = s->end_packet - s->first_packet;
    char line[96];
    if (packets == 0)
        std::snprintf(line, sizeof line, "%s", tt(TText::NoPackets, lang));
    else
        std::snprintf(line, sizeof line, tt(TText::PacketsCaused, lang),
                      static_cast<unsigned long long>(packets));
    ui.note(line);
    ImGui::TextColored(ImColor(packets ? kTextDark : kTextMuted), "%s", line);
    if (s->ended && s->after && !s->after->empty()) {
        ImGui::TextColored(ImColor(kTextMuted), "%s", tt(TText::SocketsAfter, lang));
        if (ImGui::BeginTable("states", 3, ImGuiTableFlags_SizingFixedFit)) {
            for (const runner::SocketState& state : *s->after) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(state.socket.c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(ImColor(kSelectionRow), "%s", state.state.c_str());
                ImGui::TableNextColumn();
                const std::string where =
                    state.remote.empty() ? state.local : state.local + " → " + state.remote;
                ImGui::TextDisabled("%s", where.c_str());
            }
            ImGui::EndTable();
        }
    }
    if (player.finished() && s->ended)
        ImGui::TextColored(ImColor(kRightText), "%s", tt(TText::Finished, lang));
}

void LessonPane::drawProgram(LessonPlayer& player, UiState& ui, bool presenter) {
    ImGui::BeginChild("program", ImVec2(0, 0), true);
    if (ui.mono_font != nullptr) ImGui::PushFont(ui.mono_font);
    const int count = player.stepCount();
    const int cursor = player.cursor();
    for (int i = 0; i < count; ++i) {
        const StepText text = player.stepText(i);
        const std::string& code = show_c_ ? text.c : text.python;
        char line[600];
        std::snprintf(line, sizeof line, "%2d %-7s %s", i + 1, text.actor.c_str(), code.c_str());
        ui.note(line);
        const bool current = i == cursor;
        const bool done = i < player.shownSteps();
        if (current) {
            const ImVec2 pos = ImGui::GetCursorScreenPos();
            ImGui::GetWindowDrawList()->AddRectFilled(
                pos,
                ImVec2(pos.x + ImGui::GetContentRegionAvail().x,
                       pos.y + ImGui::GetTextLineHeightWithSpacing()),
                kCurrentLine);
        }
        ImGui::PushStyleColor(ImGuiCol_Text,
                              ImColor(current || done ? kTextDark : kTextMuted).Value);
        if (player.mode() == PlayMode::Recorded && !presenter) {
            ImGui::PushID(i);
            if (ImGui::Selectable(line, false)) player.jumpTo(i);
            ImGui::PopID();
        } else {
            ImGui::TextUnformatted(line);
        }
        ImGui::PopStyleColor();
        if (current && scrolled_to_ != cursor) {
            ImGui::SetScrollHereY(0.5f);
            scrolled_to_ = cursor;
        }
    }
    if (ui.mono_font != nullptr) ImGui::PopFont();
    ImGui::EndChild();
}

}  // namespace osilab::viewer::teaching
