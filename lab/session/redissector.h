// Dissects any packet of a session again, on demand and in any order, with the same result as
// the in-order loading pass: TCP's relative sequence numbers, stream phases and window scaling
// depend on the packets before it in its stream, so those are replayed first (summary only).
// The session keeps 32 bytes per packet; columns and layer views are made here for the few
// packets on screen.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "lab/packet/dissector.h"
#include "lab/session/session.h"

namespace osilab::session {

class Redissector {
public:
    explicit Redissector(const Session& session);
    ~Redissector();
    Redissector(const Redissector&) = delete;
    Redissector& operator=(const Redissector&) = delete;

    // Packet i (0-based, below session.packetCount()).
    void dissect(size_t i, const packet::DissectOptions& options, packet::Dissection& out);

    // The conversation state right after the last dissect(), for views that describe the
    // stream (the OSI view's session layer); look streams up by the Dissection's index.
    const packet::Conversations& conversations() const;

    // Packets dissected to rebuild stream state since construction (for tests and tuning).
    uint64_t replayedPackets() const { return replayed_; }

private:
    // A dissector that has seen one stream's packets up to (not including) `next`.
    struct Cursor {
        bool tcp = true;
        uint32_t stream = 0;
        size_t next = 0;
        uint64_t last_used = 0;
        std::unique_ptr<packet::Dissector> dissector;
    };
    Cursor& cursorFor(bool tcp, uint32_t stream, size_t first, size_t target);

    static constexpr size_t kMaxCursors = 16;
    const Session& session_;
    std::vector<Cursor> cursors_;
    packet::Dissection scratch_;
    const packet::Conversations* last_conversations_ = nullptr;
    std::unique_ptr<packet::Dissector> stateless_;  // packets that belong to no stream
    uint64_t clock_ = 0;
    uint64_t replayed_ = 0;
};

}  // namespace osilab::session
