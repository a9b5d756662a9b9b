// TCP states between the kernel's snapshots, inferred from the segments on the wire.
//
// The runner asks the kernel (sock_diag) for every socket's state before and after each step,
// so states that last only microseconds on loopback (SYN-SENT, SYN-RECV, FIN-WAIT-1,
// LAST-ACK…) never appear in a snapshot. The ladder still has to show them, as the textbook
// diagram does, so they are followed here through RFC 9293's state diagram, one segment at a
// time, starting from what the kernel last said. A snapshot always wins over an inference, and
// the ladder marks inferred states as such.
//
// Connections are keyed by their two addresses as the timeline writes them ("127.0.0.1:8898").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace osilab::viewer {

// What the state machine needs of one TCP segment. seq and ack are Wireshark's relative
// numbers (tcp.seq, tcp.ack), len its payload length (tcp.len).
struct TcpSegmentFacts {
    bool syn = false, ack = false, fin = false, rst = false;
    uint64_t seq = 0, ack_number = 0, len = 0;
};

class TcpStateInference {
public:
    struct Change {
        std::string local, remote;  // the connection end whose state changed
        std::string state;          // the kernel's names: "SYN-SENT", "SYN-RECV", "CLOSED"…
    };

    // The kernel's word on one connection end (a snapshot entry with both addresses).
    void observe(const std::string& local, const std::string& remote, const std::string& state);
    // A segment from `from` to `to`: the states it changes, the sender's first.
    std::vector<Change> segment(const std::string& from, const std::string& to,
                                const TcpSegmentFacts& s);
    // The state last observed or inferred for a connection end, "" if unknown.
    std::string stateOf(const std::string& local, const std::string& remote) const;

private:
    struct End {
        std::string state;
        uint64_t fin_acked_by = 0;  // the ack number that acknowledges this end's FIN; 0: none sent
    };
    std::map<std::pair<std::string, std::string>, End> ends_;
};

}  // namespace osilab::viewer
