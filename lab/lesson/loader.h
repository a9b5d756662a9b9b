// Loading lessons: a bad lesson is refused with the file, the JSON path and the problem, e.g.
//   lessons/tcp-handshake.json: /steps/3/addr: port 70000 is out of range (1-65535)
//   lessons/tcp-handshake.json: line 12, column 5: JSON syntax error: …
// and nothing of it runs. A lesson that loads can be handed to the runner as it is.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "lab/common/result.h"
#include "lab/lesson/lesson.h"

namespace osilab::lesson {

// Reads and checks one lesson file. Its id must equal the file name without ".json".
Result<Lesson> loadLesson(const std::filesystem::path& path);

// The same checks on text already in memory; `name` stands for the file in messages (and, when it
// ends in ".json", the id must match it as for a file).
Result<Lesson> loadLessonText(std::string_view text, std::string_view name);

struct LessonInfo {
    std::string id;
    int order = 0;
    Text title;
    Text summary;
    std::filesystem::path path;
    size_t step_count = 0;
};

struct LessonList {
    std::vector<LessonInfo> lessons;  // in course order: by `order`, then id
    std::vector<Error> problems;      // one per lesson file that was refused
};

// Every lesson in `dir` (the *.json files except *.schema.json). Fails only when `dir` cannot be
// read; a bad lesson file is listed in `problems` and the others are still returned.
Result<LessonList> listLessons(const std::filesystem::path& dir);

// `id_or_path` is a lesson id looked up in `dir` ("tcp-server-client"), or a path to a file
// (anything containing '/' or ending in ".json").
Result<Lesson> findLesson(const std::filesystem::path& dir, std::string_view id_or_path);

}  // namespace osilab::lesson
