// Plays a lesson step by step, live or from its recorded capture: the cursor (which step, asked
// or shown), the answers to the steps' questions, auto-play, and the live run's process. Live,
// Next lets the runner run one more step and its packets arrive in the session; recorded, the
// whole run is in the session and Next reveals one more step's packets (Model::setPacketLimit).
// Both read the steps from the same LessonTimeline, so a replay shows what the live run showed.
//
// No UI code: the panes read it and call its commands; the App calls update() once a frame.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "lab/runner/session_events.h"
#include "lab/session/lesson_timeline.h"
#include "visualizer/model.h"
#include "visualizer/teaching/lesson_catalog.h"
#include "visualizer/teaching/live_run.h"

namespace osilab::viewer::teaching {

enum class PlayMode { None, Live, Recorded };

// How long the frame after a live Next waits for the step's first packet (settleLiveStep): long
// enough for any step that does not block, short enough that a blocking one stalls no more
// than a couple of frames would.
inline constexpr double kNextSettleSeconds = 0.030;

// What a step says and asks, from the run's records or, before a live step has run, from the
// lesson file.
struct StepText {
    int step = -1;
    std::string actor, call;
    std::string say_zh, say_en;
    std::string python, c;
    std::optional<runner::StepQuestion> ask;
};

struct Answer {
    int choice = -1;     // index into the choices; -1: skipped
    bool right = false;  // the choice was the right one
    bool open = false;   // an open question (no right answer to compare)
};

struct PlayerOptions {
    std::string lessons_dir;  // --lessons; empty: found (see findLessonsDir)
    std::string osilab;       // --osilab; empty: found (see findOsilabProgram)
};

// Figures for --stats and the teaching benchmark.
struct PlayerStats {
    std::vector<double> next_to_drawn_ms;  // Next pressed → the step's first packet drawn
    std::vector<double> next_to_model_ms;  // Next pressed → that packet in the model (no frame)
    std::vector<double> frame_wall_ms;     // time between frames put on screen, while timing
    std::vector<double> frame_cpu_ms;      // CPU time of each frame while a live run is on
};

class LessonPlayer {
public:
    LessonPlayer(Model& model, PlayerOptions options, std::function<void()> wake);
    ~LessonPlayer();  // ends a live run
    LessonPlayer(const LessonPlayer&) = delete;
    LessonPlayer& operator=(const LessonPlayer&) = delete;

    LessonCatalog& catalog() { return catalog_; }
    const LessonCatalog& catalog() const { return catalog_; }

    // ---- commands ----------------------------------------------------------------------------
    void startLive(const std::string& lesson_id, bool chinese);
    // Opens captures/<id>.pcapng (or `path`) as a recorded run.
    void openRecorded(const std::string& lesson_id, const std::string& path = {});
    // The App opened some capture: a lesson run is played as recorded, anything else is left.
    void captureOpened();
    void next(double now);  // Space, →
    void previous();        // ←, recorded runs only
    void restart(bool chinese);
    void stop();            // ends a live run (the session keeps what arrived)
    void jumpTo(int step);  // the scrubber, recorded runs only
    void answer(int choice);
    void setAutoPlay(bool on, double now);
    void close();  // back to the plain viewer

    // Once a frame, before the panes draw: reads new records, moves auto-play on, limits the
    // packets shown.
    void update(double now, bool chinese);
    // After the frame is on screen: times Next → packets drawn.
    void frameShown(double now, double frame_cpu_ms);
    // Live, right after Next: waits (at most `max_seconds`) until the runner's first packet of
    // the step, or the step's end, is in the session, so the frame being built shows the step
    // instead of the one after it. The runner answers within a millisecond or two; a step whose
    // call blocks (accept, recv) ends the wait at the bound. Returns whether it waited.
    bool settleLiveStep(double max_seconds);
    // Seconds until update() has something to do by itself (auto-play), or nullopt.
    std::optional<double> wakeIn(double now) const;

    // ---- reading -----------------------------------------------------------------------------
    PlayMode mode() const { return mode_; }
    // A lesson is in view (a capture being opened counts once its records say it is a lesson).
    bool active() const { return mode_ != PlayMode::None && !detecting_; }
    const std::string& lessonId() const { return lesson_id_; }
    const lesson::Lesson* lesson() const { return lesson_; }
    // The model's timeline (Model::updateTimeline brings it up to date), or an empty one.
    const session::LessonTimeline& timeline() const {
        return model_.timeline() != nullptr ? *model_.timeline() : no_timeline_;
    }
    int stepCount() const;
    // The lesson's title: from its file, else from the run's records, else its id.
    std::string title(bool zh) const;
    StepText stepText(int step) const;
    // The cursor: the step in view and whether its packets are shown (else its question is up).
    int cursor() const { return cursor_; }
    bool shown() const { return shown_; }
    bool waitingForAnswer() const;
    bool skipArmed() const { return skip_armed_; }
    const Answer* answerOf(int step) const;
    // Live: the runner is running the cursor's step (its end has not arrived yet).
    bool stepRunning() const;
    bool finished() const;  // every step shown
    bool canGoBack() const { return mode_ == PlayMode::Recorded && cursor_ >= 0; }
    bool autoPlay() const { return auto_play_; }
    float& autoPlaySeconds() { return auto_play_seconds_; }
    bool liveRunning() const { return live_ != nullptr && live_running_; }
    // Why the live run could not start or stopped early (with what to do), empty if fine.
    const std::string& problem() const { return problem_; }
    bool offerRecorded() const;  // a recorded capture of this lesson exists
    const PlayerStats& stats() const { return stats_; }
    // A Next is being timed (its step's first packet not drawn yet).
    bool timingNext() const { return next_pressed_.has_value(); }
    // Steps whose packets are in view: [0, shownSteps()).
    int shownSteps() const { return cursor_ < 0 ? 0 : cursor_ + (shown_ ? 1 : 0); }
    // Changes when a step is newly shown (so views can start an animation).
    uint64_t revealCount() const { return reveal_count_; }

private:
    void reveal(int step, double now);
    void applyPacketLimit();
    void checkLiveProcess();

    Model& model_;
    PlayerOptions options_;
    std::function<void()> wake_;
    LessonCatalog catalog_;
    session::LessonTimeline no_timeline_;

    PlayMode mode_ = PlayMode::None;
    std::string lesson_id_;
    const lesson::Lesson* lesson_ = nullptr;
    std::unique_ptr<LiveRun> live_;
    bool live_running_ = false;
    std::string problem_;
    int steps_sent_ = 0;  // live: `next` lines written

    int cursor_ = -1;
    bool shown_ = false;
    bool skip_armed_ = false;
    bool detecting_ = false;  // a capture was opened: is it a lesson run? (records still loading)
    std::map<std::pair<std::string, int>, Answer> answers_;  // (lesson, step): kept for the session
    bool auto_play_ = false;
    float auto_play_seconds_ = 2.0f;
    double next_auto_ = 0.0;
    uint64_t reveal_count_ = 0;

    // Next → drawn: armed when Next runs a step with packets still to come.
    std::optional<double> next_pressed_;
    int next_pressed_step_ = -1;
    bool packets_in_view_ = false;  // this frame draws the timed step's first packet
    // When the timed step's first packet reached the session, noted by the loader thread as it
    // happens (frames only see it at their start). Shared with the run's wake-up callback.
    struct Arrival {
        std::atomic<const session::Session*> session{nullptr};
        std::atomic<uint64_t> packets_before{0};
        std::atomic<int64_t> pressed_ns{0};  // 0: nothing timed
        std::atomic<int64_t> arrived_ns{0};
        // settleLiveStep(): the step's first packet or its end is in the session.
        std::mutex mutex;
        std::condition_variable changed;
        bool settled = true;        // guarded by mutex
        size_t events_scanned = 0;  // guarded by mutex: session events looked at for StepEnd
    };
    std::shared_ptr<Arrival> arrival_ = std::make_shared<Arrival>();
    double last_frame_shown_ = -1.0;
    PlayerStats stats_;
};

}  // namespace osilab::viewer::teaching
