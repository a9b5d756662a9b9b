// `osilab show FILE`: print a capture packet by packet, as summary lines, every layer (-V) or JSON.
#pragma once

#include <cstdint>
#include <string>

#include "lab/cli/language.h"

namespace osilab::cli {

struct ShowOptions {
    std::string file;       // path, or "-" for standard input
    bool verbose = false;   // -V
    bool json = false;      // --json
    std::string filter;     // -f BPF
    int64_t count = -1;     // -c N: stop after N packets shown; -1 = all
    Language language = Language::En;
};

int runShow(const ShowOptions& options);

}  // namespace osilab::cli
