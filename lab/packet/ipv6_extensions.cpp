// IPv6 extension headers. Each one starts with the next header's number and (except the
// fragment header) its own length in 8-byte units beyond the first 8.
#include "lab/packet/ipv6_extensions.h"

#include <string>

#include "lab/packet/ip_protocol.h"
#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

// ---- field tables ---------------------------------------------------------------------------
struct OptionsHeaderFields {
    FieldInfo label, nxt, len, len_oct;
};
const OptionsHeaderFields kHop{
    {"ipv6.hopopts", "IPv6 Hop-by-Hop Option", "IPv6 逐跳选项",
     "Options every router on the path must read (e.g. Router Alert, Jumbo Payload)",
     "路径上每个路由器都必须读取的选项(如路由器警告、超大载荷)"},
    {"ipv6.hopopts.nxt", "Next Header", "下一个首部",
     "Which header follows this one (6 TCP, 17 UDP, 58 ICMPv6, or another extension)",
     "紧跟在本首部之后的首部(6 TCP,17 UDP,58 ICMPv6,或另一个扩展首部)"},
    {"ipv6.hopopts.len", "Length", "长度",
     "Length of this header in 8-byte units, not counting the first 8 bytes",
     "本首部的长度,以 8 字节为单位,不含最前面的 8 字节"},
    {"ipv6.hopopts.len_oct", "Length", "长度(字节)", "The same length in bytes: (length + 1) × 8",
     "同一长度换算成字节:(长度 + 1) × 8"},
};
const OptionsHeaderFields kDst{
    {"ipv6.dstopts", "Destination Options for IPv6", "IPv6 目的选项",
     "Options only the destination host reads", "只有目的主机才读取的选项"},
    {"ipv6.dstopts.nxt", "Next Header", "下一个首部",
     "Which header follows this one (6 TCP, 17 UDP, 58 ICMPv6, or another extension)",
     "紧跟在本首部之后的首部(6 TCP,17 UDP,58 ICMPv6,或另一个扩展首部)"},
    {"ipv6.dstopts.len", "Length", "长度",
     "Length of this header in 8-byte units, not counting the first 8 bytes",
     "本首部的长度,以 8 字节为单位,不含最前面的 8 字节"},
    {"ipv6.dstopts.len_oct", "Length", "长度(字节)", "The same length in bytes: (length + 1) × 8",
     "同一长度换算成字节:(长度 + 1) × 8"},
};

const FieldInfo kOpt{"ipv6.opt", "Option", "选项",
                     "One type-length-value option inside an options header",
                     "选项首部中的一个“类型-长度-值”选项"};
const FieldInfo kOptType{"ipv6.opt.type",
                         "Type",
                         "类型",
                         "Option type; its top bits say what a node that does not know it must do",
                         "选项类型;最高几位说明不认识它的节点该怎么做",
                         NumberBase::Hex2};
const FieldInfo kOptAction{"ipv6.opt.type.action", "Action", "动作",
                           "If unknown: 0 skip it, 1 drop the packet, 2/3 drop and send an ICMPv6 "
                           "error",
                           "不认识时:0 跳过,1 丢弃包,2/3 丢弃并回送 ICMPv6 差错"};
const FieldInfo kOptChange{"ipv6.opt.type.change", "May Change", "途中可变",
                           "Set when routers may change the option's data on the way",
                           "置位表示路由器可以在途中修改该选项的数据"};
const FieldInfo kOptRest{
    "ipv6.opt.type.rest",  "Low-Order Bits", "低位", "The remaining five bits of the option type",
    "选项类型剩下的 5 位", NumberBase::Hex2};
const FieldInfo kOptLength{"ipv6.opt.length", "Length", "长度",
                           "Bytes of option data after this length byte",
                           "长度字节之后的选项数据字节数"};
const FieldInfo kPad1{"ipv6.opt.pad1", "Pad1", "Pad1 填充",
                      "One byte of padding that keeps the next option aligned",
                      "一个字节的填充,让下一个选项对齐"};
const FieldInfo kPadN{"ipv6.opt.padn", "PadN", "PadN 填充",
                      "Several bytes of padding that keep the header a multiple of 8 bytes",
                      "若干字节的填充,让首部长度保持为 8 的倍数"};
const FieldInfo kJumbo{"ipv6.opt.jumbo", "Payload Length", "超大载荷长度",
                       "Payload length of a jumbogram (over 65535 bytes); the header's own "
                       "payload length is then 0",
                       "超大报文(超过 65535 字节)的载荷长度;此时基本首部的载荷长度为 0"};
const FieldInfo kRouterAlert{"ipv6.opt.router_alert", "Router Alert", "路由器警告",
                             "Asks routers to look inside the packet (0 = MLD)",
                             "请路由器检查包的内容(0 表示 MLD)"};
const FieldInfo kTel{"ipv6.opt.tel", "Tunnel Encapsulation Limit", "隧道封装限制",
                     "How many more times the packet may be put inside another tunnel",
                     "这个包还能再被封装进隧道多少次"};
const FieldInfo kExperimental{"ipv6.opt.experimental", "Experimental Option", "实验性选项",
                              "Data of an option type reserved for experiments (RFC 4727)",
                              "保留给实验使用的选项类型的数据(RFC 4727)"};
const FieldInfo kUnknown{"ipv6.opt.unknown", "Unknown Option Payload", "未知选项数据",
                         "Data of an option type neither Wireshark nor OSI Lab knows",
                         "Wireshark 和 OSI Lab 都不认识的选项类型的数据"};

const FieldInfo kRouting{"ipv6.routing", "Routing Header for IPv6", "IPv6 路由首部",
                         "Lists routers the packet must visit on its way",
                         "列出包在途中必须经过的路由器"};
const FieldInfo kRtNxt{"ipv6.routing.nxt", "Next Header", "下一个首部",
                       "Which header follows this one", "紧跟在本首部之后的首部"};
const FieldInfo kRtLen{"ipv6.routing.len", "Length", "长度",
                       "Length of this header in 8-byte units, not counting the first 8 bytes",
                       "本首部的长度,以 8 字节为单位,不含最前面的 8 字节"};
const FieldInfo kRtLenOct{"ipv6.routing.len_oct", "Length", "长度(字节)",
                          "The same length in bytes: (length + 1) × 8",
                          "同一长度换算成字节:(长度 + 1) × 8"};
const FieldInfo kRtType{"ipv6.routing.type", "Type", "类型",
                        "Kind of routing header: 0 source route (deprecated), 2 Mobile IPv6, 4 "
                        "segment routing",
                        "路由首部种类:0 源路由(已废弃),2 移动 IPv6,4 分段路由"};
const FieldInfo kRtSegLeft{"ipv6.routing.segleft", "Segments Left", "剩余段数",
                           "How many listed routers are still to be visited",
                           "列表中还有多少个路由器尚未经过"};
const FieldInfo kRtSrcReserved{"ipv6.routing.src.reserved", "Reserved", "保留",
                               "Unused bytes, sent as zero", "未使用的字节,发送时为 0"};
const FieldInfo kRtSrcAddr{"ipv6.routing.src.addr", "Address", "地址",
                           "A router the packet must pass through", "包必须经过的一个路由器"};
const FieldInfo kRtMipReserved{"ipv6.routing.mipv6.reserved", "Reserved", "保留",
                               "Unused bytes, sent as zero", "未使用的字节,发送时为 0"};
const FieldInfo kRtMipHome{"ipv6.routing.mipv6.home_address", "Home Address", "家乡地址",
                           "Mobile IPv6: the mobile node's permanent address",
                           "移动 IPv6:移动节点的永久地址"};
const FieldInfo kSrhLastEntry{"ipv6.routing.srh.last_entry", "Last Entry", "最后条目",
                              "Index of the last segment in the list", "段列表中最后一段的下标"};
const FieldInfo kSrhFlags{"ipv6.routing.srh.flags", "Flags",        "标志",
                          "Segment routing flags",  "分段路由标志", NumberBase::Hex2};
const FieldInfo kSrhTag{"ipv6.routing.srh.tag", "Tag", "标记",
                        "Marks packets as part of a class or group", "把包标记为某一类或某一组"};
const FieldInfo kSrhAddr{"ipv6.routing.srh.addr", "Address", "地址",
                         "One segment (router or function) of the path, listed last to first",
                         "路径中的一个段(路由器或功能),按从后到前的顺序列出"};

const FieldInfo kFrag{"ipv6.fraghdr", "Fragment Header for IPv6", "IPv6 分片首部",
                      "This packet is one piece of a bigger one; only the sender fragments in IPv6",
                      "这个包是一个更大的包的一部分;IPv6 中只有发送方会分片"};
const FieldInfo kFragNxt{"ipv6.fraghdr.nxt", "Next header", "下一个首部",
                         "Which header follows in the reassembled packet",
                         "重组后的包中紧跟的首部"};
const FieldInfo kFragResOctet{"ipv6.fraghdr.reserved_octet", "Reserved octet",    "保留字节",
                              "Unused, sent as zero",        "未使用,发送时为 0", NumberBase::Hex2};
const FieldInfo kFragOffset{"ipv6.fraghdr.offset", "Offset", "偏移",
                            "Where this fragment's data belongs in the original packet, in units "
                            "of 8 bytes",
                            "这个分片的数据在原始包中的位置,以 8 字节为单位"};
const FieldInfo kFragResBits{"ipv6.fraghdr.reserved_bits", "Reserved bits", "保留位",
                             "Unused, sent as zero", "未使用,发送时为 0"};
const FieldInfo kFragMore{"ipv6.fraghdr.more", "More Fragments", "更多分片",
                          "More fragments of the same packet follow", "同一个包后面还有更多分片"};
const FieldInfo kFragIdent{"ipv6.fraghdr.ident",
                           "Identification",
                           "标识",
                           "Number shared by all fragments of one packet",
                           "同一个包的所有分片共用的编号",
                           NumberBase::Hex8};

// ---- options --------------------------------------------------------------------------------
bool isExperimental(uint8_t type) {
    return (type & 0x1f) == 0x1e;
}

// Option types Wireshark decodes itself (so "unknown" would be wrong for them).
bool wiresharkKnows(uint8_t type) {
    switch (type) {
        case 0x00:
        case 0x01:
        case 0x04:
        case 0x05:
        case 0x07:
        case 0x08:
        case 0x11:
        case 0x12:
        case 0x26:
        case 0x30:
        case 0x31:
        case 0x63:
        case 0x6d:
        case 0x8a:
        case 0x8b:
        case 0x8c:
        case 0xc2:
        case 0xc9:
        case 0xee: return true;
        default: return isExperimental(type);
    }
}

const char* optionName(uint8_t type) {
    switch (type) {
        case 0x00: return "Pad1";
        case 0x01: return "PadN";
        case 0x04: return "Tunnel Encapsulation Limit";
        case 0x05: return "Router Alert";
        case 0x07: return "CALIPSO";
        case 0x08: return "SMF_DPD";
        case 0x26: return "Quick-Start";
        case 0x63: return "RPL Option";
        case 0x6d: return "MPL Option";
        case 0xc2: return "Jumbo Payload";
        case 0xc9: return "Home Address Option";
        default: return isExperimental(type) ? "Experimental" : "Unknown IPv6 Option";
    }
}

void addOptionType(DissectContext& ctx, uint32_t at, uint8_t type) {
    ctx.addUint(kOptType, at, at + 1, type, 2, optionName(type));
    ctx.addUint(kOptAction, at, at + 1, type >> 6, 3);
    ctx.addBool(kOptChange, at, at + 1, type & 0x20, 3);
    ctx.addUint(kOptRest, at, at + 1, type & 0x1f, 3);
}

// The options of a hop-by-hop or destination options header, in [at, end).
void dissectOptions(DissectContext& ctx, uint32_t at, uint32_t end) {
    for (uint32_t q = at; q < end;) {  // every option moves at least one byte
        const uint8_t type = ctx.bytes.u8(q);
        if (type == 0) {
            ctx.add(kOpt, FieldKind::Label, q, q + 1, 0, 1, optionName(type));
            ctx.addUint(kOptType, q, q + 1, type, 2, optionName(type));
            ctx.addLabel(kPad1, q, q + 1, 2);
            ++q;
            continue;
        }
        if (q + 2 > end || q + 2 + ctx.bytes.u8(q + 1) > end) {
            std::string msg = "IPv6 option 0x";
            appendHex(msg, type, 2);
            msg.append(" does not fit in what is left of its options header");
            ctx.problem(ProblemKind::Malformed, std::move(msg));
            return;
        }
        const uint32_t len = ctx.bytes.u8(q + 1), data = q + 2, opt_end = data + len;
        ctx.add(kOpt, FieldKind::Label, q, opt_end, 0, 1, optionName(type));
        addOptionType(ctx, q, type);
        ctx.addUint(kOptLength, q + 1, q + 2, len, 2);
        switch (type) {
            case 0x01: ctx.addBytes(kPadN, data, opt_end, 2); break;
            case 0x04:
                if (len == 1) ctx.addUint(kTel, data, data + 1, ctx.bytes.u8(data), 2);
                break;
            case 0x05:
                if (len == 2) ctx.addUint(kRouterAlert, data, data + 2, ctx.bytes.u16(data), 2);
                break;
            case 0xc2:
                if (len == 4) ctx.addUint(kJumbo, data, data + 4, ctx.bytes.u32(data), 2);
                break;
            default:
                if (isExperimental(type))
                    ctx.addBytes(kExperimental, data, opt_end, 2);
                else if (!wiresharkKnows(type))
                    ctx.addBytes(kUnknown, data, opt_end, 2);
                break;
        }
        q = opt_end;
    }
}

bool needBytes(DissectContext& ctx, uint32_t at, uint32_t n, uint32_t end, const char* what) {
    if (at + n <= end && ctx.bytes.has(at, n)) return true;
    ctx.problem(ProblemKind::Truncated, std::string("The packet ends inside the ") + what + " (" +
                                            std::to_string(n) + " bytes, " +
                                            std::to_string(end > at ? end - at : 0) + " present)");
    return false;
}

Ipv6Extension optionsHeader(DissectContext& ctx, const OptionsHeaderFields& f, uint32_t at,
                            uint32_t end, const char* what) {
    Ipv6Extension r;
    if (!needBytes(ctx, at, 2, end, what)) return r;
    r.next = ctx.bytes.u8(at);
    const uint8_t len = ctx.bytes.u8(at + 1);
    r.length = (len + 1u) * 8;
    const uint32_t hdr_end = at + r.length;
    ctx.addLabel(f.label, at, hdr_end < end ? hdr_end : end);
    ctx.addUint(f.nxt, at, at + 1, r.next, 1, ipProtocolName(r.next));
    ctx.addUint(f.len, at + 1, at + 2, len, 1);
    ctx.addUint(f.len_oct, at + 1, at + 2, r.length, 1);
    if (!needBytes(ctx, at, r.length, end, what)) {
        dissectOptions(ctx, at + 2, end);
        return r;
    }
    dissectOptions(ctx, at + 2, hdr_end);
    r.ok = true;
    return r;
}

Ipv6Extension routingHeader(DissectContext& ctx, uint32_t at, uint32_t end) {
    Ipv6Extension r;
    if (!needBytes(ctx, at, 4, end, "IPv6 routing header")) return r;
    const ByteReader& b = ctx.bytes;
    r.next = b.u8(at);
    const uint8_t len = b.u8(at + 1), type = b.u8(at + 2), segleft = b.u8(at + 3);
    r.length = (len + 1u) * 8;
    const uint32_t hdr_end = at + r.length;
    const uint32_t shown_end = hdr_end < end ? hdr_end : end;
    ctx.addLabel(kRouting, at, shown_end);
    ctx.addUint(kRtNxt, at, at + 1, r.next, 1, ipProtocolName(r.next));
    ctx.addUint(kRtLen, at + 1, at + 2, len, 1);
    ctx.addUint(kRtLenOct, at + 1, at + 2, r.length, 1);
    const char* type_name = type == 0   ? "Source Route"
                            : type == 2 ? "Type 2 Routing"
                            : type == 4 ? "Segment Routing"
                                        : nullptr;
    ctx.addUint(kRtType, at + 2, at + 3, type, 1, type_name);
    ctx.addUint(kRtSegLeft, at + 3, at + 4, segleft, 1);
    auto fits = [&](uint32_t p, uint32_t n) { return p + n <= shown_end && b.has(p, n); };
    if (type == 0 || type == 2) {
        const FieldInfo& reserved = type == 0 ? kRtSrcReserved : kRtMipReserved;
        const FieldInfo& addr = type == 0 ? kRtSrcAddr : kRtMipHome;
        if (fits(at + 4, 4)) ctx.addBytes(reserved, at + 4, at + 8, 1);
        uint32_t last = 0;
        for (uint32_t p = at + 8; fits(p, 16); p += 16) {  // bounded by the header length
            ctx.addIpv6(addr, p, 1);
            last = p;
        }
        if (segleft > 0 && last) r.final_dst = last;
    } else if (type == 4) {
        if (fits(at + 4, 4)) {
            ctx.addUint(kSrhLastEntry, at + 4, at + 5, b.u8(at + 4), 1);
            ctx.addUint(kSrhFlags, at + 5, at + 6, b.u8(at + 5), 1);
            ctx.addBytes(kSrhTag, at + 6, at + 8, 1);
            const uint32_t entries = b.u8(at + 4) + 1u;
            for (uint32_t i = 0; i < entries && fits(at + 8 + 16 * i, 16); ++i)
                ctx.addIpv6(kSrhAddr, at + 8 + 16 * i, 1);
            if (segleft > 0 && fits(at + 8, 16)) r.final_dst = at + 8;  // segment 0 is the last hop
        }
    }
    if (!needBytes(ctx, at, r.length, end, "IPv6 routing header")) return r;
    r.ok = true;
    return r;
}

Ipv6Extension fragmentHeader(DissectContext& ctx, uint32_t at, uint32_t end) {
    Ipv6Extension r;
    if (!needBytes(ctx, at, 8, end, "IPv6 fragment header")) return r;
    ctx.addLabel(kFrag, at, at + 8);
    const ByteReader& b = ctx.bytes;
    r.next = b.u8(at);
    r.length = 8;
    const uint16_t off = b.u16(at + 2);
    r.fragment = true;
    r.frag_offset = off >> 3;
    r.more_fragments = off & 1;
    r.ident = b.u32(at + 4);
    ctx.addUint(kFragNxt, at, at + 1, r.next, 1, ipProtocolName(r.next));
    ctx.addUint(kFragResOctet, at + 1, at + 2, b.u8(at + 1), 1);
    ctx.addUint(kFragOffset, at + 2, at + 4, r.frag_offset, 1);
    ctx.addUint(kFragResBits, at + 2, at + 4, (off >> 1) & 3, 1);
    ctx.addBool(kFragMore, at + 2, at + 4, r.more_fragments, 1);
    ctx.addUint(kFragIdent, at + 4, at + 8, r.ident, 1);
    r.ok = true;
    return r;
}

}  // namespace

bool isIpv6Extension(uint8_t next_header) {
    return next_header == ipproto::kHopByHop || next_header == ipproto::kRouting ||
           next_header == ipproto::kFragment || next_header == ipproto::kDestOptions;
}

Ipv6Extension dissectIpv6Extension(DissectContext& ctx, uint8_t type, uint32_t at, uint32_t end) {
    switch (type) {
        case ipproto::kHopByHop: return optionsHeader(ctx, kHop, at, end, "IPv6 hop-by-hop header");
        case ipproto::kDestOptions:
            return optionsHeader(ctx, kDst, at, end, "IPv6 destination options header");
        case ipproto::kRouting: return routingHeader(ctx, at, end);
        case ipproto::kFragment: return fragmentHeader(ctx, at, end);
        default: return {};
    }
}

int64_t findJumboLength(const ByteReader& bytes, uint32_t at, uint32_t end) {
    if (!bytes.has(at, 2) || at + 2 > end) return -1;
    uint32_t hdr_end = at + (bytes.u8(at + 1) + 1u) * 8;
    if (hdr_end > end) hdr_end = end;
    for (uint32_t q = at + 2; q < hdr_end && bytes.has(q, 1);) {
        const uint8_t type = bytes.u8(q);
        if (type == 0) {
            ++q;
            continue;
        }
        if (q + 2 > hdr_end || !bytes.has(q, 2)) break;
        const uint32_t len = bytes.u8(q + 1);
        if (type == 0xc2 && len == 4 && q + 6 <= hdr_end && bytes.has(q + 2, 4))
            return bytes.u32(q + 2);
        q += 2 + len;
    }
    return -1;
}

}  // namespace osilab::packet
