#include "visualizer/teaching/lesson_player.h"

#include <algorithm>
#include <chrono>

#include "lab/lesson/names.h"

namespace osilab::viewer::teaching {

namespace {

int64_t steadyNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

const session::LessonStep* findStep(const session::LessonTimeline& timeline, int step) {
    const auto& steps = timeline.steps();
    if (step >= 0 && size_t(step) < steps.size() && steps[size_t(step)].step == step)
        return &steps[size_t(step)];
    for (const session::LessonStep& s : steps)
        if (s.step == step) return &s;
    return nullptr;
}

}  // namespace

LessonPlayer::LessonPlayer(Model& model, PlayerOptions options, std::function<void()> wake)
    : model_(model),
      options_(std::move(options)),
      wake_(std::move(wake)),
      catalog_(findLessonsDir(options_.lessons_dir)) {
}

LessonPlayer::~LessonPlayer() {
    // The model's loader reads the run's pipe: the run must end first, so the pipe ends too.
    if (live_) live_->stop();
}

int LessonPlayer::stepCount() const {
    if (timeline().run().known && timeline().run().step_count > 0)
        return timeline().run().step_count;
    if (lesson_ != nullptr) return int(lesson_->steps.size());
    return int(timeline().steps().size());
}

std::string LessonPlayer::title(bool zh) const {
    if (lesson_ != nullptr) return lesson_->title.in(zh);
    if (timeline().run().known) return zh ? timeline().run().title_zh : timeline().run().title_en;
    return lesson_id_;
}

StepText LessonPlayer::stepText(int step) const {
    StepText text;
    text.step = step;
    const session::LessonStep* s = findStep(timeline(), step);
    if (s != nullptr && s->marked) {
        text.actor = s->actor;
        text.call = s->call;
        text.say_zh = s->say_zh;
        text.say_en = s->say_en;
        text.python = s->python;
        text.c = s->c;
        text.ask = s->ask;
    }
    if (lesson_ != nullptr && step >= 0 && size_t(step) < lesson_->steps.size()) {
        const lesson::Step& l = lesson_->steps[size_t(step)];
        if (text.call.empty()) {
            text.actor = lesson_->actors[size_t(l.actor)].name;
            text.call = std::string(lesson::callName(l.call));
            text.say_zh = l.say.zh;
            text.say_en = l.say.en;
            text.python = l.code.python;
            text.c = l.code.c;
        }
        if (!text.ask && l.ask) {  // older recordings do not carry the question
            runner::StepQuestion q;
            q.text_zh = l.ask->text.zh;
            q.text_en = l.ask->text.en;
            for (const lesson::Text& c : l.ask->choices) q.choices.emplace_back(c.zh, c.en);
            q.answer = l.ask->answer;
            text.ask = std::move(q);
        }
    }
    return text;
}

const Answer* LessonPlayer::answerOf(int step) const {
    auto found = answers_.find({lesson_id_, step});
    return found == answers_.end() ? nullptr : &found->second;
}

bool LessonPlayer::waitingForAnswer() const {
    return cursor_ >= 0 && !shown_ && stepText(cursor_).ask && answerOf(cursor_) == nullptr;
}

bool LessonPlayer::stepRunning() const {
    if (mode_ != PlayMode::Live || !shown_ || cursor_ < 0 || !live_running_) return false;
    const session::LessonStep* s = findStep(timeline(), cursor_);
    return s == nullptr || !s->ended;
}

bool LessonPlayer::finished() const {
    return active() && cursor_ >= stepCount() - 1 && shown_;
}

bool LessonPlayer::offerRecorded() const {
    return !lesson_id_.empty() && catalog_.recordedCapture(lesson_id_).has_value();
}

void LessonPlayer::close() {
    if (live_) live_->stop();
    live_.reset();
    live_running_ = false;
    mode_ = PlayMode::None;
    lesson_ = nullptr;
    lesson_id_.clear();
    problem_.clear();
    cursor_ = -1;
    shown_ = false;
    auto_play_ = false;
    next_pressed_.reset();
    model_.setPacketLimit(std::nullopt);
}

void LessonPlayer::startLive(const std::string& lesson_id, bool chinese) {
    close();
    lesson_id_ = lesson_id;
    std::string message;
    lesson_ = catalog_.load(lesson_id, &message);
    if (lesson_ == nullptr) {
        problem_ = message;
        return;
    }
    LiveRunOptions run_options;
    run_options.osilab = findOsilabProgram(options_.osilab);
    run_options.lesson = lesson_id;
    run_options.lessons_dir = catalog_.dir().string();
    run_options.language = chinese ? "zh" : "en";
    arrival_->session.store(nullptr);
    arrival_->pressed_ns.store(0);
    // Runs on the loader thread after each record is stored.
    auto wake = [arrival = arrival_, wake = wake_] {
        const session::Session* session = arrival->session.load();
        if (session != nullptr && arrival->pressed_ns.load() != 0) {
            const bool packet = session->packetCount() > arrival->packets_before.load();
            if (packet && arrival->arrived_ns.load() == 0) arrival->arrived_ns.store(steadyNs());
            std::lock_guard lock(arrival->mutex);
            if (!arrival->settled) {
                bool ended = false;
                const auto& events = session->events();
                for (size_t n = events.size(); arrival->events_scanned < n; ++arrival->events_scanned) {
                    const std::vector<uint8_t>& data = events[arrival->events_scanned].data;
                    ended = ended || runner::peekSessionEventKind(data.data(), data.size()) ==
                                         runner::SessionEventKind::StepEnd;
                }
                if (packet || ended) {
                    arrival->settled = true;
                    arrival->changed.notify_all();
                }
            }
        }
        if (wake) wake();
    };
    auto started = LiveRun::start(run_options, wake);
    if (!started) {
        problem_ = started.error().message;
        return;
    }
    live_ = std::move(started).value();
    live_running_ = true;
    steps_sent_ = 0;
    mode_ = PlayMode::Live;
    model_.openReader(live_->takeReader(), "live: " + lesson_id);
    arrival_->session.store(model_.session());
}

void LessonPlayer::openRecorded(const std::string& lesson_id, const std::string& path) {
    std::string file = path;
    if (file.empty()) {
        auto recorded = catalog_.recordedCapture(lesson_id);
        if (!recorded) {
            problem_ = "no recorded run of " + lesson_id + " in " +
                       (catalog_.dir().parent_path() / "captures").string();
            return;
        }
        file = recorded->string();
    }
    close();
    model_.open(file);
    captureOpened();
    lesson_id_ = lesson_id;
    lesson_ = catalog_.load(lesson_id);
}

void LessonPlayer::captureOpened() {
    if (live_) live_->stop();
    live_.reset();
    live_running_ = false;
    problem_.clear();
    // Whether it is a lesson run shows once its first records are read (update()).
    mode_ = PlayMode::Recorded;
    lesson_ = nullptr;
    lesson_id_.clear();
    cursor_ = -1;
    shown_ = false;
    auto_play_ = false;
    detecting_ = true;
    applyPacketLimit();
}

void LessonPlayer::next(double now) {
    if (!active()) return;
    if (cursor_ >= 0 && !shown_) {  // the question is up
        if (waitingForAnswer()) {
            if (!skip_armed_ && !auto_play_) {
                skip_armed_ = true;  // a second Next goes on without answering
                return;
            }
            answers_[{lesson_id_, cursor_}] = Answer{};
        }
        reveal(cursor_, now);
        return;
    }
    const int step = cursor_ + 1;
    if (step >= stepCount()) return;
    if (mode_ == PlayMode::Live && !live_running_) return;
    cursor_ = step;
    shown_ = false;
    skip_armed_ = false;
    if (stepText(step).ask && answerOf(step) == nullptr) {
        if (!auto_play_) return;  // ask first; the next Next (after an answer) runs it
        answers_[{lesson_id_, step}] = Answer{};
    }
    reveal(step, now);
}

void LessonPlayer::reveal(int step, double now) {
    shown_ = true;
    skip_armed_ = false;
    ++reveal_count_;
    next_pressed_ = now;
    next_pressed_step_ = step;
    packets_in_view_ = false;
    if (mode_ == PlayMode::Live && live_) {
        const session::Session* session = model_.session();
        {
            std::lock_guard lock(arrival_->mutex);
            arrival_->settled = false;
            arrival_->events_scanned = session ? session->events().size() : 0;
        }
        arrival_->arrived_ns.store(0);
        arrival_->packets_before.store(session ? session->packetCount() : 0);
        arrival_->pressed_ns.store(steadyNs());
        while (steps_sent_ <= step && live_->next()) ++steps_sent_;
    }
    applyPacketLimit();
}

void LessonPlayer::previous() {
    if (!canGoBack()) return;
    cursor_ = shown_ ? cursor_ - 1 : cursor_ - 1;
    shown_ = cursor_ >= 0;
    skip_armed_ = false;
    ++reveal_count_;
    applyPacketLimit();
}

void LessonPlayer::jumpTo(int step) {
    if (mode_ != PlayMode::Recorded) return;
    cursor_ = std::clamp(step, -1, stepCount() - 1);
    shown_ = cursor_ >= 0;
    skip_armed_ = false;
    ++reveal_count_;
    applyPacketLimit();
}

void LessonPlayer::restart(bool chinese) {
    if (mode_ == PlayMode::Live || (!live_ && lesson_ != nullptr && mode_ == PlayMode::None)) {
        const std::string id = lesson_id_;
        startLive(id, chinese);
        return;
    }
    jumpTo(-1);
}

void LessonPlayer::stop() {
    if (live_ && live_running_) {
        live_->stop();
        live_running_ = false;
        auto_play_ = false;
    }
}

void LessonPlayer::answer(int choice) {
    if (cursor_ < 0 || shown_) return;
    const StepText text = stepText(cursor_);
    if (!text.ask) return;
    Answer a;
    a.choice = choice;
    a.open = text.ask->answer < 0;
    a.right = !a.open && choice == text.ask->answer;
    answers_[{lesson_id_, cursor_}] = a;
    skip_armed_ = false;
}

void LessonPlayer::setAutoPlay(bool on, double now) {
    auto_play_ = on && active();
    next_auto_ = now;
}

void LessonPlayer::applyPacketLimit() {
    if (mode_ != PlayMode::Recorded || detecting_ || finished()) {
        model_.setPacketLimit(std::nullopt);
        return;
    }
    const int shown = shownSteps();
    if (shown == 0) {
        const session::LessonStep* first = findStep(timeline(), 0);
        model_.setPacketLimit(first ? first->first_packet : 0);
        return;
    }
    const session::LessonStep* last = findStep(timeline(), shown - 1);
    if (last == nullptr || !last->ended) {
        model_.setPacketLimit(std::nullopt);
        return;
    }
    model_.setPacketLimit(last->end_packet);
}

void LessonPlayer::checkLiveProcess() {
    if (!live_ || !live_running_ || live_->running()) return;
    live_running_ = false;
    auto_play_ = false;
    const std::optional<int> code = live_->exitCode();
    std::string text = live_->errorText();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (code == kRunnerExitNoNetwork) {
        problem_ = text.empty() ? "the lab network could not be set up" : text;
    } else if (code && *code != 0 && *code != 4 &&
               timeline().steps().size() < size_t(stepCount())) {
        // 4: the kernel disagreed with an expectation; the run itself went on.
        problem_ = text.empty()
                       ? "the lesson run ended early (exit code " + std::to_string(*code) + ")"
                       : text;
    } else if (live_->exitSignal()) {
        problem_ =
            "the lesson run was killed (signal " + std::to_string(*live_->exitSignal()) + ")";
    }
}

void LessonPlayer::update(double now, bool /*chinese*/) {
    if (detecting_) {
        if (timeline().isLesson()) {
            detecting_ = false;
            if (timeline().run().known) {
                lesson_id_ = timeline().run().lesson_id;
                lesson_ = catalog_.load(lesson_id_);
            }
            applyPacketLimit();
        } else if (!model_.loading()) {
            detecting_ = false;
            mode_ = PlayMode::None;  // a capture of something else: the plain viewer
            model_.setPacketLimit(std::nullopt);
        }
    }
    if (mode_ == PlayMode::Live) checkLiveProcess();
    if (mode_ == PlayMode::Recorded && !detecting_) applyPacketLimit();

    if (auto_play_ && now >= next_auto_ && !stepRunning() && !detecting_) {
        next(now);
        next_auto_ = now + auto_play_seconds_;
        if (finished()) auto_play_ = false;
    }

    if (next_pressed_) {
        const session::LessonStep* s = findStep(timeline(), next_pressed_step_);
        if (s != nullptr && s->end_packet > s->first_packet) {
            if (!packets_in_view_) {
                const int64_t pressed = arrival_->pressed_ns.exchange(0);
                const int64_t arrived = arrival_->arrived_ns.load();
                stats_.next_to_model_ms.push_back(mode_ == PlayMode::Live && pressed && arrived
                                                      ? double(arrived - pressed) / 1e6
                                                      : (now - *next_pressed_) * 1e3);
            }
            packets_in_view_ = true;
        } else if ((s != nullptr && s->ended) || (mode_ == PlayMode::Live && !live_running_))
            next_pressed_.reset();  // a step without packets: nothing to time
    }
}

void LessonPlayer::frameShown(double now, double frame_cpu_ms) {
    if (next_pressed_ && last_frame_shown_ >= 0)
        stats_.frame_wall_ms.push_back((now - last_frame_shown_) * 1e3);
    last_frame_shown_ = now;
    if (mode_ == PlayMode::Live && live_running_) stats_.frame_cpu_ms.push_back(frame_cpu_ms);
    if (next_pressed_ && packets_in_view_) {
        stats_.next_to_drawn_ms.push_back((now - *next_pressed_) * 1000.0);
        next_pressed_.reset();
        packets_in_view_ = false;
    }
}

bool LessonPlayer::settleLiveStep(double max_seconds) {
    if (mode_ != PlayMode::Live || !live_running_ || !next_pressed_ || packets_in_view_)
        return false;
    std::unique_lock lock(arrival_->mutex);
    if (arrival_->settled) return false;
    arrival_->changed.wait_for(lock, std::chrono::duration<double>(max_seconds),
                               [this] { return arrival_->settled; });
    arrival_->settled = true;  // waited once for this Next: later frames do not wait again
    return true;
}

std::optional<double> LessonPlayer::wakeIn(double now) const {
    std::optional<double> wake;
    if (auto_play_) wake = std::max(0.0, next_auto_ - now);
    // The stderr reader wakes us when the run ends; this only bounds a missed wake-up.
    if (liveRunning()) wake = std::min(wake.value_or(0.5), 0.5);
    return wake;
}

}  // namespace osilab::viewer::teaching
