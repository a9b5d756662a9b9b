#include "lab/cli/verbose_view.h"

#include <ctime>

#include "lab/cli/summary_line.h"
#include "lab/packet/field_text.h"
#include "lab/packet/osi_view.h"
#include "lab/packet/text_format.h"

namespace osilab::cli {
namespace {

const char* problemLabel(packet::ProblemKind kind, bool zh) {
    switch (kind) {
    case packet::ProblemKind::Truncated: return zh ? "截断" : "truncated";
    case packet::ProblemKind::Malformed: return zh ? "格式错误" : "malformed";
    case packet::ProblemKind::Unusual: return zh ? "注意" : "note";
    }
    return "";
}

void appendLayer(std::string& out, const FrameFacts& frame, const packet::Dissection& d,
                 uint32_t index, bool zh) {
    const packet::Layer& layer = d.layers[index];
    out.append("      ");
    out.append(zh ? packet::protocolTitleZh(layer.protocol) : packet::protocolTitleEn(layer.protocol));
    out.append(" (");
    out.append(packet::protocolAbbrev(layer.protocol));
    out.append(zh ? ", 字节 " : ", bytes ");
    packet::appendUint(out, layer.begin);
    out.append("–");
    packet::appendUint(out, layer.end);
    out.append(")\n");
    for (uint32_t i = 0; i < layer.field_count; ++i) {
        const packet::Field& f = d.fields[layer.first_field + i];
        out.append(8 + 2 * size_t(f.depth), ' ');
        out.append(zh ? f.info->title_zh : f.info->title_en);
        out.append(" [");
        out.append(f.info->name);
        out.append("]");
        if (f.kind == packet::FieldKind::Boolean && zh) {
            out.append(f.number ? ": 已置位 (1)" : ": 未置位 (0)");
        } else if (f.kind != packet::FieldKind::Label || f.meaning) {
            out.append(": ");
            out.append(packet::fieldShow(d, f, frame.data, frame.cap_len, 64, zh));
        }
        out.push_back('\n');
    }
    for (const packet::Problem& p : d.problems) {
        if (p.layer != index) continue;
        out.append("        ! ");
        out.append(problemLabel(p.kind, zh));
        out.append(": ");
        out.append(p.message);
        out.push_back('\n');
    }
}

}  // namespace

std::string formatUtc(int64_t time_ns) {
    int64_t sec = time_ns / 1000000000;
    int64_t frac = time_ns % 1000000000;
    if (frac < 0) {
        frac += 1000000000;
        --sec;
    }
    std::time_t t = static_cast<std::time_t>(sec);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    std::string out = buf;
    out.push_back('.');
    std::string digits;
    packet::appendUint(digits, static_cast<uint64_t>(frac));
    out.append(9 - digits.size(), '0');
    out.append(digits);
    out.append(" UTC");
    return out;
}

void appendPacketVerbose(std::string& out, const FrameFacts& frame, int64_t relative_ns,
                         const packet::Dissection& d, const packet::Conversations& conversations,
                         Language lang) {
    const bool zh = lang == Language::Zh;
    out.append(zh ? "帧 " : "Frame ");
    packet::appendUint(out, frame.number);
    out.append(zh ? ":线路上 " : ": ");
    packet::appendUint(out, frame.frame_len);
    out.append(zh ? " 字节,捕获 " : " bytes on the wire, ");
    packet::appendUint(out, frame.cap_len);
    out.append(zh ? " 字节 · " : " captured · ");
    out.append(formatUtc(frame.time_ns));
    out.append(" · +");
    appendSeconds(out, relative_ns);
    out.append(" s\n");
    if (frame.comments) {
        for (const std::string& c : *frame.comments) {
            out.append(zh ? "  # 注释: " : "  # comment: ");
            out.append(c);
            out.push_back('\n');
        }
    }
    packet::PacketView view;
    view.link_type = frame.link_type;
    view.data = frame.data;
    view.cap_len = frame.cap_len;
    view.orig_len = frame.frame_len;
    view.time_ns = frame.time_ns;
    view.number = frame.number;
    for (const packet::OsiLayerView& level : packet::osiView(view, d, &conversations)) {
        out.append("  ");
        packet::appendUint(out, static_cast<unsigned>(level.osi));
        out.push_back(' ');
        out.append(packet::osiLayerName(level.osi, zh));
        const std::string& note = zh ? level.note_zh : level.note_en;
        if (!note.empty()) {
            out.append(" — ");
            out.append(note);
        }
        out.push_back('\n');
        for (uint32_t index : level.layers) appendLayer(out, frame, d, index, zh);
    }
    out.push_back('\n');
}

}  // namespace osilab::cli
