#include "lab/packet/tcp_options.h"

#include <array>

#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

// ---- field descriptions ----------------------------------------------------------------------
const FieldInfo kOptions{"tcp.options", "Options", "选项",
                         "Optional extras after the fixed 20 bytes; the header length says how "
                         "many (at most 40 bytes)",
                         "固定 20 字节之后的可选扩展;首部长度字段说明有多少(最多 40 字节)"};
const FieldInfo kKind{"tcp.option_kind", "Kind", "类型",
                      "Which option this is (1 byte); every option starts with it",
                      "这是哪种选项(1 字节);每个选项都以它开头"};
const FieldInfo kLen{"tcp.option_len", "Length", "长度",
                     "Length of the whole option in bytes, kind and length bytes included",
                     "整个选项的字节数,包括类型和长度这两个字节"};
const FieldInfo kNop{"tcp.options.nop", "No-Operation (NOP)", "空操作 (NOP)",
                     "A 1-byte filler that lines the next option up on a 4-byte boundary",
                     "1 字节的填充,让下一个选项对齐到 4 字节边界"};
const FieldInfo kEol{"tcp.options.eol", "End of Option List (EOL)", "选项列表结束 (EOL)",
                     "Marks the end of the options; the rest of the header is zero padding",
                     "标记选项到此结束;首部剩下的部分是全零填充"};
const FieldInfo kMss{"tcp.options.mss", "Maximum segment size", "最大报文段长度",
                     "Sent in the SYN: the largest payload this side wants to receive in one "
                     "segment",
                     "在 SYN 中发送:本方希望在一个报文段中接收的最大负载"};
const FieldInfo kMssVal{"tcp.options.mss_val", "MSS Value", "MSS 值",
                        "Largest payload in bytes per segment (usually MTU minus 40 bytes of "
                        "IP and TCP headers)",
                        "每个报文段的最大负载字节数(通常是 MTU 减去 40 字节 IP 和 TCP 首部)"};
const FieldInfo kWscale{"tcp.options.wscale", "Window scale", "窗口缩放",
                        "Sent in the SYN: lets the 16-bit window field describe windows larger "
                        "than 64 KiB",
                        "在 SYN 中发送:让 16 位的窗口字段能表示超过 64 KiB 的窗口"};
const FieldInfo kWscaleShift{"tcp.options.wscale.shift", "Shift count", "移位数",
                             "Later window values from this side are shifted left by this many "
                             "bits",
                             "本方之后发送的窗口值要左移这么多位"};
const FieldInfo kWscaleMult{"tcp.options.wscale.multiplier", "Multiplier", "乘数",
                            "2 to the power of the shift count: the factor for every later window "
                            "value",
                            "2 的移位数次方:之后每个窗口值都要乘以这个数"};
const FieldInfo kSackPerm{"tcp.options.sack_perm", "SACK permitted", "允许 SACK",
                          "Sent in the SYN: this side understands selective acknowledgments",
                          "在 SYN 中发送:本方支持选择性确认 (SACK)"};
const FieldInfo kSack{"tcp.options.sack", "SACK", "选择性确认 (SACK)",
                      "Blocks of data received beyond a gap, so only the missing bytes are "
                      "resent",
                      "已收到的、位于缺口之后的数据块,这样只需重传缺失的字节"};
const FieldInfo kSackLe{"tcp.options.sack_le", "SACK Left Edge", "SACK 左边界",
                        "First byte of a block received out of order (relative to the other "
                        "side's first byte)",
                        "乱序收到的数据块的第一个字节(相对于对方的起始序号)"};
const FieldInfo kSackRe{"tcp.options.sack_re", "SACK Right Edge", "SACK 右边界",
                        "Byte just after the end of that block (relative)",
                        "该数据块末尾之后的那个字节(相对序号)"};
const FieldInfo kSackCount{"tcp.options.sack.count", "TCP SACK Count", "SACK 块数",
                           "How many received blocks this option reports",
                           "这个选项报告了几个已收到的数据块"};
const FieldInfo kTimestamp{"tcp.options.timestamp", "Timestamps", "时间戳",
                           "Two clock values used to measure round-trip time and to detect old "
                           "segments (PAWS)",
                           "两个时钟值,用来测量往返时间并识别过期的旧报文段 (PAWS)"};
const FieldInfo kTsval{"tcp.options.timestamp.tsval", "Timestamp value", "时间戳值",
                       "The sender's clock when it sent this segment",
                       "发送方发出这个报文段时的时钟值"};
const FieldInfo kTsecr{"tcp.options.timestamp.tsecr", "Timestamp echo reply", "时间戳回显",
                       "The latest timestamp value received from the other side, echoed back",
                       "从对方收到的最新时间戳值,原样回送"};
const FieldInfo kMd5{"tcp.options.md5", "TCP MD5 signature", "TCP MD5 签名",
                     "A keyed hash that protects the segment (used between BGP routers)",
                     "保护报文段的带密钥散列(用于 BGP 路由器之间)"};
const FieldInfo kMd5Digest{"tcp.options.md5.digest", "MD5 digest", "MD5 摘要",
                           "The 16-byte MD5 hash over the segment and a shared secret",
                           "对报文段和共享密钥计算出的 16 字节 MD5 散列"};
const FieldInfo kTfo{"tcp.options.tfo", "TCP Fast Open", "TCP 快速打开",
                     "Lets a client send data already in its SYN on a repeat connection",
                     "让客户端在再次连接时就在 SYN 里携带数据"};
const FieldInfo kTfoCookie{"tcp.options.tfo.cookie", "Fast Open Cookie", "快速打开 Cookie",
                           "The server-issued cookie that proves the client talked to it before",
                           "服务器签发的 cookie,证明客户端之前与它通信过"};
const FieldInfo kExperimental{"tcp.options.experimental", "Experimental", "实验性选项",
                              "An option reserved for experiments (RFC 4727, RFC 6994)",
                              "保留给实验用途的选项(RFC 4727、RFC 6994)"};
const FieldInfo kExid{
    "tcp.options.experimental.exid",           "Experiment Identifier", "实验标识",
    "Which experiment this option belongs to", "这个选项属于哪个实验",  NumberBase::Hex4};
const FieldInfo kExpData{"tcp.options.experimental.data", "Data", "数据",
                         "The experiment's own bytes", "实验自己的数据"};
const FieldInfo kAccEcnEe0b{"tcp.options.acc_ecn.ee0b", "Accurate ECN Echo ECT(0) Byte Counter",
                            "AccECN ECT(0) 字节计数",
                            "Bytes received marked ECT(0), echoed back to the sender (AccECN)",
                            "收到的标记为 ECT(0) 的字节数,回送给发送方(AccECN)"};
const FieldInfo kAccEcnEceb{"tcp.options.acc_ecn.eceb", "Accurate ECN Echo CE Byte Counter",
                            "AccECN CE 字节计数",
                            "Bytes received marked Congestion Experienced (AccECN)",
                            "收到的标记为“经历拥塞 (CE)”的字节数(AccECN)"};
const FieldInfo kAccEcnEe1b{"tcp.options.acc_ecn.ee1b", "Accurate ECN Echo ECT(1) Byte Counter",
                            "AccECN ECT(1) 字节计数",
                            "Bytes received marked ECT(1), echoed back to the sender (AccECN)",
                            "收到的标记为 ECT(1) 的字节数,回送给发送方(AccECN)"};
const FieldInfo kUnknown{"tcp.options.unknown", "Unknown", "未知选项",
                         "An option kind with no registered meaning", "没有登记含义的选项类型"};
const FieldInfo kUnknownPayload{"tcp.options.unknown.payload", "Payload", "内容",
                                "The option's bytes after kind and length",
                                "选项在类型和长度之后的字节"};

constexpr const char* kindName(uint8_t kind) {
    switch (kind) {
        case 0: return "End of Option List";
        case 1: return "No-Operation";
        case 2: return "Maximum Segment Size";
        case 3: return "Window Scale";
        case 4: return "SACK Permitted";
        case 5: return "SACK";
        case 6: return "Echo";
        case 7: return "Echo Reply";
        case 8: return "Time Stamp Option";
        case 9: return "Partial Order Connection Permitted";
        case 10: return "Partial Order Service Profile";
        case 11: return "CC";
        case 12: return "CC.NEW";
        case 13: return "CC.ECHO";
        case 14: return "TCP Alternate Checksum Request";
        case 15: return "TCP Alternate Checksum Data";
        case 16: return "Skeeter";
        case 17: return "Bubba";
        case 18: return "Trailer Checksum Option";
        case 19: return "MD5 Signature Option";
        case 20: return "SCPS Capabilities";
        case 21: return "Selective Negative Acknowledgements";
        case 22: return "Record Boundaries";
        case 23: return "Corruption experienced";
        case 24: return "SNAP";
        case 25: return "Unassigned";
        case 26: return "TCP Compression Filter";
        case 27: return "Quick-Start Response";
        case 28: return "User Timeout Option";
        case 29: return "The TCP Authentication Option";
        case 30: return "Multipath TCP";
        case 34: return "TCP Fast Open Cookie";
        case 76: return "Riverbed Probe";
        case 78: return "Riverbed Transparency";
        case 172: return "Accurate ECN Order 0";
        case 174: return "Accurate ECN Order 1";
        case 253: return "RFC3692-style Experiment 1";
        case 254: return "RFC3692-style Experiment 2";
        default: return nullptr;
    }
}

// The length an option of this kind must have, or 0 when it varies.
constexpr uint8_t fixedLength(uint8_t kind) {
    switch (kind) {
        case 2: return 4;
        case 3: return 3;
        case 4: return 2;
        case 8: return 10;
        case 19: return 18;
        default: return 0;
    }
}

// The container field tshark puts an option under, or null when tshark dissects it as its own
// protocol (MPTCP, AccECN…) or under a name we do not reproduce: then kind and length are
// shown directly under tcp.options.
constexpr const FieldInfo* containerFor(uint8_t kind) {
    switch (kind) {
        case 0: return &kEol;
        case 1: return &kNop;
        case 2: return &kMss;
        case 3: return &kWscale;
        case 4: return &kSackPerm;
        case 5: return &kSack;
        case 8: return &kTimestamp;
        case 19: return &kMd5;
        case 34: return &kTfo;
        case 253:
        case 254: return &kExperimental;
        default: return kindName(kind) ? nullptr : &kUnknown;
    }
}

// The three facts above for every kind, looked up once per option instead of three switches.
struct KindFacts {
    const char* name;
    const FieldInfo* container;
    uint8_t fixed_length;
};
constexpr std::array<KindFacts, 256> kKindFacts = [] {
    std::array<KindFacts, 256> t{};
    for (unsigned k = 0; k < 256; ++k) {
        const uint8_t kind = static_cast<uint8_t>(k);
        t[k] = {kindName(kind), containerFor(kind), fixedLength(kind)};
    }
    return t;
}();

// AccECN byte counters, 3 bytes each, in the order the experiment ID names.
void addAccEcnCounters(DissectContext& ctx, uint32_t p, uint32_t end, bool order0,
                       InfoWriter* info) {
    static const FieldInfo* const kOrder0[] = {&kAccEcnEe0b, &kAccEcnEceb, &kAccEcnEe1b};
    static const FieldInfo* const kOrder1[] = {&kAccEcnEe1b, &kAccEcnEceb, &kAccEcnEe0b};
    static const char* const kNames0[] = {" EE0B=", " ECEB=", " EE1B="};
    static const char* const kNames1[] = {" EE1B=", " ECEB=", " EE0B="};
    for (uint32_t i = 0; i < 3 && p + 3 <= end; ++i, p += 3) {
        const uint32_t counter = ctx.bytes.u24(p);
        ctx.addUint(*(order0 ? kOrder0 : kOrder1)[i], p, p + 3, counter, 2);
        if (info) {
            info->text((order0 ? kNames0 : kNames1)[i]);
            info->number(counter);
        }
    }
}

void appendKindForStudent(std::string& out, uint8_t kind) {
    out.append("TCP option ");
    appendUint(out, kind);
    if (const char* name = kindName(kind)) {
        out.append(" (");
        out.append(name);
        out.push_back(')');
    }
}

}  // namespace

int findTcpWindowShift(const ByteReader& bytes, uint32_t begin, uint32_t end) {
    uint32_t p = begin;
    while (p < end && bytes.has(p, 1)) {  // every step moves p forward: at most 40 steps
        uint8_t kind = bytes.u8(p);
        if (kind == 0) return -1;
        if (kind == 1) {
            ++p;
            continue;
        }
        if (p + 1 >= end || !bytes.has(p + 1, 1)) return -1;
        uint8_t len = bytes.u8(p + 1);
        if (len < 2 || len > end - p) return -1;
        if (kind == 3 && len == 3) return bytes.u8(p + 2);
        p += len;
    }
    return -1;
}

void dissectTcpOptions(DissectContext& ctx, uint32_t begin, uint32_t end, uint32_t declared_end,
                       const TcpOptionsContext& oc, InfoWriter* info) {
    (void)declared_end;  // the caller reports a cut header; options stop at the captured end
    if (begin >= end) return;
    const ByteReader& b = ctx.bytes;
    FieldSink fs = ctx.fieldSink();
    fs.addBytes(kOptions, begin, end);
    uint32_t p = begin;
    while (p < end) {  // every step moves p forward by at least one byte
        // Linux sends NOP, NOP, Timestamps on every segment after the handshake: one compare
        // for the three instead of the general steps below (the same fields in the same order).
        if (end - p >= 12 && b.at32(p) == 0x0101080a) {
            for (int nop = 0; nop < 2; ++nop, ++p) {
                fs.addBytes(kNop, p, p + 1, 1);
                fs.addUint(kKind, p, p + 1, 1, 2, kKindFacts[1].name);
            }
            const uint32_t tsval = b.at32(p + 2), tsecr = b.at32(p + 6);
            fs.addBytes(kTimestamp, p, p + 10, 1);
            fs.addUint(kKind, p, p + 1, 8, 2, kKindFacts[8].name);
            fs.addUint(kLen, p + 1, p + 2, 10, 2);
            fs.addUint(kTsval, p + 2, p + 6, tsval, 2);
            fs.addUint(kTsecr, p + 6, p + 10, tsecr, 2);
            if (info) {
                info->labelled(" TSval=", tsval);
                info->labelled(" TSecr=", tsecr);
            }
            p += 10;
            continue;
        }
        const uint8_t kind = b.at8(p);  // p < end, and end is clipped to the frame
        const KindFacts& facts = kKindFacts[kind];
        const char* kind_name = ctx.wantFields() ? facts.name : nullptr;
        if (kind == 0 || kind == 1) {
            fs.addBytes(kind == 0 ? kEol : kNop, p, p + 1, 1);
            fs.addUint(kKind, p, p + 1, kind, 2, kind_name);
            ++p;
            if (kind == 0) {
                // After EOL only padding follows; tshark lists further zero bytes as more EOLs.
                bool all_zero = true;
                for (uint32_t q = p; q < end; ++q) all_zero = all_zero && b.u8(q) == 0;
                if (!all_zero) break;
            }
            continue;
        }
        if (p + 1 >= end) {
            std::string msg;
            appendKindForStudent(msg, kind);
            msg.append(" has no length byte: the options end right after its kind byte");
            ctx.problem(ProblemKind::Malformed, std::move(msg));
            break;
        }
        const uint8_t len = b.at8(p + 1);
        if (len < 2 || len > end - p) {
            std::string msg;
            appendKindForStudent(msg, kind);
            msg.append(" says it is ");
            appendUint(msg, len);
            if (len < 2) {
                msg.append(" bytes long, but kind and length alone take 2 bytes");
            } else {
                msg.append(" bytes long, but only ");
                appendUint(msg, end - p);
                msg.append(" bytes of options are left");
            }
            ctx.problem(ProblemKind::Malformed, std::move(msg));
            break;
        }
        const uint32_t opt_end = p + len;
        const FieldInfo* container = facts.container;
        const uint8_t inner = container ? 2 : 1;
        if (container) fs.addBytes(*container, p, opt_end, 1);
        fs.addUint(kKind, p, p + 1, kind, inner, kind_name);
        fs.addUint(kLen, p + 1, p + 2, len, inner);

        const uint8_t want = facts.fixed_length;
        bool bad_length = (want != 0 && len != want) || (kind == 5 && (len - 2) % 8 != 0) ||
                          (kind == 5 && len == 2);
        if (bad_length) {
            std::string msg;
            appendKindForStudent(msg, kind);
            if (want) {
                msg.append(" should be ");
                appendUint(msg, want);
                msg.append(" bytes long, but its length field says ");
            } else {
                msg.append(" should be 2 bytes plus 8 per block, but its length field says ");
            }
            appendUint(msg, len);
            ctx.problem(ProblemKind::Malformed, std::move(msg));
            p = opt_end;
            continue;
        }

        switch (kind) {
            case 2: {
                uint16_t mss = b.at16(p + 2);  // len == 4 fits before end
                fs.addUint(kMssVal, p + 2, p + 4, mss, 2);
                if (info) info->labelled(" MSS=", mss);
                break;
            }
            case 3: {
                uint8_t shift = b.at8(p + 2);
                uint32_t multiplier = 1u << (shift > 14 ? 14 : shift);
                fs.addUint(kWscaleShift, p + 2, p + 3, shift, 2);
                fs.addUint(kWscaleMult, p + 2, p + 3, multiplier, 2);
                if (info) info->labelled(" WS=", multiplier);
                break;
            }
            case 4:
                if (info) info->lit(" SACK_PERM");
                break;
            case 5: {
                uint32_t blocks = (len - 2) / 8;
                for (uint32_t i = 0; i < blocks; ++i) {
                    uint32_t at = p + 2 + 8 * i;
                    uint32_t le = b.u32(at), re = b.u32(at + 4);
                    if (oc.peer_base_known) {
                        le -= oc.peer_base_seq;
                        re -= oc.peer_base_seq;
                    }
                    fs.addUint(kSackLe, at, at + 4, le, 2);
                    fs.addUint(kSackRe, at + 4, at + 8, re, 2);
                    if (info) {
                        info->labelled(" SLE=", le);
                        info->labelled(" SRE=", re);
                    }
                }
                fs.addUint(kSackCount, p, p, blocks, 2);
                break;
            }
            case 8: {
                uint32_t tsval = b.at32(p + 2), tsecr = b.at32(p + 6);  // len == 10
                fs.addUint(kTsval, p + 2, p + 6, tsval, 2);
                fs.addUint(kTsecr, p + 6, p + 10, tsecr, 2);
                if (info) {
                    info->labelled(" TSval=", tsval);
                    info->labelled(" TSecr=", tsecr);
                }
                break;
            }
            case 19:
                fs.addBytes(kMd5Digest, p + 2, opt_end, 2);
                if (info) info->lit(" MD5");
                break;
            case 34:
                if (len > 2) fs.addBytes(kTfoCookie, p + 2, opt_end, 2);
                if (info) info->text(len > 2 ? " TFO=C" : " TFO=R");
                break;
            case 253:
            case 254:
                if (len >= 4) {
                    const uint16_t exid = b.u16(p + 2);
                    if (exid == 0xacc0 || exid == 0xacc1) {
                        fs.addUint(
                            kExid, p + 2, p + 4, exid, 2,
                            exid == 0xacc0 ? "Accurate ECN - Order 0" : "Accurate ECN - Order 1");
                        addAccEcnCounters(ctx, p + 4, opt_end, exid == 0xacc0, info);
                    } else {
                        fs.addUint(kExid, p + 2, p + 4, exid, 2, "Unknown");
                        if (len > 4) fs.addBytes(kExpData, p + 4, opt_end, 2);
                        if (info) {
                            info->lit(" ExID=");
                            info->hex(exid, 1);
                        }
                    }
                }
                break;
            default:
                if (container == &kUnknown && len > 2)
                    fs.addBytes(kUnknownPayload, p + 2, opt_end, 2);
                break;
        }
        p = opt_end;
    }
}

}  // namespace osilab::packet
