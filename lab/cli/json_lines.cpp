#include "lab/cli/json_lines.h"

#include "lab/cli/summary_line.h"
#include "lab/packet/field_text.h"
#include "lab/packet/text_format.h"

namespace osilab::cli {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid.
size_t utf8SequenceLength(std::string_view s, size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n;
    uint32_t min;
    if (c < 0x80) return 1;
    if ((c & 0xe0) == 0xc0) {
        n = 2;
        min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
        n = 3;
        min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
        n = 4;
        min = 0x10000;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    uint32_t cp = c & (0x7f >> n);
    for (size_t k = 1; k < n; ++k) {
        auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xc0) != 0x80) return 0;
        cp = cp << 6 | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return n;
}

void appendSpan(std::string& out, uint32_t begin, uint32_t end) {
    out.append("[");
    packet::appendUint(out, begin);
    out.push_back(',');
    packet::appendUint(out, end);
    out.push_back(']');
}

const char* problemKindName(packet::ProblemKind k) {
    switch (k) {
    case packet::ProblemKind::Truncated: return "truncated";
    case packet::ProblemKind::Malformed: return "malformed";
    case packet::ProblemKind::Unusual: return "unusual";
    }
    return "malformed";
}

}  // namespace

void appendJsonString(std::string& out, std::string_view s) {
    out.push_back('"');
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            size_t n = utf8SequenceLength(s, i);
            if (n == 0) {
                out.append("\\ufffd");  // not UTF-8: keep the JSON valid, mark the spot
                ++i;
            } else {
                out.append(s.substr(i, n));
                i += n;
            }
            continue;
        }
        switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                out.append("\\u00");
                packet::appendHex(out, c, 2);
            } else {
                out.push_back(static_cast<char>(c));
            }
        }
        ++i;
    }
    out.push_back('"');
}

void appendPacketJson(std::string& out, const FrameFacts& frame, const packet::Dissection& d) {
    out.append("{\"frame.number\":");
    packet::appendUint(out, frame.number);
    out.append(",\"frame.time_epoch\":");
    appendSeconds(out, frame.time_ns, 9);
    out.append(",\"frame.len\":");
    packet::appendUint(out, frame.frame_len);
    out.append(",\"frame.cap_len\":");
    packet::appendUint(out, frame.cap_len);
    out.append(",\"frame.link_type\":");
    packet::appendUint(out, frame.link_type);
    if (frame.comments && !frame.comments->empty()) {
        out.append(",\"frame.comment\":[");
        for (size_t i = 0; i < frame.comments->size(); ++i) {
            if (i) out.push_back(',');
            appendJsonString(out, (*frame.comments)[i]);
        }
        out.push_back(']');
    }
    if (d.conversation != packet::ConversationKind::None) {
        out.append(d.conversation == packet::ConversationKind::TcpStream ? ",\"tcp.stream\":"
                                                                           : ",\"udp.stream\":");
        packet::appendUint(out, d.conversation_index);
    }
    out.append(",\"summary\":{\"source\":");
    appendJsonString(out, d.summary.source);
    out.append(",\"destination\":");
    appendJsonString(out, d.summary.destination);
    out.append(",\"protocol\":");
    appendJsonString(out, packet::protocolDisplay(d.summary.protocol));
    out.append(",\"info\":");
    appendJsonString(out, d.summary.info);
    out.append("},\"layers\":[");
    for (size_t li = 0; li < d.layers.size(); ++li) {
        const packet::Layer& layer = d.layers[li];
        if (li) out.push_back(',');
        out.append("{\"osi\":");
        packet::appendUint(out, static_cast<unsigned>(layer.osi));
        out.append(",\"protocol\":");
        appendJsonString(out, packet::protocolAbbrev(layer.protocol));
        out.append(",\"span\":");
        appendSpan(out, layer.begin, layer.end);
        out.append(",\"fields\":[");
        for (uint32_t fi = 0; fi < layer.field_count; ++fi) {
            const packet::Field& f = d.fields[layer.first_field + fi];
            if (fi) out.push_back(',');
            out.append("{\"name\":");
            appendJsonString(out, f.info->name);
            out.append(",\"value\":");
            packet::FieldValue v = packet::fieldValue(d, f, frame.data, frame.cap_len);
            switch (v.type) {
            case packet::FieldValue::Type::None: out.append("null"); break;
            case packet::FieldValue::Type::Number: packet::appendUint(out, v.number); break;
            case packet::FieldValue::Type::Boolean: out.append(v.number ? "true" : "false"); break;
            case packet::FieldValue::Type::String: appendJsonString(out, v.text); break;
            }
            out.append(",\"show\":");
            appendJsonString(out, packet::fieldShow(d, f, frame.data, frame.cap_len));
            out.append(",\"span\":");
            appendSpan(out, f.begin, f.end);
            out.append(",\"depth\":");
            packet::appendUint(out, f.depth);
            out.push_back('}');
        }
        out.append("]}");
    }
    out.append("],\"problems\":[");
    for (size_t pi = 0; pi < d.problems.size(); ++pi) {
        const packet::Problem& p = d.problems[pi];
        if (pi) out.push_back(',');
        out.append("{\"layer\":");
        packet::appendUint(out, p.layer);
        out.append(",\"kind\":");
        appendJsonString(out, problemKindName(p.kind));
        out.append(",\"message\":");
        appendJsonString(out, p.message);
        out.push_back('}');
    }
    out.append("]}\n");
}

}  // namespace osilab::cli
