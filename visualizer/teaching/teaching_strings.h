// The teaching views' labels in 中文 and English, kept apart from the viewer's strings so the
// lesson panes can grow without touching the shared table. Lesson texts themselves (narratives,
// questions) come from the lessons.
#pragma once

#include <cstdint>

#include "visualizer/strings.h"

namespace osilab::viewer::teaching {

enum class TText : uint16_t {
    MenuLessons,
    MenuPresenter,
    MenuCloseLesson,
    PickerTitle,
    PickerRunLive,
    PickerRecorded,
    PickerNoRecording,
    PickerNoLessons,
    PickerSteps,
    BadgeLive,
    BadgeRecorded,
    BadgeStopped,
    Next,
    Previous,
    Restart,
    Stop,
    AutoPlay,
    SecondsPerStep,
    StepOf,
    PressNextToStart,
    Question,
    AnswerFirst,
    Right,
    Wrong,
    OpenAnswer,
    Skipped,
    Running,
    Pending,
    PacketsCaused,
    NoPackets,
    SocketsAfter,
    CannotStart,
    OpenRecordedInstead,
    Finished,
    Returned,
    Failed,
    Scrubber,
    Animate,
    Sender,
    Receiver,
    OnTheWire,
    Keys,
    PresenterKeys,
    NoLessonOpen,
    Count
};

const char* tt(TText text, Language language);

template <typename Visit>
void forEachTeachingString(Visit&& visit) {
    for (uint16_t i = 0; i < static_cast<uint16_t>(TText::Count); ++i) {
        visit(tt(static_cast<TText>(i), Language::En));
        visit(tt(static_cast<TText>(i), Language::Zh));
    }
}

}  // namespace osilab::viewer::teaching
