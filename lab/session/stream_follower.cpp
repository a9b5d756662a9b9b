#include "lab/session/stream_follower.h"

#include <cstring>

#include "lab/packet/dissector.h"

namespace osilab::session {

namespace {

const packet::Field* findField(const packet::Dissection& d, const char* name) {
    for (const packet::Field& f : d.fields)
        if (f.info != nullptr && std::strcmp(f.info->name, name) == 0) return &f;
    return nullptr;
}

std::string endpoint(const packet::Dissection& d, bool source, bool tcp) {
    const packet::Field* port = findField(d, tcp ? (source ? "tcp.srcport" : "tcp.dstport")
                                                 : (source ? "udp.srcport" : "udp.dstport"));
    const std::string& address = source ? d.summary.source : d.summary.destination;
    const std::string port_text = port ? std::to_string(port->number) : "?";
    if (address.find(':') != std::string::npos) return "[" + address + "]:" + port_text;
    return address + ":" + port_text;
}

}  // namespace

FollowedStream followStream(const Session& session, bool tcp, uint32_t index, size_t max_bytes) {
    FollowedStream out;
    out.tcp = tcp;
    out.index = index;
    const StreamStarts& starts = tcp ? session.tcpStreamStarts() : session.udpFlowStarts();
    if (index >= starts.size()) return out;

    packet::Conversations::Options options;
    options.keep_history = false;
    if (tcp)
        options.first_tcp_stream = index;
    else
        options.first_udp_flow = index;
    packet::Dissector dissector(options);
    packet::Dissection d;
    const uint8_t kind = tcp ? packetflag::kTcp : packetflag::kUdp;
    const packet::Protocol transport = tcp ? packet::Protocol::Tcp : packet::Protocol::Udp;
    size_t total = 0;
    const size_t count = session.packetCount();
    for (size_t i = starts[index]; i < count; ++i) {
        const PacketIndex& p = session.packet(i);
        if ((p.flags & kind) == 0 || p.conversation != index) continue;
        const packet::PacketView view = session.packetView(i);
        dissector.dissect(view, {.fields = true}, d);
        std::string client = endpoint(d, true, tcp);
        if (out.client.empty()) {
            out.client = client;
            out.server = endpoint(d, false, tcp);
        }
        const int direction = client == out.client ? 0 : 1;
        // The payload: from the end of the (last) TCP/UDP header to the end of the capture.
        uint32_t begin = 0;
        bool found = false;
        for (const packet::Layer& layer : d.layers) {
            if (layer.protocol == transport) {
                begin = layer.end;
                found = true;
            }
        }
        if (!found || begin >= view.cap_len) continue;
        size_t size = view.cap_len - begin;
        if (total + size > max_bytes) {
            size = max_bytes - total;
            out.cut = true;
        }
        out.pieces.push_back(
            StreamPiece{static_cast<uint32_t>(i), direction,
                        std::string(reinterpret_cast<const char*>(view.data) + begin, size)});
        out.bytes[direction] += size;
        total += size;
        if (out.cut) break;
    }
    return out;
}

std::pair<std::string, std::string> streamEndpoints(const Session& session, bool tcp,
                                                    uint32_t index) {
    const StreamStarts& starts = tcp ? session.tcpStreamStarts() : session.udpFlowStarts();
    if (index >= starts.size()) return {};
    const packet::Dissection d = packet::dissectOne(session.packetView(starts[index]));
    return {endpoint(d, true, tcp), endpoint(d, false, tcp)};
}

std::string printableText(const std::string& bytes) {
    std::string out;
    out.reserve(bytes.size());
    const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
    const size_t n = bytes.size();
    for (size_t i = 0; i < n;) {
        const uint8_t c = p[i];
        if (c < 0x80) {
            out.push_back(c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f) ? char(c) : '.');
            ++i;
            continue;
        }
        // A whole, valid UTF-8 sequence is kept; anything else becomes one dot per byte.
        const size_t len = (c & 0xE0) == 0xC0   ? 2
                           : (c & 0xF0) == 0xE0 ? 3
                           : (c & 0xF8) == 0xF0 ? 4
                                                : 0;
        bool valid = len != 0 && i + len <= n && c != 0xC0 && c != 0xC1 && c <= 0xF4;
        for (size_t k = 1; valid && k < len; ++k) valid = (p[i + k] & 0xC0) == 0x80;
        if (valid) {
            out.append(bytes, i, len);
            i += len;
        } else {
            out.push_back('.');
            ++i;
        }
    }
    return out;
}

}  // namespace osilab::session
