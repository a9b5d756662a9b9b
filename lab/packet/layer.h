// The result of dissecting one frame: ordered layers, each with its fields.
//
// Everything here is a plain value that refers to the frame by byte offsets, never by pointer,
// so a Dissection can be kept, copied or compared without the frame's buffer. Field metadata
// (name, titles, explanations) lives in static FieldInfo tables, so adding a field to a layer
// costs one small struct and no allocation: the summary path dissects millions of packets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace osilab::packet {

// The seven OSI layers, numbered as the model numbers them.
enum class OsiLayer : uint8_t {
    Physical = 1,
    DataLink = 2,
    Network = 3,
    Transport = 4,
    Session = 5,
    Presentation = 6,
    Application = 7,
};

// How a field's value is stored and how its "value" is written in JSON.
enum class FieldKind : uint8_t {
    Unsigned,  // number; JSON number
    Boolean,   // number is 0 or 1; JSON true/false
    Ipv4,      // number holds the address in host order; JSON "a.b.c.d"
    Ipv6,      // the 16 bytes at [begin, end); JSON "::1"
    Mac,       // the 6 bytes at [begin, end); JSON "00:11:22:33:44:55"
    Bytes,     // the bytes at [begin, end); JSON "0a:1b:..." (colon hex, as tshark shows bytes)
    FrameText, // text that is the bytes at [begin, end) themselves; JSON string
    OwnedText, // text built by the dissector (e.g. a decompressed DNS name); number indexes
               // Dissection::texts; JSON string
    Label,     // no value: a heading for the fields nested below it
};

// How an Unsigned value is shown to a person (and how tshark shows it).
enum class NumberBase : uint8_t {
    Decimal, Hex2, Hex4, Hex8,
    Hex3,  // 12-bit values such as tcp.flags
    Hex6,  // 20/24-bit values such as ipv6.flow ("0x0a0f00")
};

// Static description of one field, shared by every occurrence. `name` is the Wireshark display-filter
// name wherever Wireshark has one, so what students learn here carries over; it is also the key for
// the viewer's tooltip texts.
struct FieldInfo {
    const char* name;        // "tcp.srcport"
    const char* title_en;    // "Source Port"
    const char* title_zh;    // "源端口"
    const char* explain_en;  // one line for the tooltip: why the field exists
    const char* explain_zh;
    NumberBase base = NumberBase::Decimal;
};

struct Field {
    const FieldInfo* info = nullptr;
    uint32_t begin = 0;  // byte span in the frame; begin == end for generated fields (no bytes)
    uint32_t end = 0;
    FieldKind kind = FieldKind::Unsigned;
    uint8_t depth = 0;  // 0 = directly in the layer; 1 = nested under the previous depth-0 field…
    // For Unsigned/Boolean/Ipv4: the value. For OwnedText: index into Dissection::texts.
    // For Unsigned fields with a meaning (ip.proto 6 = TCP), `meaning` names it for display.
    uint64_t number = 0;
    const char* meaning = nullptr;  // "TCP", "SYN, ACK", "Echo (ping) request"… or nullptr
};

enum class ProblemKind : uint8_t {
    Truncated,  // the capture stops before the header ends (snaplen, damaged file)
    Malformed,  // the bytes are there but contradict the protocol (bad length, bad version…)
    Unusual,    // legal but worth a remark (RST carrying data, reserved bits set)
};

struct Problem {
    uint32_t layer = 0;  // index into Dissection::layers
    ProblemKind kind = ProblemKind::Malformed;
    std::string message;  // for a student: what is wrong, in plain English
};

// Stable protocol identifiers. `abbrev` is Wireshark's protocol name ("tcp"), `display` the
// Protocol column text ("TCP").
enum class Protocol : uint8_t {
    Ethernet,
    Vlan,
    LinuxSll,
    LinuxSll2,
    Null,  // BSD loopback (DLT_NULL / DLT_LOOP)
    Arp,
    Ipv4,
    Ipv6,
    Icmp,
    Icmpv6,
    Tcp,
    Udp,
    Dns,
    Http,
    Data,  // payload nobody claimed: shown as text or bytes
    Count
};

const char* protocolAbbrev(Protocol p);   // "eth", "ip", "ipv6", "tcp", "data"…
const char* protocolDisplay(Protocol p);  // "Ethernet", "IPv4", "TCP", "HTTP"…
const char* protocolTitleEn(Protocol p);  // "Transmission Control Protocol"
const char* protocolTitleZh(Protocol p);  // "传输控制协议"

struct Layer {
    OsiLayer osi = OsiLayer::Application;
    Protocol protocol = Protocol::Data;
    uint32_t begin = 0;  // byte span of this layer's header (or of the payload, for Data/HTTP/DNS)
    uint32_t end = 0;
    uint32_t first_field = 0;  // index into Dissection::fields
    uint32_t field_count = 0;
    bool has_problem = false;  // details in Dissection::problems (problem.layer == this index)
};

// The one-line summary, as the packet list and `osilab show` print it.
struct Summary {
    std::string source;       // "127.0.0.1", "::1", or a MAC for ARP
    std::string destination;
    Protocol protocol = Protocol::Data;  // topmost protocol (the Protocol column)
    std::string info;         // "55920 → 80 [SYN] Seq=0 Win=32767 Len=0 MSS=16396 …"
};

// Conversation a packet belongs to, when it has one (filled by the tracker).
enum class ConversationKind : uint8_t { None, TcpStream, UdpFlow };

struct Dissection {
    std::vector<Layer> layers;      // outermost first (link layer first)
    std::vector<Field> fields;      // all layers' fields, in order; each layer owns a range
    std::vector<std::string> texts; // storage for OwnedText fields
    std::vector<Problem> problems;
    Summary summary;
    ConversationKind conversation = ConversationKind::None;
    uint32_t conversation_index = 0;  // tcp.stream / udp.stream

    void clear() {
        layers.clear();
        fields.clear();
        texts.clear();
        problems.clear();
        summary.source.clear();
        summary.destination.clear();
        summary.info.clear();
        summary.protocol = Protocol::Data;
        conversation = ConversationKind::None;
        conversation_index = 0;
    }
};

}  // namespace osilab::packet
