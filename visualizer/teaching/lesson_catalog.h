// The course as the viewer offers it: the lessons folder (found once at start), its lessons with
// their zh/en titles and summaries, each lesson loaded on demand, and where each lesson's recorded
// run lies (captures/<lesson-id>.pcapng beside the lessons folder). No UI code here.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lab/lesson/loader.h"

namespace osilab::viewer::teaching {

// The lessons folder: `explicit_dir` (--lessons) when given, else $OSILAB_LESSONS, else the
// installed one (<prefix>/share/osilab/lessons beside <prefix>/bin), else the source tree's.
std::filesystem::path findLessonsDir(const std::string& explicit_dir);

class LessonCatalog {
public:
    explicit LessonCatalog(std::filesystem::path dir);

    const std::filesystem::path& dir() const { return dir_; }
    // Empty when the folder could not be read; `error()` then says why.
    const std::vector<lesson::LessonInfo>& lessons() const { return lessons_; }
    const std::string& error() const { return error_; }
    const std::vector<Error>& problems() const { return problems_; }
    const lesson::LessonInfo* info(const std::string& id) const;

    // The whole lesson (cached); null with `message` set when it cannot be loaded.
    const lesson::Lesson* load(const std::string& id, std::string* message = nullptr);
    // captures/<id>.pcapng beside the lessons folder, when that file exists.
    std::optional<std::filesystem::path> recordedCapture(const std::string& id) const;

private:
    std::filesystem::path dir_;
    std::vector<lesson::LessonInfo> lessons_;
    std::vector<Error> problems_;
    std::string error_;
    std::map<std::string, lesson::Lesson> loaded_;
};

// The step of a lesson worth a picture (0-based): the first that expects an error (the kernel
// refusing, e.g. EADDRINUSE), else the first whose expectation names packets (where the lesson's
// point shows on the wire), else the last step.
int keyStep(const lesson::Lesson& lesson);

}  // namespace osilab::viewer::teaching
