// Quoted datagrams inside ICMP errors. The quoted headers are dissected by the ordinary IPv4,
// IPv6, TCP and UDP dissectors, then their layers are folded into the ICMP layer: the quote is
// part of the ICMP message, not another packet.
#include "lab/packet/icmp_quote.h"

#include <array>

namespace osilab::packet {
namespace {

// One heading per protocol, named like Wireshark's protocol filter ("ip", "udp").
const FieldInfo& quoteHeading(Protocol p) {
    static const auto kHeadings = [] {
        std::array<FieldInfo, static_cast<size_t>(Protocol::Count)> h{};
        for (size_t i = 0; i < h.size(); ++i) {
            auto proto = static_cast<Protocol>(i);
            h[i] = FieldInfo{
                protocolAbbrev(proto), protocolTitleEn(proto), protocolTitleZh(proto),
                "Copy of this header from the packet that caused the error, quoted so "
                "its sender can tell which packet failed",
                "引发差错的那个包中这个首部的副本;引用它是为了让发送方知道是哪个包出了问题"};
        }
        return h;
    }();
    size_t i = static_cast<size_t>(p);
    return kHeadings[i < kHeadings.size() ? i : static_cast<size_t>(Protocol::Data)];
}

}  // namespace

int carryingHopLimit(const DissectContext& ctx) {
    const auto& layers = ctx.out.layers;
    if (layers.size() < 2) return -1;
    const Layer& ip = layers[layers.size() - 2];  // the layer before the current one
    if (ip.protocol == Protocol::Ipv4 && ctx.bytes.has(ip.begin + 8, 1))
        return ctx.bytes.u8(ip.begin + 8);
    if (ip.protocol == Protocol::Ipv6 && ctx.bytes.has(ip.begin + 7, 1))
        return ctx.bytes.u8(ip.begin + 7);
    return -1;
}

bool carriedWhole(const DissectContext& ctx, uint32_t end) {
    const auto& layers = ctx.out.layers;
    const ByteReader& b = ctx.bytes;
    // The frame as it was on the wire; the snap length may have cut what we have.
    const uint64_t frame_end = ctx.packet.orig_len > b.size() ? ctx.packet.orig_len : b.size();
    uint64_t claimed = frame_end;
    if (layers.size() >= 2) {
        const Layer& ip = layers[layers.size() - 2];
        uint64_t length = 0;
        if (ip.protocol == Protocol::Ipv4 && b.has(ip.begin, 4)) {
            length = b.u16(ip.begin + 2);  // 0 (TSO): the frame decides
            if (length) claimed = ip.begin + length;
        } else if (ip.protocol == Protocol::Ipv6 && b.has(ip.begin, 6)) {
            length = b.u16(ip.begin + 4);  // 0 (jumbogram): the frame decides
            if (length) claimed = ip.begin + 40 + length;
        }
    }
    // A length beyond the frame is an error the IP layer reports; the message then ends with
    // the frame, as in Wireshark.
    if (claimed > frame_end) claimed = frame_end;
    return end >= claimed;
}

void dissectQuotedDatagram(DissectContext& ctx, uint32_t offset, uint32_t end, bool ipv6) {
    Dissection& out = ctx.out;
    // The summary path has no use for a quote: it adds only fields, its layers fold into the
    // ICMP layer and its problems are dropped. Skipping it keeps that path allocation-free.
    if (!ctx.wantFields()) return;
    if (offset >= end || out.layers.empty() || ctx.nesting >= kMaxNesting) return;
    const uint32_t icmp_index = static_cast<uint32_t>(out.layers.size() - 1);
    const size_t first_quoted = out.layers.size();
    const size_t problems_before = out.problems.size();

    // Everything the quoted dissectors may change, restored afterwards.
    const Endpoint net_src = ctx.net_src, net_dst = ctx.net_dst;
    const bool fragment = ctx.fragment;
    Conversations* const conversations = ctx.conversations;
    const uint8_t depth_base = ctx.field_depth_base;
    const Protocol summary_protocol = out.summary.protocol;

    ctx.nesting++;
    ctx.field_depth_base = static_cast<uint8_t>(depth_base + 1);
    ctx.conversations = nullptr;
    ctx.fragment = false;
    if (ipv6)
        dissectIpv6(ctx, offset, end);
    else
        dissectIpv4(ctx, offset, end);
    ctx.nesting--;
    ctx.field_depth_base = depth_base;
    ctx.conversations = conversations;
    ctx.fragment = fragment;
    ctx.net_src = net_src;
    ctx.net_dst = net_dst;
    out.summary.protocol = summary_protocol;

    // Fold the quoted layers into the ICMP layer: a heading where each one's fields begin
    // (inserted back to front so earlier positions stay valid), then one field range.
    if (ctx.wantFields()) {
        for (size_t i = out.layers.size(); i-- > first_quoted;) {
            const Layer& l = out.layers[i];
            Field heading;
            heading.info = &quoteHeading(l.protocol);
            heading.begin = l.begin;
            heading.end = l.end;
            heading.kind = FieldKind::Label;
            heading.depth = depth_base;
            out.fields.insert(out.fields.begin() + l.first_field, heading);
        }
    }
    Layer& icmp = out.layers[icmp_index];
    icmp.field_count = static_cast<uint32_t>(out.fields.size() - icmp.first_field);
    out.layers.resize(first_quoted);
    out.problems.resize(problems_before);
}

}  // namespace osilab::packet
