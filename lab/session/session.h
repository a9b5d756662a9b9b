// The Session model: one capture — a saved file, standard input or a live lesson run — as an
// append-only timeline of packets, their comments and OSI Lab's own events. A loader thread
// appends (SessionLoader); the UI and helper threads read at the same time without locks: every
// list is an AppendLog whose published entries never change. One model for live and replay: the
// source differs, everything after it is the same.
//
// No UI code here; the viewer, tests and headless tools share it.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "lab/packet/dissector.h"
#include "lab/session/append_log.h"
#include "lab/session/byte_arena.h"
#include "lab/session/mapped_file.h"
#include "lab/session/packet_index.h"
#include "lab/session/timeline_events.h"

namespace osilab::session {

enum class LoadState : uint8_t {
    NotStarted,
    Loading,
    Finished,   // read to the end
    Damaged,    // read up to a damaged record; `message` says where; packets before it are kept
    Cancelled,  // stopped on request; packets read so far are kept
    Failed,     // could not be opened at all; `message` says why
};
const char* loadStateName(LoadState state);  // "loading", "finished"…

struct LoadStatus {
    LoadState state = LoadState::NotStarted;
    std::string source;   // path, or "standard input"
    std::string format;   // "pcap", "pcapng"; empty until opened
    std::string message;  // why it failed or where the file is damaged
    uint64_t bytes_read = 0;
    uint64_t bytes_total = 0;     // 0 when unknown (a pipe)
    uint64_t packets_copied = 0;  // packets held in memory because the file map could not be used

    bool done() const { return state != LoadState::NotStarted && state != LoadState::Loading; }
    // 0…1, or a negative number when the size is unknown.
    double fraction() const {
        if (bytes_total == 0) return done() ? 1.0 : -1.0;
        return bytes_read >= bytes_total ? 1.0 : double(bytes_read) / double(bytes_total);
    }
};

// Where the bytes of one TCP stream or UDP flow begin: the stream's first packet.
using StreamStarts = AppendLog<uint32_t, 14, 65536>;

class Session {
public:
    Session() = default;
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // ---- Reading: any thread, any time --------------------------------------------------------
    size_t packetCount() const { return packets_.size(); }
    const PacketIndex& packet(size_t i) const { return packets_[i]; }
    std::span<const uint8_t> packetBytes(size_t i) const;
    // The packet as the dissector takes it (number is i + 1, as Wireshark counts).
    packet::PacketView packetView(size_t i) const;
    // Time of the first packet (0 when there is none yet): the Time column counts from it.
    int64_t firstTimeNs() const { return packets_.size() ? packets_[0].time_ns : 0; }

    const AppendLog<PacketComment, 10, 16384>& comments() const { return comments_; }
    // The comments of packet i: entries [first, second) of comments().
    std::pair<size_t, size_t> commentRange(size_t i) const;
    const AppendLog<TimelineEvent, 10, 16384>& events() const { return events_; }

    // First packet of each TCP stream / UDP flow, by stream index (as tcp.stream numbers them).
    const StreamStarts& tcpStreamStarts() const { return tcp_starts_; }
    const StreamStarts& udpFlowStarts() const { return udp_starts_; }

    LoadStatus status() const;

    // ---- Writing: the loader thread only -----------------------------------------------------
    // Bytes from here on are looked up in this file map when possible (see appendPacket).
    void attachFile(MappedFile file);
    const MappedFile& file() const { return file_; }
    // Adds a packet. When `file_offset` is given and the mapped file holds exactly these bytes
    // there, the index points into the map; otherwise the bytes are copied into the arena.
    // Published to readers before it returns.
    void appendPacket(PacketIndex index, const uint8_t* data, std::optional<uint64_t> file_offset,
                      std::span<const std::string> comments);
    void appendEvent(TimelineEvent event);
    void noteStreamStart(bool tcp, uint32_t stream, uint32_t packet);
    void setStatus(const LoadStatus& status);
    void setProgress(uint64_t bytes_read, uint64_t bytes_total);

private:
    AppendLog<PacketIndex> packets_;
    AppendLog<PacketComment, 10, 16384> comments_;
    AppendLog<TimelineEvent, 10, 16384> events_;
    StreamStarts tcp_starts_;
    StreamStarts udp_starts_;
    MappedFile file_;  // set before the first packet, then never changed
    ByteArena arena_;

    mutable std::mutex status_mutex_;
    LoadStatus status_;  // bytes_read/bytes_total are kept in the atomics below
    std::atomic<uint64_t> bytes_read_{0};
    std::atomic<uint64_t> bytes_total_{0};
    std::atomic<uint64_t> packets_copied_{0};
};

}  // namespace osilab::session
