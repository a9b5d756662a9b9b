// IPv4 options. They are rare on today's Internet (routers often drop packets that carry
// them), but `ping -R` and `ping -T` still produce record-route and timestamp options.
#include "lab/packet/ipv4_options.h"

#include <string>

namespace osilab::packet {
namespace {

const FieldInfo kEol{"ip.options.eol", "IP Option - End of Options List (EOL)",
                     "IP 选项 - 选项列表结束 (EOL)",
                     "Marks the end of the options; the rest of the header is padding",
                     "标记选项结束;首部剩下的部分只是填充"};
const FieldInfo kNop{"ip.options.nop", "IP Option - No-Operation (NOP)", "IP 选项 - 空操作 (NOP)",
                     "A one-byte filler that lines the next option up on a 4-byte boundary",
                     "一字节的填充,让下一个选项对齐到 4 字节边界"};
const FieldInfo kRecordRoute{"ip.options.record_route", "IP Option - Record Route",
                             "IP 选项 - 记录路由",
                             "Asks each router to write its address into the packet (ping -R)",
                             "请每个路由器把自己的地址写进这个包(ping -R)"};
const FieldInfo kTimestamp{"ip.options.timestamp", "IP Option - Time Stamp", "IP 选项 - 时间戳",
                           "Asks routers to write the time (ms since midnight UTC) into the packet "
                           "(ping -T)",
                           "请路由器把时间(UTC 午夜以来的毫秒数)写进这个包(ping -T)"};
const FieldInfo kLooseRoute{"ip.options.route", "IP Option - Loose Source Route",
                            "IP 选项 - 宽松源路由",
                            "The sender lists routers the packet must pass through, in order",
                            "发送方列出包必须依次经过的路由器"};
const FieldInfo kStrictRoute{"ip.options.source_route", "IP Option - Strict Source Route",
                             "IP 选项 - 严格源路由",
                             "The sender lists every router on the path, with no others allowed",
                             "发送方列出路径上的每一个路由器,不允许经过其他路由器"};
const FieldInfo kRouterAlert{"ip.options.routeralert", "IP Option - Router Alert",
                             "IP 选项 - 路由器警告",
                             "Tells routers to look inside this packet even though it is not for "
                             "them (used by IGMP and RSVP)",
                             "告诉路由器即使包不是发给它们的也要检查内容(IGMP、RSVP 使用)"};
const FieldInfo kSecurity{"ip.options.security", "IP Option - Security", "IP 选项 - 安全",
                          "Military security label of RFC 791; not used on the Internet",
                          "RFC 791 的军用安全标签;互联网上不使用"};
const FieldInfo kQuickStart{"ip.options.qs", "IP Option - Quick-Start", "IP 选项 - 快速启动",
                            "Experimental request for a starting sending rate (RFC 4782)",
                            "实验性的初始发送速率请求(RFC 4782)"};
const FieldInfo kType{"ip.opt.type", "Type", "类型",
                      "Option type: copy flag, class and number packed into one byte",
                      "选项类型:复制标志、类别和编号合在一个字节里"};
const FieldInfo kCopy{"ip.opt.type.copy", "Copy on fragmentation", "分片时复制",
                      "Set when every fragment of the packet must carry this option",
                      "置位表示分片后每个分片都必须带上这个选项"};
const FieldInfo kClass{"ip.opt.type.class", "Class", "类别",
                       "0 = control, 2 = debugging and measurement", "0 为控制类,2 为调试和测量类"};
const FieldInfo kNumber{"ip.opt.type.number", "Number", "编号",
                        "Which option this is within its class", "该类别中的哪个选项"};
const FieldInfo kLen{"ip.opt.len", "Length", "长度",
                     "Length of the whole option in bytes, type and length included",
                     "整个选项的字节数,包括类型和长度字节"};
const FieldInfo kPtr{"ip.opt.ptr", "Pointer", "指针",
                     "Where (1-based, from the option's start) the next router writes its entry",
                     "下一个路由器写入条目的位置(从选项开头数,从 1 开始)"};
const FieldInfo kRecRt{"ip.rec_rt", "Recorded Route", "已记录路由",
                       "Address of a router that has already handled the packet",
                       "已经处理过这个包的路由器地址"};
const FieldInfo kEmptyRt{"ip.empty_rt", "Empty Route", "空路由条目",
                         "A slot still free for the next router's address",
                         "留给下一个路由器填写地址的空位"};
const FieldInfo kOverflow{"ip.opt.overflow", "Overflow", "溢出计数",
                          "How many routers could not add a timestamp because the option was full",
                          "因选项已满而无法添加时间戳的路由器个数"};
const FieldInfo kFlag{"ip.opt.flag",
                      "Flag",
                      "标志",
                      "0 = timestamps only, 1 = address and timestamp, 3 = only the listed "
                      "addresses stamp",
                      "0 只记录时间戳,1 记录地址和时间戳,3 只有列出的地址记录时间戳",
                      NumberBase::Hex2};
const FieldInfo kTsAddr{"ip.opt.time_stamp_addr", "Address", "地址",
                        "Router that wrote the timestamp after it", "写入其后时间戳的路由器"};
const FieldInfo kTs{"ip.opt.time_stamp", "Time stamp", "时间戳",
                    "Milliseconds since midnight UTC when a router handled the packet",
                    "路由器处理这个包时距 UTC 午夜的毫秒数"};
const FieldInfo kRa{"ip.opt.ra", "Router Alert", "路由器警告值",
                    "0 = every router shall examine the packet", "0 表示每个路由器都应检查这个包"};

const char* classNames[4] = {"Control", "Reserved for future use", "Debugging and measurement",
                             "Reserved for future use"};

void addType(DissectContext& ctx, uint32_t at, uint8_t type) {
    ctx.addUint(kType, at, at + 1, type, 1);
    ctx.addBool(kCopy, at, at + 1, type & 0x80, 2);
    ctx.addUint(kClass, at, at + 1, (type >> 5) & 3, 2, classNames[(type >> 5) & 3]);
    ctx.addUint(kNumber, at, at + 1, type & 0x1f, 2);
}

const FieldInfo* optionInfo(uint8_t type) {
    switch (type) {
        case 7: return &kRecordRoute;
        case 68: return &kTimestamp;
        case 131: return &kLooseRoute;
        case 137: return &kStrictRoute;
        case 148: return &kRouterAlert;
        case 130: return &kSecurity;
        case 25: return &kQuickStart;
        default: return nullptr;
    }
}

void addRecordRoute(DissectContext& ctx, uint32_t at, uint32_t len) {
    const uint8_t ptr = ctx.bytes.u8(at + 2);
    ctx.addUint(kPtr, at + 2, at + 3, ptr, 1);
    for (uint32_t p = 3; p + 4 <= len; p += 4)  // p + 1 is the 1-based position the pointer uses
        ctx.addIpv4(p + 1 < ptr ? kRecRt : kEmptyRt, at + p, 1);
}

void addTimestamp(DissectContext& ctx, uint32_t at, uint32_t len) {
    const uint8_t ptr = ctx.bytes.u8(at + 2), of = ctx.bytes.u8(at + 3);
    const uint8_t flag = of & 0x0f;
    ctx.addUint(kPtr, at + 2, at + 3, ptr, 1);
    ctx.addUint(kOverflow, at + 3, at + 4, of >> 4, 1);
    ctx.addUint(kFlag, at + 3, at + 4, flag, 1);
    const uint32_t entry = flag == 0 ? 4 : 8;
    for (uint32_t p = 4; p + entry <= len; p += entry) {
        if (entry == 8) ctx.addIpv4(kTsAddr, at + p, 1);
        ctx.addUint(kTs, at + p + entry - 4, at + p + entry, ctx.bytes.u32(at + p + entry - 4), 1);
    }
}

}  // namespace

void dissectIpv4Options(DissectContext& ctx, uint32_t begin, uint32_t end) {
    // Every step moves at least one byte and the options are at most 40 bytes long.
    for (uint32_t p = begin; p < end;) {
        const uint8_t type = ctx.bytes.u8(p);
        if (type == 0) {
            ctx.addBytes(kEol, p, p + 1);
            addType(ctx, p, type);
            return;  // the rest is padding
        }
        if (type == 1) {
            ctx.addBytes(kNop, p, p + 1);
            addType(ctx, p, type);
            ++p;
            continue;
        }
        if (p + 2 > end) {
            ctx.problem(ProblemKind::Malformed,
                        "IPv4 option " + std::to_string(type) +
                            " starts in the last byte of the header, with no room for its length");
            return;
        }
        const uint32_t len = ctx.bytes.u8(p + 1);
        if (len < 2 || p + len > end) {
            ctx.problem(ProblemKind::Malformed,
                        "IPv4 option " + std::to_string(type) + " says it is " +
                            std::to_string(len) + " bytes long, which does not fit in the " +
                            std::to_string(end - p) + " bytes of options left");
            return;
        }
        if (const FieldInfo* info = optionInfo(type)) {
            ctx.addBytes(*info, p, p + len);
            addType(ctx, p, type);
            ctx.addUint(kLen, p + 1, p + 2, len, 1);
            switch (type) {
                case 7:
                    if (len >= 3) addRecordRoute(ctx, p, len);
                    break;
                case 68:
                    if (len >= 4) addTimestamp(ctx, p, len);
                    break;
                case 131:
                case 137:
                    if (len >= 3) ctx.addUint(kPtr, p + 2, p + 3, ctx.bytes.u8(p + 2), 1);
                    break;
                case 148:
                    if (len == 4) ctx.addUint(kRa, p + 2, p + 4, ctx.bytes.u16(p + 2), 1);
                    break;
                default: break;
            }
        }
        p += len;
    }
}

}  // namespace osilab::packet
