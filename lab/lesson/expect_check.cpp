#include "lab/lesson/expect_check.h"

#include <cstring>
#include <regex>

#include "lab/lesson/names.h"

namespace osilab::lesson {
namespace {

bool endpointMatches(const EndpointRef& wanted, const EndpointRef& seen) {
    if (wanted.any()) return true;
    if (wanted.actor != seen.actor) return false;
    return wanted.socket < 0 || wanted.socket == seen.socket;
}

std::string kindText(const PacketPattern& pattern) {
    switch (pattern.kind) {
        case PacketKind::Tcp: return tcpFlagsText(pattern.tcp_flags);
        case PacketKind::Udp: return "UDP";
        case PacketKind::IcmpPortUnreachable: return "ICMP port unreachable";
    }
    return "?";
}

std::string quoted(const std::string& bytes) {
    std::string out = "\"";
    for (char c : bytes) {
        if (c == '\r') {
            out += "\\r";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
        if (out.size() > 80) return out + "…\"";
    }
    return out + "\"";
}

std::string expectPath(const Step& step, const char* key) {
    return step.path + "/expect/" + key;
}

}  // namespace

std::string describeEndpoint(const Lesson& lesson, const EndpointRef& endpoint) {
    if (endpoint.any()) return "?";
    std::string text = lesson.actors[static_cast<size_t>(endpoint.actor)].name;
    if (endpoint.socket >= 0)
        text += "." + lesson.sockets[static_cast<size_t>(endpoint.socket)].name;
    return text;
}

bool matchesPattern(const PacketPattern& pattern, const ObservedPacket& packet) {
    if (!packet.kind || *packet.kind != pattern.kind) return false;
    if (pattern.ip_version != 0 && pattern.ip_version != packet.ip_version) return false;
    if (pattern.kind == PacketKind::Tcp && pattern.tcp_flags != packet.tcp_flags) return false;
    if (!endpointMatches(pattern.from, packet.source)) return false;
    if (!endpointMatches(pattern.to, packet.destination)) return false;
    if (pattern.length && *pattern.length != packet.payload.size()) return false;
    if (pattern.data && *pattern.data != packet.payload) return false;
    return true;
}

std::string describePattern(const Lesson& lesson, const PacketPattern& pattern) {
    std::string text;
    if (!pattern.from.any() || !pattern.to.any()) {
        text = (pattern.from.any() ? "?" : describeEndpoint(lesson, pattern.from)) + " → " +
               (pattern.to.any() ? "?" : describeEndpoint(lesson, pattern.to)) + " ";
    }
    text += kindText(pattern);
    if (pattern.ip_version) text += " IPv" + std::to_string(pattern.ip_version);
    if (pattern.data) {
        text += " " + quoted(*pattern.data);
    } else if (pattern.length) {
        text += " len=" + std::to_string(*pattern.length);
    }
    return text;
}

std::string describePacket(const Lesson& lesson, const ObservedPacket& packet) {
    if (!packet.kind) return "another packet (neither TCP, UDP nor ICMP port unreachable)";
    std::string text;
    if (*packet.kind != PacketKind::IcmpPortUnreachable) {
        text =
            (packet.source.any() ? "nobody" : describeEndpoint(lesson, packet.source)) + " → " +
            (packet.destination.any() ? "nobody" : describeEndpoint(lesson, packet.destination)) +
            " ";
    }
    switch (*packet.kind) {
        case PacketKind::Tcp: text += tcpFlagsText(packet.tcp_flags); break;
        case PacketKind::Udp: text += "UDP"; break;
        case PacketKind::IcmpPortUnreachable: text += "ICMP port unreachable"; break;
    }
    if (!packet.payload.empty()) text += " len=" + std::to_string(packet.payload.size());
    return text;
}

std::vector<Mismatch> checkPackets(const Lesson& lesson, const Step& step,
                                   const std::vector<ObservedPacket>& packets) {
    const Expect& expect = step.expect;
    if (expect.packet_match == PacketMatch::None) return {};
    bool ok = true;
    if (expect.packet_match == PacketMatch::Exact) {
        ok = packets.size() == expect.packets.size();
        for (size_t i = 0; ok && i < packets.size(); ++i) {
            ok = matchesPattern(expect.packets[i], packets[i]);
        }
    } else {
        size_t next = 0;  // greedy subsequence: take the first packet that fits each pattern
        for (const ObservedPacket& packet : packets) {
            if (next < expect.packets.size() && matchesPattern(expect.packets[next], packet))
                ++next;
        }
        ok = next == expect.packets.size();
    }
    if (ok) return {};
    std::string wanted;
    for (const PacketPattern& pattern : expect.packets) {
        wanted += (wanted.empty() ? "" : ", ") + describePattern(lesson, pattern);
    }
    std::string seen;
    for (const ObservedPacket& packet : packets) {
        seen += (seen.empty() ? "" : ", ") + describePacket(lesson, packet);
    }
    const bool exact = expect.packet_match == PacketMatch::Exact;
    return {Mismatch{expectPath(step, exact ? "packets" : "packets_include"),
                     std::string(exact ? "expected exactly " : "expected, among others, ") +
                         (wanted.empty() ? "no packets" : wanted) + "; captured " +
                         (seen.empty() ? "no packets" : seen)}};
}

std::vector<Mismatch> checkCall(const Lesson& lesson, const Step& step, const ObservedCall& call) {
    std::vector<Mismatch> out;
    const Expect& expect = step.expect;
    const std::string name = std::string(callName(step.call)) + "()";
    if (expect.pending && !call.pending_at_step_end) {
        out.push_back({expectPath(step, "pending"),
                       name + " was expected to stay blocked after its step, but it returned"});
    }
    if (!call.returned) {
        out.push_back({step.path, name + " never returned (timed out or stopped)"});
        return out;
    }
    if (expect.error) {
        if (call.error != expect.error->value) {
            out.push_back({expectPath(step, "error"),
                           name + " was expected to fail with " + expect.error->name + ", but " +
                               (call.error == 0 ? "it succeeded"
                                                : "it failed with " + errnoName(call.error) + " (" +
                                                      std::strerror(call.error) + ")")});
        }
        return out;
    }
    if (call.error != 0) {
        out.push_back({step.path, name + " failed with " + errnoName(call.error) + " (" +
                                      std::strerror(call.error) +
                                      "), but the lesson expects it to succeed"});
        return out;
    }
    if (expect.returns && *expect.returns != call.result) {
        out.push_back({expectPath(step, "returns"),
                       name + " was expected to return " + std::to_string(*expect.returns) +
                           ", it returned " + std::to_string(call.result)});
    }
    if (expect.data && *expect.data != call.data) {
        out.push_back({expectPath(step, "data"), name + " was expected to receive " +
                                                     quoted(*expect.data) + ", it received " +
                                                     quoted(call.data)});
    }
    if (expect.data_matches &&
        !std::regex_match(call.data, std::regex(*expect.data_matches, std::regex::ECMAScript))) {
        out.push_back({expectPath(step, "data_matches"), name + " received " + quoted(call.data) +
                                                             ", which does not match " +
                                                             *expect.data_matches});
    }
    if (expect.peer && !endpointMatches(*expect.peer, call.peer)) {
        out.push_back({expectPath(step, "peer"),
                       name + " was expected to get " + describeEndpoint(lesson, *expect.peer) +
                           " at the other end, it got " +
                           (call.peer.any() ? "an address of no actor"
                                            : describeEndpoint(lesson, call.peer))});
    }
    return out;
}

std::vector<Mismatch> checkStates(const Lesson& lesson, const Step& step,
                                  const std::vector<TcpState>& state_of_socket) {
    std::vector<Mismatch> out;
    for (const StateExpect& expected : step.expect.states) {
        const auto index = static_cast<size_t>(expected.socket);
        const TcpState seen =
            index < state_of_socket.size() ? state_of_socket[index] : TcpState::Closed;
        if (seen == expected.state) continue;
        const SocketDecl& decl = lesson.sockets[index];
        const std::string name =
            lesson.actors[static_cast<size_t>(decl.actor)].name + "." + decl.name;
        out.push_back({expectPath(step, "states"),
                       name + " was expected in " + std::string(tcpStateName(expected.state)) +
                           ", the kernel shows " + std::string(tcpStateName(seen))});
    }
    return out;
}

}  // namespace osilab::lesson
