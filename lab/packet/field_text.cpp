#include "lab/packet/field_text.h"

#include <cstring>

#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

bool spanInside(const Field& f, uint32_t cap_len) { return f.begin <= f.end && f.end <= cap_len; }

int hexDigits(NumberBase base) {
    switch (base) {
    case NumberBase::Hex2: return 2;
    case NumberBase::Hex3: return 3;
    case NumberBase::Hex4: return 4;
    case NumberBase::Hex6: return 6;
    case NumberBase::Hex8: return 8;
    case NumberBase::Decimal: break;
    }
    return 0;
}

std::string bytesText(const Field& f, const uint8_t* frame, uint32_t cap_len, uint32_t max_bytes) {
    std::string out;
    if (!spanInside(f, cap_len)) return out;
    uint32_t n = f.end - f.begin;
    bool cut = n > max_bytes;
    appendColonHex(out, frame + f.begin, cut ? max_bytes : n);
    if (cut) out.append("…");
    return out;
}

}  // namespace

FieldValue fieldValue(const Dissection& d, const Field& f, const uint8_t* frame, uint32_t cap_len) {
    FieldValue v;
    switch (f.kind) {
    case FieldKind::Unsigned:
        v.type = FieldValue::Type::Number;
        v.number = f.number;
        break;
    case FieldKind::Boolean:
        v.type = FieldValue::Type::Boolean;
        v.number = f.number != 0;
        break;
    case FieldKind::Ipv4:
        v.type = FieldValue::Type::String;
        appendIpv4(v.text, static_cast<uint32_t>(f.number));
        break;
    case FieldKind::Ipv6:
        v.type = FieldValue::Type::String;
        if (spanInside(f, cap_len) && f.end - f.begin == 16) appendIpv6(v.text, frame + f.begin);
        break;
    case FieldKind::Mac:
        v.type = FieldValue::Type::String;
        if (spanInside(f, cap_len) && f.end - f.begin == 6) appendMac(v.text, frame + f.begin);
        break;
    case FieldKind::Bytes:
        v.type = FieldValue::Type::String;
        v.text = bytesText(f, frame, cap_len, UINT32_MAX);
        break;
    case FieldKind::FrameText:
        v.type = FieldValue::Type::String;
        if (spanInside(f, cap_len))
            v.text.assign(reinterpret_cast<const char*>(frame + f.begin), f.end - f.begin);
        break;
    case FieldKind::OwnedText:
        v.type = FieldValue::Type::String;
        if (f.number < d.texts.size()) v.text = d.texts[f.number];
        break;
    case FieldKind::Label:
        break;
    }
    return v;
}

const char* tcpPhaseNameZh(TcpPhase phase) {
    switch (phase) {
    case TcpPhase::Handshake: return "握手";
    case TcpPhase::Data: return "数据传输";
    case TcpPhase::Teardown: return "挥手(关闭中)";
    case TcpPhase::Closed: return "已关闭";
    case TcpPhase::Reset: return "被重置 (RST)";
    }
    return "";
}

std::string fieldShow(const Dissection& d, const Field& f, const uint8_t* frame, uint32_t cap_len,
                      uint32_t max_bytes, bool zh) {
    std::string out;
    switch (f.kind) {
    case FieldKind::Unsigned: {
        if (zh && f.meaning && f.info && std::strcmp(f.info->name, "tcp.osilab.phase") == 0) {
            out.append(tcpPhaseNameZh(static_cast<TcpPhase>(f.number)));
            out.append(" (");
            appendUint(out, f.number);
            out.push_back(')');
            break;
        }
        int digits = f.info ? hexDigits(f.info->base) : 0;
        if (digits) {
            out.append("0x");
            appendHex(out, f.number, digits);
            if (f.meaning) {
                out.append(" (");
                out.append(f.meaning);
                out.push_back(')');
            }
        } else if (f.meaning) {
            out.append(f.meaning);
            out.append(" (");
            appendUint(out, f.number);
            out.push_back(')');
        } else {
            appendUint(out, f.number);
        }
        break;
    }
    case FieldKind::Boolean:
        out = f.number ? "Set" : "Not set";
        break;
    case FieldKind::Bytes:
        out = bytesText(f, frame, cap_len, max_bytes);
        break;
    case FieldKind::Label:
        if (f.meaning) out = f.meaning;
        break;
    default:
        out = fieldValue(d, f, frame, cap_len).text;
        break;
    }
    return out;
}

}  // namespace osilab::packet
