// Neighbour discovery options: link-layer addresses (how IPv6 learns MAC addresses without
// ARP), prefixes to build addresses from, the link MTU, DNS servers…
#include "lab/packet/icmpv6_options.h"

#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

const FieldInfo kOpt{"icmpv6.opt", "ICMPv6 Option", "ICMPv6 选项",
                     "One neighbour discovery option: type, length in 8-byte units, value",
                     "一个邻居发现选项:类型、以 8 字节为单位的长度、值"};
const FieldInfo kOptType{"icmpv6.opt.type", "Type", "类型",
                         "1 source link-layer address, 2 target link-layer address, 3 prefix, 5 "
                         "MTU, 25 DNS servers",
                         "1 源链路层地址,2 目标链路层地址,3 前缀,5 MTU,25 DNS 服务器"};
const FieldInfo kOptLength{"icmpv6.opt.length", "Length", "长度",
                           "Length of the whole option in units of 8 bytes",
                           "整个选项的长度,以 8 字节为单位"};
const FieldInfo kLinkAddr{
    "icmpv6.opt.linkaddr", "Link-layer address", "链路层地址",
    "A MAC address: the sender's (type 1) or the target's (type 2); this is "
    "how IPv6 does ARP's job",
    "一个 MAC 地址:发送方的(类型 1)或目标的(类型 2);IPv6 就是这样完成 ARP 的工作的"};
const FieldInfo kPrefixLen{"icmpv6.opt.prefix.length", "Prefix Length", "前缀长度",
                           "How many leading bits of the prefix are the network part (usually 64)",
                           "前缀中有多少个高位属于网络部分(通常为 64)"};
const FieldInfo kPrefixFlag{"icmpv6.opt.prefix.flag",
                            "Flag",
                            "标志",
                            "Prefix flags: on-link (L), autonomous configuration (A), router "
                            "address (R)",
                            "前缀标志:在链路上(L)、自动配置(A)、路由器地址(R)",
                            NumberBase::Hex2};
const FieldInfo kPrefixL{"icmpv6.opt.prefix.flag.l", "On-link flag(L)", "在链路上标志(L)",
                         "Addresses with this prefix are on this link: reach them directly",
                         "带这个前缀的地址就在本链路上,可以直接到达"};
const FieldInfo kPrefixA{"icmpv6.opt.prefix.flag.a", "Autonomous address-configuration flag(A)",
                         "自动地址配置标志(A)",
                         "Hosts may build their own address from this prefix (SLAAC)",
                         "主机可以用这个前缀自己生成地址(SLAAC)"};
const FieldInfo kPrefixR{"icmpv6.opt.prefix.flag.r", "Router address flag(R)", "路由器地址标志(R)",
                         "The prefix field holds the router's full address",
                         "前缀字段里是路由器的完整地址"};
const FieldInfo kPrefixRsv{"icmpv6.opt.prefix.flag.reserved", "Reserved", "保留",
                           "Unused bits, sent as zero", "未使用的位,发送时为 0"};
const FieldInfo kValid{"icmpv6.opt.prefix.valid_lifetime", "Valid Lifetime", "有效生存期",
                       "Seconds an address built from this prefix stays valid",
                       "用这个前缀生成的地址保持有效的秒数"};
const FieldInfo kPreferred{"icmpv6.opt.prefix.preferred_lifetime", "Preferred Lifetime",
                           "首选生存期", "Seconds such an address is preferred for new connections",
                           "这样的地址被优先用于新连接的秒数"};
const FieldInfo kReserved{"icmpv6.opt.reserved", "Reserved", "保留", "Unused bytes, sent as zero",
                          "未使用的字节,发送时为 0"};
const FieldInfo kPrefix{"icmpv6.opt.prefix", "Prefix", "前缀",
                        "The network prefix hosts on this link use", "本链路上主机使用的网络前缀"};
const FieldInfo kMtu{"icmpv6.opt.mtu", "MTU", "MTU",
                     "Largest packet size hosts on this link should use",
                     "本链路上主机应使用的最大包长"};
const FieldInfo kRdnssLifetime{"icmpv6.opt.rdnss.lifetime", "Lifetime", "生存期",
                               "Seconds the DNS servers below may be used",
                               "下面的 DNS 服务器可以使用的秒数"};
const FieldInfo kRdnss{"icmpv6.opt.rdnss", "Recursive DNS Servers", "递归 DNS 服务器",
                       "A DNS server the router recommends", "路由器推荐的 DNS 服务器"};
const FieldInfo kNonce{"icmpv6.opt.nonce", "Nonce", "随机数",
                       "Random bytes that let a host recognise replies to its own solicitation",
                       "让主机认出对自己请求的应答的随机字节"};

const char* optionName(uint8_t type) {
    switch (type) {
        case 1: return "Source link-layer address";
        case 2: return "Target link-layer address";
        case 3: return "Prefix information";
        case 4: return "Redirected header";
        case 5: return "MTU";
        case 6: return "NBMA Shortcut Limit Option";
        case 7: return "Advertisement Interval";
        case 8: return "Home Agent Information";
        case 9: return "Source Address List";
        case 10: return "Target Address List";
        case 11: return "CGA";
        case 12: return "RSA Signature";
        case 13: return "Timestamp";
        case 14: return "Nonce";
        case 24: return "Route Information";
        case 25: return "Recursive DNS Server";
        case 26: return "RA Flags Extension";
        case 31: return "DNS Search List Option";
        case 38: return "PREF64 Option";
        default: return nullptr;
    }
}

}  // namespace

void dissectNdOptions(DissectContext& ctx, uint32_t begin, uint32_t end, std::string* info) {
    const ByteReader& b = ctx.bytes;
    // Every option is at least 8 bytes long (a zero length is refused), so this ends.
    for (uint32_t p = begin; p < end;) {
        if (p + 2 > end || !b.has(p, 2)) {
            ctx.problem(ProblemKind::Truncated, "The message ends inside an ICMPv6 option");
            return;
        }
        const uint8_t type = b.u8(p), units = b.u8(p + 1);
        const uint32_t opt_end = p + units * 8u;
        ctx.add(kOpt, FieldKind::Label, p, opt_end < end ? opt_end : end, 0, 0, optionName(type));
        ctx.addUint(kOptType, p, p + 1, type, 1, optionName(type));
        ctx.addUint(kOptLength, p + 1, p + 2, units, 1);
        if (units == 0) {
            ctx.problem(ProblemKind::Malformed,
                        "An ICMPv6 option has length 0, which is not allowed (the message is "
                        "invalid and must be ignored)");
            return;
        }
        if (opt_end > end || !b.has(p, units * 8u)) {
            ctx.problem(ProblemKind::Truncated, "The message ends inside an ICMPv6 option");
            return;
        }
        switch (type) {
            case 1:
            case 2:
                if (units == 1) {
                    ctx.addMac(kLinkAddr, p + 2, 1);
                    if (info) {
                        info->append(type == 1 ? " from " : " is at ");
                        appendMac(*info, b.data() + p + 2);
                    }
                }
                break;
            case 3:
                if (units == 4) {
                    const uint8_t flags = b.u8(p + 3);
                    ctx.addUint(kPrefixLen, p + 2, p + 3, b.u8(p + 2), 1);
                    ctx.addUint(kPrefixFlag, p + 3, p + 4, flags, 1);
                    ctx.addBool(kPrefixL, p + 3, p + 4, flags & 0x80, 2);
                    ctx.addBool(kPrefixA, p + 3, p + 4, flags & 0x40, 2);
                    ctx.addBool(kPrefixR, p + 3, p + 4, flags & 0x20, 2);
                    ctx.addUint(kPrefixRsv, p + 3, p + 4, flags & 0x1f, 2);
                    ctx.addUint(kValid, p + 4, p + 8, b.u32(p + 4), 1);
                    ctx.addUint(kPreferred, p + 8, p + 12, b.u32(p + 8), 1);
                    ctx.addLabel(kReserved, p + 12, p + 16, 1);
                    ctx.addIpv6(kPrefix, p + 16, 1);
                }
                break;
            case 5:
                if (units == 1) {
                    ctx.addLabel(kReserved, p + 2, p + 4, 1);
                    ctx.addUint(kMtu, p + 4, p + 8, b.u32(p + 4), 1);
                }
                break;
            case 14: ctx.addBytes(kNonce, p + 2, opt_end, 1); break;
            case 25:
                ctx.addLabel(kReserved, p + 2, p + 4, 1);
                ctx.addUint(kRdnssLifetime, p + 4, p + 8, b.u32(p + 4), 1);
                for (uint32_t a = p + 8; a + 16 <= opt_end; a += 16) ctx.addIpv6(kRdnss, a, 1);
                break;
            default: break;
        }
        p = opt_end;
    }
}

}  // namespace osilab::packet
