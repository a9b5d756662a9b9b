// Conversation tracking: TCP streams and UDP flows, as Wireshark numbers them (tcp.stream,
// udp.stream), with relative sequence numbers and the phases a lesson talks about.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

namespace osilab::packet {

struct Endpoint {
    uint8_t family = 0;  // 4 or 6; 0 = unknown
    std::array<uint8_t, 16> addr{};  // IPv4 uses the first 4 bytes
    uint16_t port = 0;

    bool operator==(const Endpoint& o) const {
        return family == o.family && addr == o.addr && port == o.port;
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
    std::array<uint32_t, 2> base_seq{};    // first sequence number seen per direction (ISN)
    std::array<bool, 2> base_known{};
    std::array<bool, 2> fin_sent{};
    std::array<uint32_t, 2> fin_seq{};     // sequence number of each side's FIN
    std::array<bool, 2> fin_acked{};
    std::array<uint64_t, 2> payload_bytes{};
    std::array<uint64_t, 2> packets{};
    bool syn_seen = false, syn_ack_seen = false, handshake_ack_seen = false, rst_seen = false;
    int first_closer = -1;  // -1 nobody yet; 0 client; 1 server (sent the first FIN)
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
    int direction = 0;      // 0 client → server, 1 server → client
    uint32_t rel_seq = 0;   // as Wireshark's tcp.seq (relative to the direction's ISN)
    uint32_t rel_ack = 0;   // as tcp.ack (relative to the other direction's ISN; 0 if unknown)
    uint32_t next_rel_seq = 0;  // tcp.nxtseq: rel_seq + payload + SYN + FIN
    TcpPhase phase = TcpPhase::Handshake;  // the stream's phase after this segment
};

class Conversations {
public:
    struct Options {
        // false: forget finished streams and idle flows beyond a small window so memory stays
        // constant on captures of any size (osilab show); indexes still count up.
        bool keep_history = true;
    };
    Conversations() : Conversations(Options{}) {}
    explicit Conversations(Options options);

    TcpSegmentInfo onTcpSegment(const Endpoint& src, const Endpoint& dst, uint32_t seq,
                                uint32_t ack, uint16_t flags, uint32_t payload_len,
                                uint64_t frame, int64_t time_ns);
    uint32_t onUdpDatagram(const Endpoint& src, const Endpoint& dst, uint32_t payload_len,
                           uint64_t frame, int64_t time_ns);

    // With keep_history, every stream and flow ever seen, by index. Without, only the live ones.
    std::vector<const TcpStream*> tcpStreams() const;
    std::vector<const UdpFlow*> udpFlows() const;
    const TcpStream* tcpStream(uint32_t index) const;
    const UdpFlow* udpFlow(uint32_t index) const;

private:
    struct Key {
        Endpoint lo, hi;  // the two endpoints in a canonical order
        bool operator==(const Key& o) const { return lo == o.lo && hi == o.hi; }
    };
    struct KeyHash {
        size_t operator()(const Key& k) const;
    };
    static Key keyFor(const Endpoint& a, const Endpoint& b);
    void forgetOldTcp();
    void forgetOldUdp();

    Options options_;
    std::deque<TcpStream> tcp_;  // by index - tcp_offset_
    std::deque<UdpFlow> udp_;
    uint32_t tcp_offset_ = 0, udp_offset_ = 0;
    std::unordered_map<Key, uint32_t, KeyHash> tcp_by_key_;  // live stream index per 4-tuple
    std::unordered_map<Key, uint32_t, KeyHash> udp_by_key_;
};

}  // namespace osilab::packet
