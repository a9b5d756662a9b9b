// Conversation tracking: TCP streams and UDP flows, as Wireshark numbers them (tcp.stream,
// udp.stream), with relative sequence numbers and the phases a lesson talks about.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace osilab::packet {

struct Endpoint {
    uint8_t family = 0;              // 4 or 6; 0 = unknown
    std::array<uint8_t, 16> addr{};  // IPv4 uses the first 4 bytes
    uint16_t port = 0;

    bool operator==(const Endpoint& o) const {
        // Two 8-byte compares instead of a 16-byte memcmp call: this runs for every packet.
        uint64_t a[2], b[2];
        std::memcpy(a, addr.data(), 16);
        std::memcpy(b, o.addr.data(), 16);
        return family == o.family && port == o.port && a[0] == b[0] && a[1] == b[1];
    }
    std::string toString() const;  // "127.0.0.1:8080", "[::1]:8080"
};

enum class TcpPhase : uint8_t {
    Handshake,  // SYN seen, handshake not finished
    Data,       // handshake complete (or joined mid-stream), no FIN/RST yet
    Teardown,   // a FIN has been sent, not both sides acknowledged yet
    Closed,     // both FINs sent and the last one acknowledged
    Reset,      // ended by RST
};
const char* tcpPhaseName(TcpPhase phase);  // "handshake", "data", "teardown", "closed", "reset"

// TCP flag bits as they sit in the 12-bit flags field.
namespace tcpflag {
inline constexpr uint16_t kFin = 0x001, kSyn = 0x002, kRst = 0x004, kPsh = 0x008, kAck = 0x010,
                          kUrg = 0x020, kEce = 0x040, kCwr = 0x080, kAe = 0x100;
}

struct TcpStream {
    uint32_t index = 0;
    Endpoint client;  // who sent the first SYN (or, joined mid-stream, the first packet's source)
    Endpoint server;
    // Direction 0 is client → server, 1 is server → client.
    std::array<uint32_t, 2> base_seq{};  // first sequence number seen per direction (ISN)
    std::array<bool, 2> base_known{};
    std::array<bool, 2> fin_sent{};
    std::array<uint32_t, 2> fin_seq{};  // sequence number of each side's FIN
    std::array<bool, 2> fin_acked{};
    std::array<uint64_t, 2> payload_bytes{};
    std::array<uint64_t, 2> packets{};
    bool syn_seen = false, syn_ack_seen = false, handshake_ack_seen = false, rst_seen = false;
    bool non_syn_seen = false;  // a segment without SYN: the stream carries data or control now
    // Accurate ECN (RFC 9768): the SYN asked for it (AE, CWR and ECE all set) and the SYN-ACK
    // agreed; from then on those three bits form the 3-bit ACE counter.
    bool accecn_syn = false, accecn = false;
    int first_closer = -1;  // -1 nobody yet; 0 client; 1 server (sent the first FIN)
    // Window scale shift per direction, as Wireshark keeps it: >= 0 from the SYN's option,
    // -1 not known (no SYN seen), -2 scaling not in use (a SYN came without the option).
    std::array<int8_t, 2> window_shift{-1, -1};
    TcpPhase phase = TcpPhase::Handshake;
    uint64_t first_frame = 0, last_frame = 0;
    int64_t first_time_ns = 0, last_time_ns = 0;

    bool handshakeComplete() const { return syn_seen && syn_ack_seen && handshake_ack_seen; }
    bool teardownComplete() const { return fin_acked[0] && fin_acked[1]; }
};

struct UdpFlow {
    uint32_t index = 0;
    Endpoint a;  // source of the first datagram
    Endpoint b;
    std::array<uint64_t, 2> payload_bytes{};
    std::array<uint64_t, 2> packets{};
    uint64_t first_frame = 0, last_frame = 0;
    int64_t first_time_ns = 0, last_time_ns = 0;
};

// What the TCP dissector learns about one segment from the stream it belongs to.
struct TcpSegmentInfo {
    uint32_t stream = 0;
    int direction = 0;          // 0 client → server, 1 server → client
    uint32_t rel_seq = 0;       // as Wireshark's tcp.seq (relative to the direction's ISN)
    uint32_t rel_ack = 0;       // as tcp.ack: relative to the other side's ISN (guessed as ack - 1
                                // when unseen); the raw field when the ACK flag is clear
    uint32_t next_rel_seq = 0;  // tcp.nxtseq: rel_seq + payload + 1 if SYN or FIN
    TcpPhase phase = TcpPhase::Handshake;  // the stream's phase after this segment
    int window_shift = -1;         // this direction's scale shift (see TcpStream::window_shift)
    bool peer_base_known = false;  // the other direction's ISN is known…
    uint32_t peer_base_seq = 0;    // …and is this (SACK edges are relative to it)
    bool new_stream = false;       // this segment started a stream (ports reused after a SYN)
    bool ace = false;              // AE, CWR and ECE form the AccECN counter in this segment
};

// Facts about a segment beyond its fixed header, for onTcpSegment.
struct TcpSegmentDetails {
    int window_shift = -1;     // shift of a Window Scale option in this segment, -1 if none
    bool length_known = true;  // false when the header claims more bytes than the segment
                               // holds: the segment joins its stream but moves no ISN
};

class Conversations {
public:
    struct Options {
        // false: forget finished streams and idle flows beyond a small window so memory stays
        // constant on captures of any size (osilab show); indexes still count up.
        bool keep_history = true;
        // Where tcp.stream / udp.stream numbering starts. The viewer re-dissects one stream on its
        // own, starting at that stream's index, so it gets the number the whole capture gave it.
        uint32_t first_tcp_stream = 0;
        uint32_t first_udp_flow = 0;
    };
    Conversations() : Conversations(Options{}) {}
    explicit Conversations(Options options);

    // Segments and datagrams must arrive in capture order. rel_ack is the raw ack number when
    // the ACK flag is clear (as tshark shows it).
    TcpSegmentInfo onTcpSegment(const Endpoint& src, const Endpoint& dst, uint32_t seq,
                                uint32_t ack, uint16_t flags, uint32_t payload_len, uint64_t frame,
                                int64_t time_ns, const TcpSegmentDetails& details = {});
    uint32_t onUdpDatagram(const Endpoint& src, const Endpoint& dst, uint32_t payload_len,
                           uint64_t frame, int64_t time_ns);

    // With keep_history, every stream and flow ever seen, by index. Without, only the live ones
    // (and a pointer stays valid only until the next onTcpSegment/onUdpDatagram call, since the
    // slots of forgotten conversations are reused).
    std::vector<const TcpStream*> tcpStreams() const;
    std::vector<const UdpFlow*> udpFlows() const;
    const TcpStream* tcpStream(uint32_t index) const;
    const UdpFlow* udpFlow(uint32_t index) const;

    // Without history, at most this many conversations are remembered (least recently used
    // ones are forgotten first; finished TCP streams sooner, beyond kFinishedTcpWindow).
    // Small enough that a full table costs about 2 MB, so `osilab show` needs nearly the same
    // memory for 100,000 packets as for 10,000,000 (bench/README.md); a UDP pair idle beyond
    // 8,192 newer flows then gets a new udp.stream, where tshark would reuse the old one.
    static constexpr size_t kMaxLiveTcp = 8192;
    static constexpr size_t kMaxLiveUdp = 8192;
    static constexpr size_t kFinishedTcpWindow = 1024;
    size_t liveTcpStreamCount() const { return tcp_.live; }
    size_t liveUdpFlowCount() const { return udp_.live; }

private:
    struct Key {
        Endpoint lo, hi;  // the two endpoints in a canonical order
        bool operator==(const Key& o) const { return lo == o.lo && hi == o.hi; }
    };
    struct KeyHash {
        size_t operator()(const Key& k) const;
    };
    static Key keyFor(const Endpoint& a, const Endpoint& b);

    static constexpr uint32_t kNone = UINT32_MAX;
    // One conversation and its place in the recently-used list (kept only without history).
    template <class T>
    struct Slot {
        T value;
        Key key;
        uint32_t newer = kNone, older = kNone;
        bool live = false;
    };
    template <class T>
    struct Table {
        std::deque<Slot<T>> slots;         // with history: slot number == conversation index
        std::vector<uint32_t> free_slots;  // without history: slots of forgotten conversations
        // Current conversation per address pair: open addressing, linear probing. A cell is
        // 0 (empty) or the key's 32-bit hash << 32 | (slot + 1), so most probes compare the
        // hash without touching the slot (node-based std::unordered_map cost a cache miss or
        // two per packet on big captures).
        std::vector<uint64_t> cells;
        size_t cell_count = 0;
        std::unordered_map<uint32_t, uint32_t> by_index;  // without history: index → slot
        uint32_t newest = kNone, oldest = kNone;          // recently-used list ends
        uint32_t next_index = 0;
        size_t live = 0;
        uint32_t last = kNone;  // slot of the previous packet: bursts skip the hash lookup
    };

    template <class T>
    static uint32_t findCell(const Table<T>& table, const Key& key, uint32_t hash);
    template <class T>
    static void insertCell(Table<T>& table, uint32_t hash, uint32_t slot);
    template <class T>
    static void eraseCell(Table<T>& table, uint32_t hash, uint32_t slot);
    template <class T>
    static void growCells(Table<T>& table);
    template <class T>
    uint32_t find(Table<T>& table, const Key& key);
    template <class T>
    uint32_t create(Table<T>& table, const Key& key, size_t cap);
    template <class T>
    void touch(Table<T>& table, uint32_t slot);
    template <class T>
    void unlink(Table<T>& table, uint32_t slot);
    template <class T>
    void forget(Table<T>& table, uint32_t slot);
    template <class T>
    const T* lookup(const Table<T>& table, uint32_t index) const;
    template <class T>
    std::vector<const T*> all(const Table<T>& table) const;
    void streamFinished(uint32_t index);

    Options options_;
    Table<TcpStream> tcp_;
    Table<UdpFlow> udp_;
    std::deque<uint32_t> finished_tcp_;  // without history: recently finished stream indexes
};

}  // namespace osilab::packet
