#include "visualizer/teaching/teaching_strings.h"

namespace osilab::viewer::teaching {

namespace {

struct Entry {
    TText id;
    const char* en;
    const char* zh;
};

// In the order of the TText enum (the tests check it).
constexpr Entry kStrings[] = {
    {TText::MenuLessons, "Lessons", "课程"},
    {TText::MenuPresenter, "Presenter mode", "演示模式"},
    {TText::MenuCloseLesson, "Close the lesson", "关闭课程"},
    {TText::PickerTitle, "Choose a lesson", "选择课程"},
    {TText::PickerRunLive, "Run live", "现场运行"},
    {TText::PickerRecorded, "Recorded run", "录制回放"},
    {TText::PickerNoRecording, "no recorded run yet", "暂无录制"},
    {TText::PickerNoLessons, "No lessons found in %s: %s", "在 %s 中找不到课程:%s"},
    {TText::PickerSteps, "%zu steps", "%zu 步"},
    {TText::BadgeLive, "LIVE", "现场"},
    {TText::BadgeRecorded, "RECORDED", "录制"},
    {TText::BadgeStopped, "STOPPED", "已停止"},
    {TText::Next, "Next ▶", "下一步 ▶"},
    {TText::Previous, "◀ Back", "◀ 上一步"},
    {TText::Restart, "Restart", "重新开始"},
    {TText::Stop, "Stop", "停止"},
    {TText::AutoPlay, "Auto-play", "自动播放"},
    {TText::SecondsPerStep, "%.1f s per step", "每步 %.1f 秒"},
    {TText::StepOf, "Step %d of %d", "第 %d 步,共 %d 步"},
    {TText::PressNextToStart, "Press Space (or Next) to run the first step.",
     "按空格键(或“下一步”)运行第一步。"},
    {TText::Question, "Predict it first:", "先预测一下:"},
    {TText::AnswerFirst, "Choose an answer first, or press Next again to skip the question.",
     "请先选择答案,或再按一次“下一步”跳过此题。"},
    {TText::Right, "Right!", "答对了!"},
    {TText::Wrong, "Not quite. The answer: %s", "不对。正确答案:%s"},
    {TText::OpenAnswer, "Now compare with what happened:", "现在对照实际发生的情况:"},
    {TText::Skipped, "question skipped", "已跳过此题"},
    {TText::Running, "running…", "运行中…"},
    {TText::Pending, "%s() is still blocked, waiting", "%s() 仍在阻塞等待"},
    {TText::PacketsCaused, "%llu packets on the wire", "线路上 %llu 个数据包"},
    {TText::NoPackets, "no packets on the wire", "线路上没有数据包"},
    {TText::SocketsAfter, "Sockets after this step", "本步之后的套接字"},
    {TText::CannotStart, "The live run could not start:", "现场运行无法启动:"},
    {TText::OpenRecordedInstead, "Open the recorded run instead", "改为打开录制的运行"},
    {TText::Finished, "Lesson complete.", "本课完成。"},
    {TText::Returned, "returned %s", "返回 %s"},
    {TText::Failed, "failed: %s", "失败:%s"},
    {TText::Scrubber, "Jump to step", "跳到第几步"},
    {TText::Animate, "Encapsulation ▶", "封装动画 ▶"},
    {TText::Sender, "sender", "发送方"},
    {TText::Receiver, "receiver", "接收方"},
    {TText::OnTheWire, "on the wire", "线路上"},
    {TText::Keys, "Space/→ next · ← back · F5 presenter mode",
     "空格/→ 下一步 · ← 上一步 · F5 演示模式"},
    {TText::PresenterKeys, "Space next · ← back · F5 leave", "空格 下一步 · ← 上一步 · F5 退出"},
    {TText::NoLessonOpen, "No lesson open. Choose one from Lessons.",
     "尚未打开课程。请从“课程”中选择。"},
};

static_assert(sizeof kStrings / sizeof kStrings[0] == static_cast<size_t>(TText::Count),
              "one entry per TText");

}  // namespace

const char* tt(TText text, Language language) {
    const Entry& e = kStrings[static_cast<size_t>(text)];
    return language == Language::Zh ? e.zh : e.en;
}

}  // namespace osilab::viewer::teaching
