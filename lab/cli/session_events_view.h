// `osilab show` on OSI Lab's own files: the runner's records (session_events.h) printed where
// they are in the file, between the packets: the lesson, each step's mark (number, actor, call,
// narrative), every socket call when it starts and when it returns with its result, the socket
// states before and after each step. Other custom blocks, and captures without our records,
// print nothing here, so they look exactly as before.
#pragma once

#include <string>

#include "lab/capture/capture_reader.h"
#include "lab/cli/language.h"
#include "lab/runner/session_events.h"

namespace osilab::cli {

enum class EventsForm {
    Summary,  // one line per record (a snapshot "before" only when the states changed)
    Verbose,  // -V: the code lines, the question, every snapshot one socket per line, step ends
    Json,     // --json: one JSON object per record, {"event": "<kind>", …the record's fields}
};

class SessionEventsView {
public:
    SessionEventsView(EventsForm form, Language language)
        : form_(form), zh_(language == Language::Zh) {}

    // Appends what the block says when it is one of ours; anything else appends nothing.
    void append(std::string& out, const capture::CustomBlockRecord& block);
    void append(std::string& out, const runner::SessionEvent& event);

private:
    void appendStep(std::string& out, const runner::StepMark& step);
    void appendCall(std::string& out, const runner::SessionEvent& event);
    void appendStates(std::string& out, const runner::StateSnapshotEvent& states);

    EventsForm form_;
    bool zh_;
    int step_count_ = 0;  // from RunStart; 0 when the file has none (older runs)
    std::vector<runner::SocketState> last_states_;
};

}  // namespace osilab::cli
