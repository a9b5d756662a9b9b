#include "lab/session/session.h"

#include <algorithm>
#include <cstring>

namespace osilab::session {

const char* loadStateName(LoadState state) {
    switch (state) {
        case LoadState::NotStarted: return "not started";
        case LoadState::Loading: return "loading";
        case LoadState::Finished: return "finished";
        case LoadState::Damaged: return "damaged";
        case LoadState::Cancelled: return "cancelled";
        case LoadState::Failed: return "failed";
    }
    return "?";
}

std::span<const uint8_t> Session::packetBytes(size_t i) const {
    const PacketIndex& p = packets_[i];
    if (p.flags & packetflag::kInArena) return arena_.get(p.data_offset, p.cap_len);
    return {file_.data() + p.data_offset, p.cap_len};
}

packet::PacketView Session::packetView(size_t i) const {
    const PacketIndex& p = packets_[i];
    const std::span<const uint8_t> bytes = packetBytes(i);
    packet::PacketView view;
    view.link_type = p.link_type;
    view.data = bytes.data();
    view.cap_len = p.cap_len;
    view.orig_len = p.orig_len;
    view.time_ns = p.time_ns;
    view.number = i + 1;
    return view;
}

std::pair<size_t, size_t> Session::commentRange(size_t i) const {
    const size_t n = comments_.size();
    size_t lo = 0, hi = n;  // the log is sorted by packet
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (comments_[mid].packet < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < n && comments_[end].packet == i) ++end;
    return {lo, end};
}

LoadStatus Session::status() const {
    std::lock_guard<std::mutex> lock(status_mutex_);
    LoadStatus copy = status_;
    copy.bytes_read = bytes_read_.load(std::memory_order_relaxed);
    copy.bytes_total = bytes_total_.load(std::memory_order_relaxed);
    copy.packets_copied = packets_copied_.load(std::memory_order_relaxed);
    return copy;
}

void Session::attachFile(MappedFile file) {
    file_ = std::move(file);
}

void Session::appendPacket(PacketIndex index, const uint8_t* data,
                           std::optional<uint64_t> file_offset,
                           std::span<const std::string> comments) {
    // Trust the map only for bytes it provably holds: the reader's idea of the offset is checked
    // against the bytes it handed us.
    const bool in_file = file_offset && !file_.empty() && *file_offset <= file_.size() &&
                         index.cap_len <= file_.size() - *file_offset &&
                         std::memcmp(file_.data() + *file_offset, data, index.cap_len) == 0;
    if (in_file) {
        index.data_offset = *file_offset;
        index.flags &= static_cast<uint8_t>(~packetflag::kInArena);
    } else {
        index.data_offset = arena_.add(data, index.cap_len);
        index.flags |= packetflag::kInArena;
        if (index.data_offset == UINT64_MAX) return;  // out of address space: drop, never crash
        packets_copied_.fetch_add(1, std::memory_order_relaxed);
    }
    const uint64_t number = packets_.written();
    if (!comments.empty()) {
        index.flags |= packetflag::kHasComment;
        for (const std::string& text : comments) comments_.push(PacketComment{number, text});
        comments_.publish();
    }
    packets_.pushAndPublish(index);
}

void Session::appendEvent(TimelineEvent event) {
    events_.pushAndPublish(std::move(event));
}

void Session::noteStreamStart(bool tcp, uint32_t stream, uint32_t packet) {
    StreamStarts& starts = tcp ? tcp_starts_ : udp_starts_;
    if (stream < starts.written()) return;
    // Stream indexes count up by one as streams appear; a gap would only come from a stream the
    // dissector numbered but never reported: give it this packet too.
    while (starts.written() <= stream) {
        if (!starts.push(packet)) break;
    }
    starts.publish();
}

void Session::setStatus(const LoadStatus& status) {
    std::lock_guard<std::mutex> lock(status_mutex_);
    status_ = status;
    bytes_read_.store(status.bytes_read, std::memory_order_relaxed);
    bytes_total_.store(status.bytes_total, std::memory_order_relaxed);
}

void Session::setProgress(uint64_t bytes_read, uint64_t bytes_total) {
    bytes_read_.store(bytes_read, std::memory_order_relaxed);
    bytes_total_.store(bytes_total, std::memory_order_relaxed);
}

}  // namespace osilab::session
