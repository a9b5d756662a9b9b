#include "visualizer/teaching/lesson_catalog.h"

#include <cstdlib>

namespace osilab::viewer::teaching {

namespace fs = std::filesystem;

fs::path findLessonsDir(const std::string& explicit_dir) {
    if (!explicit_dir.empty()) return explicit_dir;
    if (const char* env = std::getenv("OSILAB_LESSONS"); env != nullptr && *env != '\0') return env;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = self.parent_path().parent_path() / "share/osilab/lessons";
        if (fs::is_directory(installed, ec)) return installed;
    }
#ifdef OSILAB_SOURCE_LESSONS_DIR
    return OSILAB_SOURCE_LESSONS_DIR;
#else
    return "lessons";
#endif
}

LessonCatalog::LessonCatalog(fs::path dir) : dir_(std::move(dir)) {
    auto list = lesson::listLessons(dir_);
    if (!list) {
        error_ = list.error().message;
        return;
    }
    lessons_ = std::move(list.value().lessons);
    problems_ = std::move(list.value().problems);
}

const lesson::LessonInfo* LessonCatalog::info(const std::string& id) const {
    for (const lesson::LessonInfo& l : lessons_)
        if (l.id == id) return &l;
    return nullptr;
}

const lesson::Lesson* LessonCatalog::load(const std::string& id, std::string* message) {
    if (auto found = loaded_.find(id); found != loaded_.end()) return &found->second;
    auto loaded = lesson::findLesson(dir_, id);
    if (!loaded) {
        if (message != nullptr) *message = loaded.error().message;
        return nullptr;
    }
    return &loaded_.emplace(id, std::move(loaded).value()).first->second;
}

std::optional<fs::path> LessonCatalog::recordedCapture(const std::string& id) const {
    std::error_code ec;
    const fs::path path = dir_.parent_path() / "captures" / (id + ".pcapng");
    if (fs::is_regular_file(path, ec)) return path;
    return std::nullopt;
}

int keyStep(const lesson::Lesson& lesson) {
    for (const lesson::Step& step : lesson.steps)
        if (step.expect.error) return step.index;  // the kernel says no: the lesson's point
    for (const lesson::Step& step : lesson.steps)
        if (step.expect.packet_match != lesson::PacketMatch::None && !step.expect.packets.empty())
            return step.index;
    return lesson.steps.empty() ? 0 : int(lesson.steps.size()) - 1;
}

}  // namespace osilab::viewer::teaching
