// `osilab list`, `osilab run` and `osilab check`: the lessons from the command line.
#pragma once

#include <string>
#include <vector>

#include "lab/cli/exit_codes.h"
#include "lab/cli/language.h"

namespace osilab::cli {

// Where lessons are looked up: --lessons, else $OSILAB_LESSONS, else the source tree's lessons/.
std::string defaultLessonsDir();

struct ListOptions {
    std::string lessons_dir;
    bool json = false;
    Language language = Language::En;
};
int runList(const ListOptions& options);

struct RunOptions {
    std::string lessons_dir;
    std::string lesson;
    Language language = Language::En;
    bool step = false;    // wait for Enter / `next` / `stop` on stdin before each step
    std::string net = "private";
    int settle_ms = 150;
    std::string save;     // --save FILE: the session stream (pcapng) to this file
    bool stream = false;  // --stream: the session stream on stdout (the text goes nowhere;
                          // errors and mismatches to stderr), block by block as it happens
};
int runRun(const RunOptions& options);

struct CheckOptions {
    std::string lessons_dir;
    std::vector<std::string> lessons;  // empty: every lesson of the course
    int settle_ms = 150;
    bool verbose = false;
};
int runCheck(const CheckOptions& options);

}  // namespace osilab::cli
