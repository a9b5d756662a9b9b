#include "visualizer/teaching/tcp_state_inference.h"

namespace osilab::viewer {

void TcpStateInference::observe(const std::string& local, const std::string& remote,
                                const std::string& state) {
    End& end = ends_[{local, remote}];
    if (end.state != state) end.fin_acked_by = 0;
    end.state = state;
}

std::string TcpStateInference::stateOf(const std::string& local, const std::string& remote) const {
    auto it = ends_.find({local, remote});
    return it == ends_.end() ? std::string() : it->second.state;
}

std::vector<TcpStateInference::Change> TcpStateInference::segment(const std::string& from,
                                                                  const std::string& to,
                                                                  const TcpSegmentFacts& s) {
    std::vector<Change> changes;
    End& sender = ends_[{from, to}];
    End& receiver = ends_[{to, from}];
    auto set = [&](End& end, const std::string& local, const std::string& remote,
                   const char* state) {
        if (end.state == state) return;
        end.state = state;
        changes.push_back(Change{local, remote, state});
    };

    // The sender, as it sends.
    if (s.rst) {
        set(sender, from, to, "CLOSED");
    } else if (s.syn && !s.ack) {
        set(sender, from, to, "SYN-SENT");
    } else if (s.syn) {
        set(sender, from, to, "SYN-RECV");  // a listener's new connection answers the SYN
    } else if (s.fin) {
        // The FIN takes one sequence number after the payload.
        sender.fin_acked_by = s.seq + s.len + 1;
        if (sender.state == "CLOSE-WAIT")
            set(sender, from, to, "LAST-ACK");  // the second side to close
        else if (sender.state == "ESTABLISHED" || sender.state == "SYN-RECV" || sender.state.empty())
            set(sender, from, to, "FIN-WAIT-1");  // the first side to close
    }

    // The receiver, as it receives: the acknowledgement first, then the flags.
    if (s.rst) {
        if (!receiver.state.empty()) set(receiver, to, from, "CLOSED");
        return changes;
    }
    if (s.syn && !s.ack) {
        set(receiver, to, from, "SYN-RECV");
        return changes;
    }
    if (s.syn) {
        if (receiver.state == "SYN-SENT") set(receiver, to, from, "ESTABLISHED");
        return changes;
    }
    const bool fin_acked =
        s.ack && receiver.fin_acked_by != 0 && s.ack_number >= receiver.fin_acked_by;
    if (s.ack && receiver.state == "SYN-RECV") set(receiver, to, from, "ESTABLISHED");
    if (fin_acked) {
        if (receiver.state == "FIN-WAIT-1") set(receiver, to, from, "FIN-WAIT-2");
        else if (receiver.state == "CLOSING") set(receiver, to, from, "TIME-WAIT");
        else if (receiver.state == "LAST-ACK") set(receiver, to, from, "CLOSED");
    }
    if (s.fin) {
        if (receiver.state == "ESTABLISHED") set(receiver, to, from, "CLOSE-WAIT");
        else if (receiver.state == "FIN-WAIT-1") set(receiver, to, from, "CLOSING");
        else if (receiver.state == "FIN-WAIT-2") set(receiver, to, from, "TIME-WAIT");
    }
    return changes;
}

}  // namespace osilab::viewer
