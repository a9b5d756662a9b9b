#include "lab/session/redissector.h"

#include <algorithm>

namespace osilab::session {

namespace {

// A dissector whose conversation numbering starts at the stream being replayed, so the stream
// gets the same tcp.stream / udp.stream index as in the loading pass although the replay only
// sees that stream's packets.
std::unique_ptr<packet::Dissector> dissectorFor(bool tcp, uint32_t stream) {
    packet::Conversations::Options options;
    options.keep_history = false;
    if (tcp)
        options.first_tcp_stream = stream;
    else
        options.first_udp_flow = stream;
    return std::make_unique<packet::Dissector>(options);
}

}  // namespace

Redissector::Redissector(const Session& session)
    : session_(session),
      stateless_(std::make_unique<packet::Dissector>(
          packet::Conversations::Options{.keep_history = false})) {
}

Redissector::~Redissector() = default;

Redissector::Cursor& Redissector::cursorFor(bool tcp, uint32_t stream, size_t first,
                                            size_t target) {
    ++clock_;
    Cursor* best = nullptr;
    for (Cursor& c : cursors_) {
        if (c.tcp == tcp && c.stream == stream && c.next <= target &&
            (best == nullptr || c.next > best->next))
            best = &c;
    }
    if (best != nullptr) {
        best->last_used = clock_;
        return *best;
    }
    Cursor* slot = nullptr;
    if (cursors_.size() < kMaxCursors) {
        slot = &cursors_.emplace_back();
    } else {
        slot = &*std::min_element(
            cursors_.begin(), cursors_.end(),
            [](const Cursor& a, const Cursor& b) { return a.last_used < b.last_used; });
    }
    slot->tcp = tcp;
    slot->stream = stream;
    slot->next = first;
    slot->last_used = clock_;
    slot->dissector = dissectorFor(tcp, stream);
    return *slot;
}

void Redissector::dissect(size_t i, const packet::DissectOptions& options,
                          packet::Dissection& out) {
    const PacketIndex& target = session_.packet(i);
    const bool tcp = target.isTcp();
    if (!tcp && !target.isUdp()) {
        stateless_->dissect(session_.packetView(i), options, out);
        last_conversations_ = &stateless_->conversations();
        return;
    }
    // UDP keeps no state beyond the flow's number, so a flow needs no replay: a fresh
    // dissector numbered from it is enough. TCP replays the stream up to this packet.
    const StreamStarts& starts = tcp ? session_.tcpStreamStarts() : session_.udpFlowStarts();
    const uint32_t stream = target.conversation;
    const size_t first = stream < starts.size() ? std::min<size_t>(starts[stream], i) : i;
    Cursor& cursor = cursorFor(tcp, stream, tcp ? first : i, i);
    const packet::DissectOptions summary_only{.fields = false};
    const uint8_t kind = tcp ? packetflag::kTcp : packetflag::kUdp;
    for (size_t j = cursor.next; j < i; ++j) {
        const PacketIndex& p = session_.packet(j);
        if ((p.flags & kind) == 0 || p.conversation != stream) continue;
        cursor.dissector->dissect(session_.packetView(j), summary_only, scratch_);
        ++replayed_;
    }
    cursor.dissector->dissect(session_.packetView(i), options, out);
    cursor.next = i + 1;
    last_conversations_ = &cursor.dissector->conversations();
}

const packet::Conversations& Redissector::conversations() const {
    return last_conversations_ != nullptr ? *last_conversations_ : stateless_->conversations();
}

}  // namespace osilab::session
