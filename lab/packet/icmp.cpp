// ICMP (OSI layer 3): the control messages of IPv4. ping is ICMP echo; errors such as "port
// unreachable" or "time exceeded" quote the start of the packet that caused them.
#include <string>

#include "lab/packet/dissect_context.h"
#include "lab/packet/icmp_quote.h"
#include "lab/packet/internet_checksum.h"
#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

const FieldInfo kType{"icmp.type", "Type", "类型",
                      "Kind of message: 8 echo request (ping), 0 echo reply, 3 destination "
                      "unreachable, 11 time exceeded",
                      "报文种类:8 回显请求(ping),0 回显应答,3 目的不可达,11 超时"};
const FieldInfo kCode{"icmp.code", "Code", "代码",
                      "Detail within the type, e.g. for unreachable: 1 host, 3 port, 4 "
                      "fragmentation needed",
                      "类型下的细分,例如不可达时:1 主机不可达,3 端口不可达,4 需要分片"};
const FieldInfo kChecksum{"icmp.checksum",
                          "Checksum",
                          "校验和",
                          "Checksum over the whole ICMP message, to detect damaged bytes",
                          "覆盖整个 ICMP 报文的校验和,用来发现损坏的字节",
                          NumberBase::Hex4};
const FieldInfo kChecksumStatus{"icmp.checksum.status", "Checksum Status", "校验和状态",
                                "Computed by OSI Lab: 1 the checksum is right, 0 it is wrong, 2 "
                                "it could not be checked (message incomplete)",
                                "由 OSI Lab 计算:1 校验和正确,0 错误,2 无法校验(报文不完整)"};
const FieldInfo kIdent{"icmp.ident", "Identifier (BE)", "标识符(大端)",
                       "Chosen by the pinging program to match replies to itself (read big-endian)",
                       "由 ping 程序选定,用来认出发给自己的应答(按大端读取)"};
const FieldInfo kIdentLe{"icmp.ident_le", "Identifier (LE)", "标识符(小端)",
                         "The same two bytes read little-endian, as some systems write them",
                         "同样两个字节按小端读取,有些系统这样写"};
const FieldInfo kSeq{"icmp.seq", "Sequence Number (BE)", "序号(大端)",
                     "Counts the pings: 1, 2, 3… so each reply can be matched to its request",
                     "ping 的计数:1、2、3……让每个应答都能对上它的请求"};
const FieldInfo kSeqLe{"icmp.seq_le", "Sequence Number (LE)", "序号(小端)",
                       "The same two bytes read little-endian (what ping -c shows as 256 for 1 "
                       "on some systems)",
                       "同样两个字节按小端读取"};
const FieldInfo kUnused{"icmp.unused", "Unused", "未使用",
                        "Bytes this message type does not use, sent as zero",
                        "这种报文不使用的字节,发送时为 0"};
const FieldInfo kMtu{"icmp.mtu", "MTU of next hop", "下一跳 MTU",
                     "Largest packet the next link can carry; the sender should send smaller "
                     "packets (path MTU discovery)",
                     "下一段链路能承载的最大包长;发送方应改发更小的包(路径 MTU 发现)"};
const FieldInfo kPointer{"icmp.pointer", "Pointer", "指针",
                         "Byte offset in the quoted header where the problem was found",
                         "在引用的首部中发现问题的字节偏移"};
const FieldInfo kRedirGw{"icmp.redir_gw", "Gateway Address", "网关地址",
                         "The better router to use for this destination from now on",
                         "以后发往这个目的地时应改用的更好的路由器"};
const FieldInfo kOrigTs{"icmp.originate_timestamp", "Originate Timestamp", "发起时间戳",
                        "Milliseconds since midnight UTC when the request was sent",
                        "请求发出时距 UTC 午夜的毫秒数"};
const FieldInfo kRecvTs{"icmp.receive_timestamp", "Receive Timestamp", "接收时间戳",
                        "Milliseconds since midnight UTC when the request arrived",
                        "请求到达时距 UTC 午夜的毫秒数"};
const FieldInfo kXmitTs{"icmp.transmit_timestamp", "Transmit Timestamp", "发送时间戳",
                        "Milliseconds since midnight UTC when the reply was sent",
                        "应答发出时距 UTC 午夜的毫秒数"};
const FieldInfo kLength{"icmp.length", "Length", "长度",
                        "RFC 4884: length of the quoted datagram in 4-byte words, so extensions "
                        "can follow it",
                        "RFC 4884:引用的原始数据报长度(以 4 字节为单位),其后可以跟扩展"};
const FieldInfo kLengthOrig{"icmp.length.original_datagram", "Length of original datagram",
                            "原始数据报长度", "The same length in bytes (length × 4)",
                            "同一长度换算成字节(长度 × 4)"};
const FieldInfo kDataTime{
    "icmp.data_time", "Timestamp from icmp data", "ICMP 数据中的时间戳",
    "When ping sent the request: ping writes the time into the data and "
    "the reply echoes it back, which is how ping measures the round trip",
    "ping 发出请求的时间:ping 把时间写进数据,应答原样带回,ping 就是这样测量往返时间的"};
const FieldInfo kDataTimeRel{"icmp.data_time_relative", "Timestamp from icmp data (relative)",
                             "ICMP 数据中的时间戳(相对)",
                             "Capture time minus that timestamp: for a reply, roughly the round-"
                             "trip time",
                             "抓包时间减去该时间戳:对应答来说大致就是往返时间"};
const FieldInfo kMask{"icmp.address_mask", "Address Mask", "地址掩码",
                      "The subnet mask of the network (an obsolete way to learn it)",
                      "网络的子网掩码(一种已过时的获取方法)"};

const char* typeName(uint8_t t) {
    switch (t) {
        case 0: return "Echo (ping) reply";
        case 1:
        case 2: return "Reserved";
        case 3: return "Destination unreachable";
        case 4: return "Source quench (flow control)";
        case 5: return "Redirect";
        case 6: return "Alternate host address";
        case 8: return "Echo (ping) request";
        case 9: return "Router advertisement";
        case 10: return "Router solicitation";
        case 11: return "Time-to-live exceeded";
        case 12: return "Parameter problem";
        case 13: return "Timestamp request";
        case 14: return "Timestamp reply";
        case 15: return "Information request";
        case 16: return "Information reply";
        case 17: return "Address mask request";
        case 18: return "Address mask reply";
        case 19: return "Reserved (for security)";
        case 30: return "Traceroute";
        case 31: return "Datagram Conversion Error";
        case 32: return "Mobile Host Redirect";
        case 33: return "IPv6 Where-Are-You";
        case 34: return "IPv6 I-Am-Here";
        case 35: return "Mobile Registration Request";
        case 36: return "Mobile Registration Reply";
        case 37: return "Domain Name Request";
        case 38: return "Domain Name Reply";
        case 39: return "SKIP";
        case 40: return "Photuris";
        case 41: return "Experimental mobility protocols";
        case 42: return "Extended Echo request";
        case 43: return "Extended Echo reply";
        default: return nullptr;
    }
}

// The code's name, for the types whose codes have names; nullptr otherwise.
const char* codeName(uint8_t type, uint8_t code) {
    static const char* const kUnreach[16] = {"Network unreachable",
                                             "Host unreachable",
                                             "Protocol unreachable",
                                             "Port unreachable",
                                             "Fragmentation needed",
                                             "Source route failed",
                                             "Destination network unknown",
                                             "Destination host unknown",
                                             "Source host isolated",
                                             "Network administratively prohibited",
                                             "Host administratively prohibited",
                                             "Network unreachable for TOS",
                                             "Host unreachable for TOS",
                                             "Communication administratively filtered",
                                             "Host precedence violation",
                                             "Precedence cutoff in effect"};
    static const char* const kRedirect[4] = {"Redirect for network", "Redirect for host",
                                             "Redirect for TOS and network",
                                             "Redirect for TOS and host"};
    static const char* const kTtl[2] = {"Time to live exceeded in transit",
                                        "Fragment reassembly time exceeded"};
    static const char* const kParam[3] = {"Pointer indicates the error", "Required option missing",
                                          "Bad length"};
    switch (type) {
        case 3: return code < 16 ? kUnreach[code] : nullptr;
        case 5: return code < 4 ? kRedirect[code] : nullptr;
        case 11: return code < 2 ? kTtl[code] : nullptr;
        case 12: return code < 3 ? kParam[code] : nullptr;
        default: return nullptr;
    }
}

void addRfc4884Length(DissectContext& ctx, uint32_t offset, uint8_t words) {
    ctx.addUint(kLength, offset + 5, offset + 6, words);
    ctx.addUint(kLengthOrig, offset + 5, offset + 6, words * 4u);
}

bool hasCodeTable(uint8_t type) {
    return type == 3 || type == 5 || type == 11 || type == 12;
}
bool isError(uint8_t type) {
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}
bool hasIdentSeq(uint8_t type) {
    return type == 0 || type == 8 || (type >= 13 && type <= 18);
}

// ping (since Mike Muuss's original) puts a struct timeval in the first 8 bytes of its data,
// in the sender's byte order. As Wireshark 4.0: accept the reading (little- then big-endian,
// the closer wins) whose microseconds are valid and which lies within a day of the capture time.
bool pingTimestamp(const ByteReader& b, uint32_t at, int64_t frame_ns, int64_t& ts_ns) {
    int64_t best = int64_t(86400) * 1000000000;
    bool found = false;
    const uint32_t readings[2][2] = {{b.u32le(at), b.u32le(at + 4)}, {b.u32(at), b.u32(at + 4)}};
    for (const auto& r : readings) {
        if (r[1] >= 1000000) continue;
        const int64_t t = int64_t(r[0]) * 1000000000 + int64_t(r[1]) * 1000;
        const int64_t delta = t > frame_ns ? t - frame_ns : frame_ns - t;
        if (delta < best) {
            best = delta;
            ts_ns = t;
            found = true;
        }
    }
    return found;
}

// "Nov 14, 2023 22:13:20.000005000 UTC", as tshark shows absolute times (in UTC here).
std::string formatAbsolute(int64_t ns) {
    static const char* const kMonths[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int64_t secs = ns / 1000000000;
    const int64_t frac = ns % 1000000000;
    // Civil date from days since the epoch (Howard Hinnant's algorithm), no locale or TZ.
    int64_t days = secs / 86400, rem = secs % 86400;
    days += 719468;
    const int64_t era = days / 146097;
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    const int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const int64_t year = yoe + era * 400 + (month <= 2);
    std::string out = kMonths[month - 1];
    out.push_back(' ');
    if (day < 10) out.push_back(' ');
    appendUint(out, static_cast<uint64_t>(day));
    out.append(", ");
    appendUint(out, static_cast<uint64_t>(year));
    out.push_back(' ');
    auto two = [&](int64_t v) {
        if (v < 10) out.push_back('0');
        appendUint(out, static_cast<uint64_t>(v));
    };
    two(rem / 3600);
    out.push_back(':');
    two(rem / 60 % 60);
    out.push_back(':');
    two(rem % 60);
    out.push_back('.');
    std::string digits;
    appendUint(digits, static_cast<uint64_t>(frac));
    out.append(9 - digits.size(), '0');
    out.append(digits);
    out.append(" UTC");
    return out;
}

// "0.122148000" or "-0.500000000": seconds with nanoseconds, as tshark shows relative times.
std::string formatRelative(int64_t ns) {
    std::string out;
    if (ns < 0) {
        out.push_back('-');
        ns = -ns;
    }
    appendUint(out, static_cast<uint64_t>(ns / 1000000000));
    out.push_back('.');
    std::string digits;
    appendUint(digits, static_cast<uint64_t>(ns % 1000000000));
    out.append(9 - digits.size(), '0');
    out.append(digits);
    return out;
}

// tshark's Info column: the type name padded to 20 characters, the code's name in
// parentheses, and for echo-like messages the identifier, sequence number and TTL.
void setInfo(DissectContext& ctx, uint8_t type, uint8_t code, uint32_t offset, bool have_ids) {
    Summary& s = ctx.out.summary;
    s.protocol = Protocol::Icmp;
    std::string& info = s.info;
    info.clear();
    const char* name = typeName(type);
    info.append(name ? name : "Unknown ICMP (obsolete or malformed?)");
    while (info.size() < 20) info.push_back(' ');
    if (hasCodeTable(type)) {
        info.append(" (");
        if (const char* c = codeName(type, code)) {
            info.append(c);
        } else {
            info.append("Unknown code: ");
            appendUint(info, code);
        }
        info.push_back(')');
    }
    if (have_ids && hasIdentSeq(type)) {
        const uint16_t id = ctx.bytes.u16(offset + 4), seq = ctx.bytes.u16(offset + 6);
        info.append(" id=0x");
        appendHex(info, id, 4);
        info.append(", seq=");
        appendUint(info, seq);
        info.push_back('/');
        appendUint(info, static_cast<uint16_t>(seq << 8 | seq >> 8));
        const int ttl = carryingHopLimit(ctx);
        if (ttl >= 0) {
            info.append(", ttl=");
            appendUint(info, static_cast<unsigned>(ttl));
        }
    }
}

}  // namespace

void dissectIcmp(DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    if (end > b.size()) end = b.size();
    ctx.beginLayer(OsiLayer::Network, Protocol::Icmp, offset, end);
    if (ctx.ownsSummary()) ctx.out.summary.protocol = Protocol::Icmp;
    auto have = [&](uint32_t at, uint32_t n) { return at + n <= end && b.has(at, n); };
    // Wireshark reads byte 5 (the RFC 4884 length) before adding any field, so a message
    // shorter than 6 bytes gets no fields there; OSI Lab does the same and says why.
    if (!have(offset, 6)) {
        ctx.problem(ProblemKind::Truncated,
                    "Only " + std::to_string(end > offset ? end - offset : 0) +
                        " bytes of ICMP message: too short for the 8-byte ICMP header");
        if (ctx.ownsSummary()) ctx.out.summary.info = "ICMP (truncated)";
        return;
    }
    const uint8_t type = b.u8(offset), code = b.u8(offset + 1);
    ctx.addUint(kType, offset, offset + 1, type, 0, typeName(type));
    ctx.addUint(kCode, offset + 1, offset + 2, code, 0, codeName(type, code));
    ctx.addUint(kChecksum, offset + 2, offset + 4, b.u16(offset + 2));
    if (ctx.ownsSummary()) {
        // Only a whole message that is not one fragment of a bigger datagram can be checked.
        uint64_t status = 2;
        if (!ctx.fragment && carriedWhole(ctx, end))
            status =
                checksumFold(checksumAdd(0, b.data() + offset, end - offset)) == 0xffff ? 1 : 0;
        ctx.addUint(kChecksumStatus, offset + 2, offset + 2, status);
        if (status == 0)
            ctx.problem(ProblemKind::Malformed,
                        "The ICMP checksum is wrong: the message was damaged on the way");
    }
    const bool have_rest = have(offset + 4, 4);
    // RFC 4884: errors may say how long the quoted datagram is (in 4-byte words), so that
    // extension objects can follow it.
    const uint8_t rfc4884_words =
        have_rest && (type == 3 || type == 11 || type == 12) ? b.u8(offset + 5) : 0;
    if (have_rest) {
        switch (type) {
            case 0:
            case 8:
            case 13:
            case 14:
            case 15:
            case 16:
            case 17:
            case 18:
                ctx.addUint(kIdent, offset + 4, offset + 6, b.u16(offset + 4));
                ctx.addUint(kIdentLe, offset + 4, offset + 6, b.u16le(offset + 4));
                ctx.addUint(kSeq, offset + 6, offset + 8, b.u16(offset + 6));
                ctx.addUint(kSeqLe, offset + 6, offset + 8, b.u16le(offset + 6));
                break;
            case 3:
            case 11:
                if (rfc4884_words) {
                    ctx.addBytes(kUnused, offset + 4, offset + 5);
                    addRfc4884Length(ctx, offset, rfc4884_words);
                }
                if (type == 3 && code == 4) {
                    if (!rfc4884_words) ctx.addBytes(kUnused, offset + 4, offset + 6);
                    ctx.addUint(kMtu, offset + 6, offset + 8, b.u16(offset + 6));
                } else {
                    ctx.addBytes(kUnused, offset + (rfc4884_words ? 6 : 4), offset + 8);
                }
                break;
            case 12:
                ctx.addUint(kPointer, offset + 4, offset + 5, b.u8(offset + 4));
                if (rfc4884_words) addRfc4884Length(ctx, offset, rfc4884_words);
                ctx.addBytes(kUnused, offset + (rfc4884_words ? 6 : 5), offset + 8);
                break;
            case 5: ctx.addIpv4(kRedirGw, offset + 4); break;
            default: break;
        }
    }
    uint32_t body = offset + 8;
    if (have_rest && (type == 13 || type == 14) && have(offset + 8, 12)) {
        ctx.addUint(kOrigTs, offset + 8, offset + 12, b.u32(offset + 8));
        ctx.addUint(kRecvTs, offset + 12, offset + 16, b.u32(offset + 12));
        ctx.addUint(kXmitTs, offset + 16, offset + 20, b.u32(offset + 16));
        body = offset + 20;
    } else if (have_rest && (type == 17 || type == 18) && have(offset + 8, 4)) {
        ctx.addIpv4(kMask, offset + 8);
        body = offset + 12;
    }
    // Errors quote the offending datagram; quotes inside quotes are not followed.
    if (have_rest && isError(type) && ctx.nesting == 0) {
        uint32_t quote_end = end;
        const uint32_t quoted_ihl = have(offset + 8, 1) ? (b.u8(offset + 8) & 0x0f) * 4u : 0;
        const uint32_t quoted_total = have(offset + 10, 2) ? b.u16(offset + 10) : 0;
        if (type == 5) {
            // A redirect quotes the IP header and 64 bits of data, nothing more.
            quote_end = offset + 8 + quoted_ihl + 8;
        } else if (rfc4884_words && end - offset > 8u + rfc4884_words * 4u &&
                   quoted_total > rfc4884_words * 4u) {
            quote_end = offset + 8 + quoted_ihl + rfc4884_words * 4u;  // as Wireshark computes it
        }
        if (quote_end > end) quote_end = end;
        dissectQuotedDatagram(ctx, offset + 8, quote_end, /*ipv6=*/false);
    }
    if (have_rest && (type == 0 || type == 8) && have(body, 8)) {
        int64_t ts = 0;
        if (pingTimestamp(b, body, ctx.packet.time_ns, ts)) {
            if (ctx.wantFields()) {
                ctx.addOwnedText(kDataTime, body, body + 8, formatAbsolute(ts));
                ctx.addOwnedText(kDataTimeRel, body, body + 8,
                                 formatRelative(ctx.packet.time_ns - ts));
            }
            body += 8;
        }
    }
    if (ctx.ownsSummary()) setInfo(ctx, type, code, offset, have_rest);
    if (!have_rest) {
        ctx.problem(ProblemKind::Truncated, "The packet ends inside the 8-byte ICMP header");
        return;
    }
    if (type == 0 || type == 8) {
        // Echo carries data the sender chose (ping: a timestamp, then a byte pattern), and the
        // reply returns it unchanged.
        ctx.setLayerEnd(body < end ? body : end);
        if (body < end) dissectData(ctx, body, end);
    }
}

}  // namespace osilab::packet
