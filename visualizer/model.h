// What the panes read: the open capture's Session (filled by a loader thread), the active BPF
// filter, and, for the few packets on screen, their columns and layer views made again on demand
// by the Redissector. Panes get it as `const Model&`; the App alone changes it (open, filter,
// cancel). Everything here runs on the UI thread except the loader and the filter job.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lab/packet/osi_view.h"
#include "lab/session/conversation_table.h"
#include "lab/session/filter_job.h"
#include "lab/session/lesson_timeline.h"
#include "lab/session/redissector.h"
#include "lab/session/session.h"
#include "lab/session/session_loader.h"
#include "lab/session/stream_follower.h"

namespace osilab::viewer {

// The text columns of one packet-list row.
struct RowText {
    std::string source;
    std::string destination;
    std::string info;
};

// Everything the layer stack and the bytes pane show of the selected packet.
struct PacketDetail {
    size_t packet = 0;  // 0-based index
    packet::PacketView view;
    packet::Dissection dissection;
    std::array<packet::OsiLayerView, 7> osi;  // 7 (application) first
    std::vector<std::string> values;          // display value of each field
    std::vector<std::string> values_zh;       // the same in Chinese (the few that differ)
    const std::string& value(size_t field, bool zh) const {
        return zh ? values_zh[field] : values[field];
    }
    std::vector<int16_t> layer_of_byte;       // innermost layer covering each byte, -1 none
    std::vector<std::string> comments;        // pcapng comments (a lesson step's narrative)
    // The field to highlight for a byte: the narrowest field containing it, -1 if none.
    int fieldAtByte(size_t offset) const;
};

// A followed stream ready to draw: its pieces as printable text.
struct FollowedView {
    session::FollowedStream stream;
    std::vector<std::string> text;  // printable text of each piece
};

class Model {
public:
    Model();
    ~Model();

    // ---- commands (the App) ------------------------------------------------------------------
    void open(const std::string& path);
    // Reads a capture from a reader that is already open (a live lesson run's stream).
    void openReader(std::unique_ptr<capture::CaptureReader> reader, const std::string& name);
    // Hides packets from `limit` on (a recorded lesson reveals its steps one at a time).
    void setPacketLimit(std::optional<size_t> limit);
    void cancelLoad();
    // Starts filtering with a BPF expression (empty clears); returns the error, or empty.
    std::string applyFilter(const std::string& bpf);
    // Called with every text the model makes for display, so the font can add its characters.
    void setTextObserver(std::function<void(std::string_view)> observer);
    // Called from the loader's or the filter's thread when it finishes (wakes a sleeping UI).
    void setWakeUp(std::function<void()> wake) { wake_ = std::move(wake); }

    // ---- reading (the panes) -----------------------------------------------------------------
    bool hasCapture() const { return session_ != nullptr; }
    // The lesson run's steps, calls, sockets and endpoints when the capture holds lesson records
    // (a recorded or live run), else nullptr. Brought up to date by updateTimeline().
    const session::LessonTimeline* timeline() const {
        return timeline_.isLesson() ? &timeline_ : nullptr;
    }
    // Reads the records and packets that arrived since the last call (the App: once a frame).
    bool updateTimeline() { return timeline_.update(); }
    const session::Session* session() const { return session_.get(); }
    const std::string& path() const { return path_; }
    session::LoadStatus status() const;
    bool loading() const;
    bool filtering() const;

    size_t rowCount() const;
    size_t packetOfRow(size_t row) const;
    std::optional<size_t> rowOfPacket(size_t packet) const;
    const session::FilterJob* filter() const { return filter_.get(); }

    const RowText& rowText(size_t packet) const;
    // Null when `packet` does not exist (yet).
    const PacketDetail* detail(size_t packet) const;

    // TCP streams and UDP flows seen so far (brought up to date on each call).
    const session::ConversationTable& conversations() const;
    // {client, server} of a stream, from its first packet (cached).
    const std::pair<std::string, std::string>& endpoints(bool tcp, uint32_t index) const;
    // Follow stream: collects the stream's payload (a command; the App calls it).
    void follow(bool tcp, uint32_t index);
    void closeFollow() { followed_.reset(); }
    const FollowedView* followed() const { return followed_.get(); }

    // For the screenshot mode and tests: blocks until loading and filtering are done.
    void waitUntilIdle() const;

    std::optional<size_t> packetLimit() const { return packet_limit_; }

private:
    void note(std::string_view text) const;
    void startOver(const std::string& path);

    std::string path_;
    std::shared_ptr<session::Session> session_;
    std::unique_ptr<session::SessionLoader> loader_;
    std::unique_ptr<session::FilterJob> filter_;
    std::optional<size_t> packet_limit_;
    std::function<void(std::string_view)> observer_;
    std::function<void()> wake_;

    // Caches for the rows on screen and the selected packet; rebuilt on demand.
    mutable std::unique_ptr<session::Redissector> redissector_;
    mutable std::unordered_map<size_t, RowText> rows_;
    mutable std::unique_ptr<PacketDetail> detail_;
    mutable packet::Dissection scratch_;
    mutable session::ConversationTable conversations_;
    mutable std::unordered_map<uint64_t, std::pair<std::string, std::string>> endpoints_;
    std::unique_ptr<FollowedView> followed_;
    session::LessonTimeline timeline_;
};

}  // namespace osilab::viewer
