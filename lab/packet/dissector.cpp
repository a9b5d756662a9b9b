#include "lab/packet/dissector.h"

#include "lab/packet/dissect_context.h"

namespace osilab::packet {
namespace {
constexpr size_t kMaxSpareTexts = 64;
}  // namespace

Dissector::Dissector() : conversations_(std::make_unique<Conversations>()) {}
Dissector::Dissector(Conversations::Options conversation_options)
    : conversations_(std::make_unique<Conversations>(conversation_options)) {}
Dissector::~Dissector() = default;

void Dissector::dissect(const PacketView& packet, const DissectOptions& options, Dissection& out) {
    // Bounded: a packet with hundreds of DNS names must not keep that many strings forever.
    for (std::string& text : out.texts) {
        if (spare_texts_.size() >= kMaxSpareTexts) break;
        if (text.capacity() > 15 && text.capacity() <= 1024) spare_texts_.push_back(std::move(text));
    }
    out.clear();
    DissectContext ctx(packet, options, out, conversations_.get());
    ctx.spare_texts = &spare_texts_;
    dissectLinkLayer(ctx);
    ctx.closeLayer();
    if (ctx.summary_mac_dst != DissectContext::kNoMac)
        assignMac(out.summary.destination, packet.data + ctx.summary_mac_dst);
    if (ctx.summary_mac_src != DissectContext::kNoMac)
        assignMac(out.summary.source, packet.data + ctx.summary_mac_src);
}

Dissection dissectOne(const PacketView& packet, const DissectOptions& options) {
    Dissector dissector;
    Dissection out;
    dissector.dissect(packet, options, out);
    return out;
}

bool isSupportedLinkType(uint32_t link_type) {
    switch (link_type) {
    case linktype::kNull:
    case linktype::kEthernet:
    case linktype::kRaw:
    case linktype::kLoop:
    case linktype::kLinuxSll:
    case linktype::kIpv4:
    case linktype::kIpv6:
    case linktype::kLinuxSll2:
        return true;
    default:
        return false;
    }
}

const char* linkTypeName(uint32_t link_type) {
    switch (link_type) {
    case linktype::kNull: return "BSD loopback";
    case linktype::kEthernet: return "Ethernet";
    case linktype::kRaw: return "Raw IP";
    case linktype::kLoop: return "OpenBSD loopback";
    case linktype::kLinuxSll: return "Linux cooked v1";
    case linktype::kIpv4: return "Raw IPv4";
    case linktype::kIpv6: return "Raw IPv6";
    case linktype::kLinuxSll2: return "Linux cooked v2";
    default: return "unknown";
    }
}

void dissectLinkLayer(DissectContext& ctx) {
    const uint32_t end = ctx.bytes.size();
    switch (ctx.packet.link_type) {
    case linktype::kEthernet: dissectEthernet(ctx, 0, end); break;
    case linktype::kLinuxSll: dissectLinuxSll(ctx, 0, end); break;
    case linktype::kLinuxSll2: dissectLinuxSll2(ctx, 0, end); break;
    case linktype::kNull: dissectNull(ctx, 0, end, /*network_order=*/false); break;
    case linktype::kLoop: dissectNull(ctx, 0, end, /*network_order=*/true); break;
    case linktype::kRaw: dissectRawIp(ctx, 0, end); break;
    case linktype::kIpv4: dissectIpv4(ctx, 0, end); break;
    case linktype::kIpv6: dissectIpv6(ctx, 0, end); break;
    default:
        dissectData(ctx, 0, end);
        ctx.problem(ProblemKind::Malformed,
                    "link type " + std::to_string(ctx.packet.link_type) +
                        " is not one OSI Lab can read; the bytes are shown as they are");
        break;
    }
}

}  // namespace osilab::packet
