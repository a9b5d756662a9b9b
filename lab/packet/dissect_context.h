// What every protocol dissector works with: the frame, the Dissection being built, and the
// facts lower layers pass up (addresses, ports). Internal to lab/packet.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lab/packet/byte_reader.h"
#include "lab/packet/conversations.h"
#include "lab/packet/dissector.h"
#include "lab/packet/layer.h"

namespace osilab::packet {

// Depth guard: tunnels and ICMP quotes nest dissectors; a crafted packet must not recurse forever.
inline constexpr int kMaxNesting = 8;

// Appends fields to a Dissection. A dissector that adds many fields takes one into a local
// variable (DissectContext::fieldSink) and adds through it: the vector and the depth base then
// stay in registers, where adding through the context reloaded `out`, `fields_on` and the
// depth base for every field (any call on the vector's cold growth path may change the
// context). About ten instructions a field instead of twenty; ~55 fields a packet.
class FieldSink {
public:
    FieldSink(std::vector<Field>* fields, uint8_t depth_base)
        : fields_(fields), depth_base_(depth_base) {}

    bool wanted() const { return fields_ != nullptr; }

    [[gnu::always_inline]] void add(const FieldInfo& info, FieldKind kind, uint32_t begin,
                                    uint32_t end, uint64_t number, uint8_t depth = 0,
                                    const char* meaning = nullptr) {
        // Constructed in place from the arguments (C++20 parenthesised aggregate init): a
        // Field built on the stack and copied was reloaded in 16-byte pieces right after
        // 8-byte stores (a store-forwarding stall), and emplace_back() with no arguments
        // zeroed it before the members were written.
        if (!fields_) return;
#if defined(__cpp_aggregate_paren_init)
        fields_->emplace_back(&info, begin, end, kind, static_cast<uint8_t>(depth + depth_base_),
                              number, meaning);
#else  // Clang before 16 (the fuzzing build): a copy, correct but slower
        fields_->push_back(Field{&info, begin, end, kind, static_cast<uint8_t>(depth + depth_base_),
                                 number, meaning});
#endif
    }
    [[gnu::always_inline]] void addUint(const FieldInfo& info, uint32_t begin, uint32_t end,
                                        uint64_t value, uint8_t depth = 0,
                                        const char* meaning = nullptr) {
        add(info, FieldKind::Unsigned, begin, end, value, depth, meaning);
    }
    [[gnu::always_inline]] void addBool(const FieldInfo& info, uint32_t begin, uint32_t end,
                                        bool value, uint8_t depth = 0) {
        add(info, FieldKind::Boolean, begin, end, value ? 1 : 0, depth);
    }
    // `address` is the 4 bytes at `begin`, already read by the caller.
    [[gnu::always_inline]] void addIpv4(const FieldInfo& info, uint32_t begin, uint32_t address,
                                        uint8_t depth = 0) {
        add(info, FieldKind::Ipv4, begin, begin + 4, address, depth);
    }
    [[gnu::always_inline]] void addIpv6(const FieldInfo& info, uint32_t begin, uint8_t depth = 0) {
        add(info, FieldKind::Ipv6, begin, begin + 16, 0, depth);
    }
    [[gnu::always_inline]] void addMac(const FieldInfo& info, uint32_t begin, uint8_t depth = 0) {
        add(info, FieldKind::Mac, begin, begin + 6, 0, depth);
    }
    [[gnu::always_inline]] void addBytes(const FieldInfo& info, uint32_t begin, uint32_t end,
                                         uint8_t depth = 0) {
        add(info, FieldKind::Bytes, begin, end, 0, depth);
    }
    [[gnu::always_inline]] void addFrameText(const FieldInfo& info, uint32_t begin, uint32_t end,
                                             uint8_t depth = 0) {
        add(info, FieldKind::FrameText, begin, end, 0, depth);
    }
    [[gnu::always_inline]] void addLabel(const FieldInfo& info, uint32_t begin, uint32_t end,
                                         uint8_t depth = 0) {
        add(info, FieldKind::Label, begin, end, 0, depth);
    }

private:
    std::vector<Field>* fields_;  // nullptr on the summary path: every add is a no-op
    uint8_t depth_base_;
};

struct DissectContext {
    DissectContext(const PacketView& packet, const DissectOptions& options, Dissection& out,
                   Conversations* conversations)
        : bytes(packet.data, packet.cap_len), packet(packet), options(options), out(out),
          conversations(conversations), fields_on(options.fields) {}

    ByteReader bytes;
    const PacketView& packet;
    const DissectOptions& options;
    Dissection& out;
    Conversations* conversations;  // nullptr inside ICMP quotes: quoted headers are not traffic
    const bool fields_on;          // options.fields, read once per field

    // Set by the network layer for the transport layer above it (outermost header only).
    Endpoint net_src, net_dst;
    int nesting = 0;  // > 0 while dissecting a header quoted inside an ICMP error
    // Set by IPv4/IPv6 when this packet is one fragment of a larger datagram: the transport
    // header may be there, but its checksum covers bytes in other fragments.
    bool fragment = false;
    uint8_t field_depth_base = 0;  // added to every field's depth (quoted headers nest one deeper)
    // Where Ethernet's destination and source MACs are, while they are the packet's summary
    // addresses: a network layer names the packet instead almost always, so the MAC text is
    // made only at the end of the dissection (Dissector::dissect), if still wanted.
    static constexpr uint32_t kNoMac = UINT32_MAX;
    uint32_t summary_mac_dst = kNoMac, summary_mac_src = kNoMac;
    // Strings of earlier packets' Dissection::texts, kept for their capacity (Dissector owns
    // them); nullptr: every owned text is a new string.
    std::vector<std::string>* spare_texts = nullptr;

    // ---- building layers -------------------------------------------------------------------
    // Starts a layer; fields added until the next beginLayer belong to it. Returns its index.
    uint32_t beginLayer(OsiLayer osi, Protocol protocol, uint32_t begin, uint32_t end) {
        closeLayer();
        // Constructed in place (see FieldSink::add for why not a copy).
        const auto first_field = static_cast<uint32_t>(out.fields.size());
#if defined(__cpp_aggregate_paren_init)
        out.layers.emplace_back(osi, protocol, begin, end, first_field, 0u, false);
#else
        out.layers.push_back(Layer{osi, protocol, begin, end, first_field, 0u, false});
#endif
        return static_cast<uint32_t>(out.layers.size() - 1);
    }
    // A layer's fields are the ones added while it was the last layer: counted once here, when
    // the next layer starts or the dissection ends, instead of once per field (a load, a
    // compare and a store for each of ~55 fields a packet).
    // Without fields every count stays 0.
    void closeLayer() {
        if (fields_on && !out.layers.empty()) {
            Layer& last = out.layers.back();
            last.field_count = static_cast<uint32_t>(out.fields.size()) - last.first_field;
        }
    }
    // Fix the end of the current layer once its real header length is known.
    void setLayerEnd(uint32_t end) {
        if (!out.layers.empty()) out.layers.back().end = end;
    }
    void problem(ProblemKind kind, std::string message) {
        if (out.layers.empty()) return;
        out.layers.back().has_problem = true;
        out.problems.push_back({static_cast<uint32_t>(out.layers.size() - 1), kind, std::move(message)});
    }

    // ---- adding fields (no-ops on the summary fast path) -----------------------------------
    bool wantFields() const { return fields_on; }

    // For functions adding many fields; see FieldSink. Take it after changing
    // field_depth_base, never before.
    FieldSink fieldSink() const {
        return FieldSink(fields_on ? &out.fields : nullptr, field_depth_base);
    }

    // One field (FieldSink::add). The layer's field_count is set by closeLayer.
    [[gnu::always_inline]] void add(const FieldInfo& info, FieldKind kind, uint32_t begin,
                                    uint32_t end, uint64_t number, uint8_t depth = 0,
                                    const char* meaning = nullptr) {
        fieldSink().add(info, kind, begin, end, number, depth, meaning);
    }
    [[gnu::always_inline]] void addUint(const FieldInfo& info, uint32_t begin, uint32_t end,
                                        uint64_t value, uint8_t depth = 0,
                                        const char* meaning = nullptr) {
        add(info, FieldKind::Unsigned, begin, end, value, depth, meaning);
    }
    [[gnu::always_inline]] void addBool(const FieldInfo& info, uint32_t begin, uint32_t end,
                                        bool value, uint8_t depth = 0) {
        add(info, FieldKind::Boolean, begin, end, value ? 1 : 0, depth);
    }
    [[gnu::always_inline]] void addIpv4(const FieldInfo& info, uint32_t begin, uint8_t depth = 0) {
        add(info, FieldKind::Ipv4, begin, begin + 4, bytes.u32(begin), depth);
    }
    [[gnu::always_inline]] void addIpv6(const FieldInfo& info, uint32_t begin, uint8_t depth = 0) {
        add(info, FieldKind::Ipv6, begin, begin + 16, 0, depth);
    }
    [[gnu::always_inline]] void addMac(const FieldInfo& info, uint32_t begin, uint8_t depth = 0) {
        add(info, FieldKind::Mac, begin, begin + 6, 0, depth);
    }
    [[gnu::always_inline]] void addBytes(const FieldInfo& info, uint32_t begin, uint32_t end,
                                         uint8_t depth = 0) {
        add(info, FieldKind::Bytes, begin, end, 0, depth);
    }
    [[gnu::always_inline]] void addFrameText(const FieldInfo& info, uint32_t begin, uint32_t end,
                                             uint8_t depth = 0) {
        add(info, FieldKind::FrameText, begin, end, 0, depth);
    }
    void addOwnedText(const FieldInfo& info, uint32_t begin, uint32_t end, std::string text,
                      uint8_t depth = 0) {
        if (!fields_on) return;
        out.texts.push_back(std::move(text));
        add(info, FieldKind::OwnedText, begin, end, out.texts.size() - 1, depth);
    }
    // The same for text that is a copy of `text`: the copy goes into a string kept from an
    // earlier packet (spare_texts) when there is one, so a value longer than the 15 characters
    // std::string holds in place (HTTP headers, DNS names) costs no allocation.
    void addOwnedText(const FieldInfo& info, uint32_t begin, uint32_t end, std::string_view text,
                      uint8_t depth = 0) {
        if (!fields_on) return;
        if (text.size() > 15 && spare_texts && !spare_texts->empty()) {
            out.texts.push_back(std::move(spare_texts->back()));
            spare_texts->pop_back();
            out.texts.back().assign(text);
        } else {
            out.texts.emplace_back(text);
        }
        add(info, FieldKind::OwnedText, begin, end, out.texts.size() - 1, depth);
    }
    [[gnu::always_inline]] void addLabel(const FieldInfo& info, uint32_t begin, uint32_t end,
                                         uint8_t depth = 0) {
        add(info, FieldKind::Label, begin, end, 0, depth);
    }

    // ---- summary -----------------------------------------------------------------------------
    // Only the outermost headers name the packet; quoted headers inside ICMP errors do not.
    bool ownsSummary() const { return nesting == 0; }
};

// ---- dispatch between protocols (each implemented in its own file) ---------------------------
// `end` is where this protocol's bytes end: the captured length, or less when a lower header's
// length field says so. Every function must stay within [offset, end) and within the frame.
void dissectLinkLayer(DissectContext& ctx);
void dissectEthernet(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectVlan(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectLinuxSll(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectLinuxSll2(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectNull(DissectContext& ctx, uint32_t offset, uint32_t end, bool network_order);
void dissectRawIp(DissectContext& ctx, uint32_t offset, uint32_t end);

// Picks the next dissector from an ethertype (IPv4, IPv6, ARP, VLAN…); unknown → data.
void dissectEthertype(DissectContext& ctx, uint16_t ethertype, uint32_t offset, uint32_t end);
void dissectArp(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectIpv4(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectIpv6(DissectContext& ctx, uint32_t offset, uint32_t end);

// Picks the transport dissector from an IP protocol number; unknown → data.
void dissectIpProtocol(DissectContext& ctx, uint8_t protocol, uint32_t offset, uint32_t end);
void dissectIcmp(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectIcmpv6(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectTcp(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectUdp(DissectContext& ctx, uint32_t offset, uint32_t end);

// Application payload: DNS by port, HTTP when the bytes look like HTTP, else text or bytes.
void dissectTcpPayload(DissectContext& ctx, uint16_t src_port, uint16_t dst_port, uint32_t offset,
                       uint32_t end);
void dissectUdpPayload(DissectContext& ctx, uint16_t src_port, uint16_t dst_port, uint32_t offset,
                       uint32_t end);
void dissectDns(DissectContext& ctx, uint32_t offset, uint32_t end, bool over_tcp);
bool looksLikeHttp(const ByteReader& bytes, uint32_t offset, uint32_t end);
void dissectHttp(DissectContext& ctx, uint32_t offset, uint32_t end);
void dissectData(DissectContext& ctx, uint32_t offset, uint32_t end);

// "00:1a:2b:3c:4d:5e" into `out` (replacing it), as the summary shows a MAC address.
void assignMac(std::string& out, const uint8_t* mac);

}  // namespace osilab::packet
