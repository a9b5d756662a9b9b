// TCP streams and UDP flows, numbered and followed the way Wireshark 4.0 does it, so that
// tcp.stream, udp.stream and the relative sequence numbers agree with tshark.
#include "lab/packet/conversations.h"

#include <algorithm>
#include <cstring>

#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

// Any consistent order will do for a canonical key; this one avoids a memcmp call.
int compareEndpoints(const Endpoint& a, const Endpoint& b) {
    if (a.family != b.family) return a.family < b.family ? -1 : 1;
    uint64_t x[2], y[2];
    std::memcpy(x, a.addr.data(), 16);
    std::memcpy(y, b.addr.data(), 16);
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    if (x[1] != y[1]) return x[1] < y[1] ? -1 : 1;
    if (a.port != b.port) return a.port < b.port ? -1 : 1;
    return 0;
}

// Sequence-space "a is at or after b" (RFC 1982 style), so wrap-around at 2^32 works.
bool seqAtOrAfter(uint32_t a, uint32_t b) {
    return static_cast<int32_t>(a - b) >= 0;
}

constexpr uint16_t kSyn = tcpflag::kSyn, kAck = tcpflag::kAck, kFin = tcpflag::kFin,
                   kRst = tcpflag::kRst;

}  // namespace

std::string Endpoint::toString() const {
    std::string out;
    if (family == 6) {
        out.push_back('[');
        appendIpv6(out, addr.data());
        out.push_back(']');
    } else {
        appendIpv4(out, uint32_t(addr[0]) << 24 | uint32_t(addr[1]) << 16 | uint32_t(addr[2]) << 8 |
                            addr[3]);
    }
    out.push_back(':');
    appendUint(out, port);
    return out;
}

const char* tcpPhaseName(TcpPhase phase) {
    switch (phase) {
        case TcpPhase::Handshake: return "handshake";
        case TcpPhase::Data: return "data";
        case TcpPhase::Teardown: return "teardown";
        case TcpPhase::Closed: return "closed";
        case TcpPhase::Reset: return "reset";
    }
    return "handshake";
}

size_t Conversations::KeyHash::operator()(const Key& k) const {
    uint64_t a[2], b[2];
    std::memcpy(a, k.lo.addr.data(), 16);
    std::memcpy(b, k.hi.addr.data(), 16);
    const uint64_t ports = uint64_t(k.lo.port) << 32 | uint64_t(k.hi.port) << 8 | k.lo.family;
    // Multiply each word by its own odd constant, then one avalanche round.
    uint64_t h = (a[0] ^ (a[1] << 29 | a[1] >> 35)) * 0x9e3779b97f4a7c15ULL +
                 (b[0] ^ (b[1] << 31 | b[1] >> 33)) * 0xc2b2ae3d27d4eb4fULL +
                 ports * 0x165667b19e3779f9ULL;
    return static_cast<size_t>(mix64(h));
}

Conversations::Key Conversations::keyFor(const Endpoint& a, const Endpoint& b) {
    return compareEndpoints(a, b) <= 0 ? Key{a, b} : Key{b, a};
}

Conversations::Conversations(Options options) : options_(options) {
    tcp_.next_index = options.first_tcp_stream;
    udp_.next_index = options.first_udp_flow;
    tcp_.cells.assign(1024, 0);
    udp_.cells.assign(1024, 0);
}

// ---- the table of conversations -------------------------------------------------------------

// ---- the key index (see Table::cells) ---------------------------------------------------------

namespace {
constexpr uint64_t kCellSlotMask = 0xffffffffULL;
}  // namespace

template <class T>
uint32_t Conversations::findCell(const Table<T>& table, const Key& key, uint32_t hash) {
    const size_t mask = table.cells.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        const uint64_t cell = table.cells[i];
        if (cell == 0) return kNone;
        if (static_cast<uint32_t>(cell >> 32) != hash) continue;
        const uint32_t slot = static_cast<uint32_t>(cell & kCellSlotMask) - 1;
        if (table.slots[slot].key == key) return slot;
    }
}

template <class T>
void Conversations::growCells(Table<T>& table) {
    std::vector<uint64_t> old(table.cells.size() * 2, 0);
    old.swap(table.cells);
    const size_t mask = table.cells.size() - 1;
    for (uint64_t cell : old) {
        if (cell == 0) continue;
        size_t i = static_cast<uint32_t>(cell >> 32) & mask;
        while (table.cells[i] != 0) i = (i + 1) & mask;
        table.cells[i] = cell;
    }
}

template <class T>
void Conversations::insertCell(Table<T>& table, uint32_t hash, uint32_t slot) {
    if ((table.cell_count + 1) * 2 > table.cells.size()) growCells(table);  // load <= 1/2
    const size_t mask = table.cells.size() - 1;
    size_t i = hash & mask;
    while (table.cells[i] != 0) i = (i + 1) & mask;
    table.cells[i] = uint64_t{hash} << 32 | (uint64_t{slot} + 1);
    table.cell_count++;
}

// Backward-shift deletion: no tombstones, so lookups never slow down as conversations come
// and go.
template <class T>
void Conversations::eraseCell(Table<T>& table, uint32_t hash, uint32_t slot) {
    const size_t mask = table.cells.size() - 1;
    const uint64_t wanted = uint64_t{hash} << 32 | (uint64_t{slot} + 1);
    size_t i = hash & mask;
    while (table.cells[i] != wanted) {
        if (table.cells[i] == 0) return;  // not indexed
        i = (i + 1) & mask;
    }
    for (size_t j = (i + 1) & mask; table.cells[j] != 0; j = (j + 1) & mask) {
        const size_t home = static_cast<uint32_t>(table.cells[j] >> 32) & mask;
        // The entry at j may move to the hole at i unless its home lies cyclically in (i, j].
        const bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (stays) continue;
        table.cells[i] = table.cells[j];
        i = j;
    }
    table.cells[i] = 0;
    table.cell_count--;
}

// The live slot for this address pair, or kNone.
template <class T>
uint32_t Conversations::find(Table<T>& table, const Key& key) {
    if (table.last != kNone) {
        const Slot<T>& s = table.slots[table.last];
        if (s.live && s.key == key) return table.last;
    }
    const uint32_t slot = findCell(table, key, static_cast<uint32_t>(KeyHash{}(key)));
    if (slot != kNone) table.last = slot;
    return slot;
}

template <class T>
uint32_t Conversations::create(Table<T>& table, const Key& key, size_t cap) {
    uint32_t index = table.next_index++;
    uint32_t slot;
    if (options_.keep_history) {
        slot = static_cast<uint32_t>(table.slots.size());
        table.slots.emplace_back();
    } else {
        // Make room first: the least recently used conversation goes.
        while (table.live >= cap && table.oldest != kNone) forget(table, table.oldest);
        if (!table.free_slots.empty()) {
            slot = table.free_slots.back();
            table.free_slots.pop_back();
            table.slots[slot] = Slot<T>{};
        } else {
            slot = static_cast<uint32_t>(table.slots.size());
            table.slots.emplace_back();
        }
        table.by_index[index] = slot;
    }
    Slot<T>& s = table.slots[slot];
    s.value.index = index;
    s.key = key;
    s.live = true;
    table.live++;
    const uint32_t hash = static_cast<uint32_t>(KeyHash{}(key));
    const uint32_t old = findCell(table, key, hash);
    if (old != kNone) eraseCell(table, hash, old);
    insertCell(table, hash, slot);
    if (old != kNone) {
        // A new stream on the same address pair (ports reused): the old one stops being current.
        if (options_.keep_history) {
            table.slots[old].live = false;
            table.live--;
        } else {
            table.slots[old].live = false;  // its cell is gone already
            unlink(table, old);
            table.by_index.erase(table.slots[old].value.index);
            table.free_slots.push_back(old);
            table.live--;
        }
    }
    if (!options_.keep_history) touch(table, slot);
    table.last = slot;
    return slot;
}

template <class T>
void Conversations::unlink(Table<T>& table, uint32_t slot) {
    Slot<T>& s = table.slots[slot];
    if (s.newer != kNone)
        table.slots[s.newer].older = s.older;
    else if (table.newest == slot)
        table.newest = s.older;
    if (s.older != kNone)
        table.slots[s.older].newer = s.newer;
    else if (table.oldest == slot)
        table.oldest = s.newer;
    s.newer = s.older = kNone;
}

template <class T>
void Conversations::touch(Table<T>& table, uint32_t slot) {
    if (table.newest == slot) return;
    unlink(table, slot);
    Slot<T>& s = table.slots[slot];
    s.older = table.newest;
    if (table.newest != kNone) table.slots[table.newest].newer = slot;
    table.newest = slot;
    if (table.oldest == kNone) table.oldest = slot;
}

template <class T>
void Conversations::forget(Table<T>& table, uint32_t slot) {
    Slot<T>& s = table.slots[slot];
    unlink(table, slot);
    if (s.live) {
        eraseCell(table, static_cast<uint32_t>(KeyHash{}(s.key)), slot);
        s.live = false;
        table.live--;
    }
    table.by_index.erase(s.value.index);
    table.free_slots.push_back(slot);
}

template <class T>
const T* Conversations::lookup(const Table<T>& table, uint32_t index) const {
    if (options_.keep_history) {
        // Slots follow the indexes, from the first one (see Options::first_tcp_stream).
        const uint32_t first = table.slots.empty() ? 0 : table.slots.front().value.index;
        if (index < first || index - first >= table.slots.size()) return nullptr;
        return &table.slots[index - first].value;
    }
    auto it = table.by_index.find(index);
    return it == table.by_index.end() ? nullptr : &table.slots[it->second].value;
}

template <class T>
std::vector<const T*> Conversations::all(const Table<T>& table) const {
    std::vector<const T*> out;
    if (options_.keep_history) {
        out.reserve(table.slots.size());
        for (const Slot<T>& s : table.slots) out.push_back(&s.value);
        return out;
    }
    out.reserve(table.by_index.size());
    for (const auto& [index, slot] : table.by_index) out.push_back(&table.slots[slot].value);
    std::sort(out.begin(), out.end(), [](const T* a, const T* b) { return a->index < b->index; });
    return out;
}

void Conversations::streamFinished(uint32_t index) {
    if (options_.keep_history) return;
    finished_tcp_.push_back(index);
    while (finished_tcp_.size() > kFinishedTcpWindow) {
        uint32_t old = finished_tcp_.front();
        finished_tcp_.pop_front();
        auto it = tcp_.by_index.find(old);
        if (it == tcp_.by_index.end()) continue;
        TcpPhase phase = tcp_.slots[it->second].value.phase;
        if (phase == TcpPhase::Closed || phase == TcpPhase::Reset) forget(tcp_, it->second);
    }
}

// ---- TCP ------------------------------------------------------------------------------------

TcpSegmentInfo Conversations::onTcpSegment(const Endpoint& src, const Endpoint& dst, uint32_t seq,
                                           uint32_t ack, uint16_t flags, uint32_t payload_len,
                                           uint64_t frame, int64_t time_ns,
                                           const TcpSegmentDetails& details) {
    TcpSegmentInfo info;
    TcpStream* s = nullptr;
    uint32_t slot = kNone;
    int dir = 0;
    // Most segments belong to the previous segment's stream: compare its two ends directly,
    // which also gives the direction, before building the canonical key for the index.
    if (tcp_.last != kNone && tcp_.slots[tcp_.last].live) {
        const TcpStream& last = tcp_.slots[tcp_.last].value;
        if (last.client == src && last.server == dst) {
            slot = tcp_.last;
        } else if (last.client == dst && last.server == src) {
            slot = tcp_.last;
            dir = 1;
        }
    }
    if (slot == kNone) {
        slot = find(tcp_, keyFor(src, dst));
        if (slot != kNone) dir = tcp_.slots[slot].value.client == src ? 0 : 1;
    }
    if (slot != kNone) {
        s = &tcp_.slots[slot].value;
        // Wireshark starts a new stream when a SYN's sequence number differs from the ISN it
        // knows for that side: the ports were reused for a new connection.
        if ((flags & (kSyn | kAck)) == kSyn && s->base_known[dir] && seq != s->base_seq[dir])
            s = nullptr;
    }
    if (!s) {
        slot = create(tcp_, keyFor(src, dst), kMaxLiveTcp);
        s = &tcp_.slots[slot].value;
        // A lone SYN+ACK comes from the server; anything else names its sender the client.
        bool from_server = (flags & (kSyn | kAck)) == (kSyn | kAck);
        s->client = from_server ? dst : src;
        s->server = from_server ? src : dst;
        dir = from_server ? 1 : 0;
        s->first_frame = frame;
        s->first_time_ns = time_ns;
        info.new_stream = true;
    } else if (!options_.keep_history) {
        touch(tcp_, slot);
    }
    const int other = 1 - dir;
    const TcpPhase before = s->phase;

    // Window scaling (RFC 7323): both SYNs must carry the option, else nobody scales.
    if (flags & kSyn) {
        if (details.window_shift >= 0) {
            if (s->window_shift[dir] != -2)
                s->window_shift[dir] = static_cast<int8_t>(std::min(details.window_shift, 14));
        } else {
            s->window_shift[0] = s->window_shift[1] = -2;
        }
    }

    // ISNs as Wireshark guesses them: a SYN gives its own; otherwise the first segment seen
    // counts as byte 1 (seq - 1), and an ACK reveals the other side's (ack - 1).
    if (details.length_known) {
        if (flags & kSyn) {
            s->base_seq[dir] = seq;
            s->base_known[dir] = true;
        } else if (!s->base_known[dir]) {
            s->base_seq[dir] = seq - 1;
            s->base_known[dir] = true;
        }
        if ((flags & kAck) && !s->base_known[other]) {
            s->base_seq[other] = ack - 1;
            s->base_known[other] = true;
        }
    }

    // Accurate ECN negotiation; the SYN-ACK codepoints that accept it are 010, 011, 100, 110
    // (AE, CWR, ECE).
    constexpr uint16_t kEcnBits = tcpflag::kAe | tcpflag::kCwr | tcpflag::kEce;
    if ((flags & (kSyn | kAck)) == kSyn) s->accecn_syn = (flags & kEcnBits) == kEcnBits;
    if ((flags & (kSyn | kAck)) == (kSyn | kAck) && s->accecn_syn) {
        const uint16_t code = (flags & kEcnBits) >> 6;
        s->accecn = code == 2 || code == 3 || code == 4 || code == 6;
    }

    // Phases.
    if ((flags & (kSyn | kAck)) == kSyn) s->syn_seen = true;
    if ((flags & (kSyn | kAck)) == (kSyn | kAck)) s->syn_ack_seen = true;
    if (!(flags & kSyn)) {
        s->non_syn_seen = true;
        if (dir == 0 && (flags & kAck) && s->syn_ack_seen && s->base_known[1] &&
            ack == s->base_seq[1] + 1)
            s->handshake_ack_seen = true;
    }
    if ((flags & kAck) && s->fin_sent[other] && !s->fin_acked[other] &&
        seqAtOrAfter(ack, s->fin_seq[other] + 1))
        s->fin_acked[other] = true;
    if ((flags & kFin) && !s->fin_sent[dir]) {
        s->fin_sent[dir] = true;
        s->fin_seq[dir] = seq + payload_len;
        if (s->first_closer < 0) s->first_closer = dir;
    }
    if (flags & kRst) s->rst_seen = true;

    if (s->rst_seen)
        s->phase = TcpPhase::Reset;
    else if (s->teardownComplete())
        s->phase = TcpPhase::Closed;
    else if (s->fin_sent[0] || s->fin_sent[1])
        s->phase = TcpPhase::Teardown;
    else if (s->non_syn_seen)
        s->phase = TcpPhase::Data;
    else
        s->phase = TcpPhase::Handshake;

    s->payload_bytes[dir] += payload_len;
    s->packets[dir]++;
    s->last_frame = frame;
    s->last_time_ns = time_ns;

    info.stream = s->index;
    info.direction = dir;
    info.rel_seq = s->base_known[dir] ? seq - s->base_seq[dir] : seq;
    if (flags & kAck)
        info.rel_ack = s->base_known[other] ? ack - s->base_seq[other] : ack;
    else
        info.rel_ack = ack;
    info.next_rel_seq = info.rel_seq + payload_len + ((flags & (kSyn | kFin)) ? 1 : 0);
    info.phase = s->phase;
    info.window_shift = s->window_shift[dir];
    info.peer_base_known = s->base_known[other];
    info.peer_base_seq = s->base_seq[other];
    info.ace = s->accecn && !(flags & kSyn);

    bool finished = s->phase == TcpPhase::Closed || s->phase == TcpPhase::Reset;
    bool was_finished = before == TcpPhase::Closed || before == TcpPhase::Reset;
    if (finished && !was_finished) streamFinished(s->index);
    return info;
}

// ---- UDP ------------------------------------------------------------------------------------

uint32_t Conversations::onUdpDatagram(const Endpoint& src, const Endpoint& dst,
                                      uint32_t payload_len, uint64_t frame, int64_t time_ns) {
    const Key key = keyFor(src, dst);
    UdpFlow* f;
    const uint32_t found = find(udp_, key);
    if (found != kNone) {
        f = &udp_.slots[found].value;
        if (!options_.keep_history) touch(udp_, found);
    } else {
        uint32_t slot = create(udp_, key, kMaxLiveUdp);
        f = &udp_.slots[slot].value;
        f->a = src;
        f->b = dst;
        f->first_frame = frame;
        f->first_time_ns = time_ns;
    }
    int dir = f->a == src ? 0 : 1;
    f->payload_bytes[dir] += payload_len;
    f->packets[dir]++;
    f->last_frame = frame;
    f->last_time_ns = time_ns;
    return f->index;
}

std::vector<const TcpStream*> Conversations::tcpStreams() const {
    return all(tcp_);
}
std::vector<const UdpFlow*> Conversations::udpFlows() const {
    return all(udp_);
}
const TcpStream* Conversations::tcpStream(uint32_t index) const {
    return lookup(tcp_, index);
}
const UdpFlow* Conversations::udpFlow(uint32_t index) const {
    return lookup(udp_, index);
}

}  // namespace osilab::packet
