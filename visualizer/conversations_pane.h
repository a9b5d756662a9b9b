// Conversations: every TCP stream and UDP flow with its two ends, packet and byte counts and
// time span. Clicking a row selects the stream's first packet; "Follow" shows what it carried.
#pragma once

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class ConversationsPane {
public:
    void draw(const Model& model, UiState& ui);

private:
    bool show_udp_ = false;
};

// "tcp 3" / "udp 0", the text of a FollowStream command.
std::string followCommandText(bool tcp, uint32_t index);
bool parseFollowCommand(const std::string& text, bool& tcp, uint32_t& index);

}  // namespace osilab::viewer
