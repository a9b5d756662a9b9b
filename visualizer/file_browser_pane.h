// File → Open: a small file browser (std::filesystem) listing folders and capture files, with
// the recent files beside it. Double-click opens; it sends OpenFile and closes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "visualizer/model.h"
#include "visualizer/ui_state.h"

namespace osilab::viewer {

class FileBrowserPane {
public:
    // Where the listing starts; the pane remembers where the user went.
    void setFolder(const std::string& folder);
    const std::string& folder() const { return folder_; }
    void draw(const Model& model, UiState& ui);

private:
    struct Entry {
        std::string name;
        bool directory = false;
        uint64_t size = 0;
    };
    void list();
    void choose(const Entry& entry, UiState& ui);

    std::string folder_;
    std::string folder_input_;
    std::vector<Entry> entries_;
    std::string error_;
    int selected_ = -1;
    bool show_all_ = false;
    bool listed_ = false;
};

// True for names that look like captures: .pcap, .pcapng, .cap, .dmp (tcpdump's habits).
bool looksLikeCapture(const std::string& name);

}  // namespace osilab::viewer
