// Public entry point of the packet engine: link type + bytes → Dissection.
//
// A Dissector keeps the conversation state (TCP streams, UDP flows) across the packets of one
// capture, so relative sequence numbers and stream indexes come out as Wireshark shows them.
// Feed it the packets in capture order. It depends on nothing but the standard library.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lab/packet/conversations.h"
#include "lab/packet/layer.h"

namespace osilab::packet {

// LINKTYPE_* values from the pcap/pcapng link-type registry.
namespace linktype {
inline constexpr uint32_t kNull = 0;        // BSD loopback, host-order 4-byte family
inline constexpr uint32_t kEthernet = 1;
inline constexpr uint32_t kRaw = 101;       // raw IPv4 or IPv6, picked by the version nibble
inline constexpr uint32_t kLoop = 108;      // OpenBSD loopback, network-order 4-byte family
inline constexpr uint32_t kLinuxSll = 113;
inline constexpr uint32_t kIpv4 = 228;
inline constexpr uint32_t kIpv6 = 229;
inline constexpr uint32_t kLinuxSll2 = 276;
}  // namespace linktype

struct PacketView {
    uint32_t link_type = linktype::kEthernet;
    const uint8_t* data = nullptr;
    uint32_t cap_len = 0;   // bytes present in `data`
    uint32_t orig_len = 0;  // bytes on the wire (>= cap_len when the capture was cut by snaplen)
    int64_t time_ns = 0;    // since the Unix epoch
    uint64_t number = 0;    // 1-based frame number
};

struct DissectOptions {
    // false: only layers, summary and conversation tracking (the packet-list fast path);
    // true: every field of every layer, for the layer view, -V and --json.
    bool fields = true;
};

class Dissector {
public:
    Dissector();
    explicit Dissector(Conversations::Options conversation_options);
    ~Dissector();
    Dissector(const Dissector&) = delete;
    Dissector& operator=(const Dissector&) = delete;

    // Dissects one packet into `out` (cleared first). Never throws on bad input: problems are
    // recorded in `out.problems` and the undissected bytes are kept as a Data layer.
    void dissect(const PacketView& packet, const DissectOptions& options, Dissection& out);

    const Conversations& conversations() const { return *conversations_; }
    Conversations& conversations() { return *conversations_; }

private:
    std::unique_ptr<Conversations> conversations_;
    // The previous Dissection's owned texts, moved out before it is cleared: their heap
    // buffers are reused for the next packet's texts instead of freed and allocated again.
    std::vector<std::string> spare_texts_;
};

// Dissects without conversation state (relative seq/ack then equal the absolute values' offsets
// from this packet alone). For tests, fuzzing and one-off use.
Dissection dissectOne(const PacketView& packet, const DissectOptions& options = {});

// True if the dissector knows this link type.
bool isSupportedLinkType(uint32_t link_type);
const char* linkTypeName(uint32_t link_type);  // "Ethernet", "Linux cooked v2"… or "unknown"

}  // namespace osilab::packet
