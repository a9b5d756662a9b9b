// ICMPv6 (OSI layer 3): errors and ping for IPv6, and much more than ICMP did for IPv4:
// neighbour discovery replaces ARP, router advertisements configure addresses, and MLD
// manages multicast groups.
#include <string>

#include "lab/packet/dissect_context.h"
#include "lab/packet/icmp_quote.h"
#include "lab/packet/icmpv6_options.h"
#include "lab/packet/internet_checksum.h"
#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

const FieldInfo kType{"icmpv6.type", "Type", "类型",
                      "Kind of message: 128/129 ping, 1-4 errors, 133-137 neighbour discovery, "
                      "130-132/143 multicast listeners",
                      "报文种类:128/129 ping,1-4 差错,133-137 邻居发现,130-132/143 组播侦听"};
const FieldInfo kCode{"icmpv6.code", "Code", "代码",
                      "Detail within the type, e.g. for unreachable: 4 port unreachable",
                      "类型下的细分,例如不可达时 4 表示端口不可达"};
const FieldInfo kChecksum{"icmpv6.checksum",
                          "Checksum",
                          "校验和",
                          "Checksum over the message and a pseudo-header with both IPv6 "
                          "addresses (mandatory in IPv6)",
                          "覆盖报文和包含两个 IPv6 地址的伪首部的校验和(IPv6 中必须有)",
                          NumberBase::Hex4};
const FieldInfo kChecksumStatus{"icmpv6.checksum.status", "Checksum Status", "校验和状态",
                                "Computed by OSI Lab: 1 the checksum is right, 0 it is wrong, 2 "
                                "it could not be checked (message incomplete)",
                                "由 OSI Lab 计算:1 校验和正确,0 错误,2 无法校验(报文不完整)"};
const FieldInfo kReserved{"icmpv6.reserved", "Reserved", "保留", "Unused bytes, sent as zero",
                          "未使用的字节,发送时为 0"};
const FieldInfo kMtu{"icmpv6.mtu", "MTU", "MTU",
                     "Largest packet the next link can carry; IPv6 routers never fragment, so "
                     "the sender must send smaller packets",
                     "下一段链路能承载的最大包长;IPv6 路由器从不分片,发送方必须改发更小的包"};
const FieldInfo kPointer{"icmpv6.pointer", "Pointer", "指针",
                         "Byte offset in the quoted packet where the problem was found",
                         "在引用的包中发现问题的字节偏移"};
const FieldInfo kEchoId{"icmpv6.echo.identifier",
                        "Identifier",
                        "标识符",
                        "Chosen by the pinging program to match replies to itself",
                        "由 ping 程序选定,用来认出发给自己的应答",
                        NumberBase::Hex4};
const FieldInfo kEchoSeq{"icmpv6.echo.sequence_number", "Sequence", "序号",
                         "Counts the pings: 1, 2, 3… so each reply can be matched to its request",
                         "ping 的计数:1、2、3……让每个应答都能对上它的请求"};
const FieldInfo kData{"icmpv6.data", "Data", "数据",
                      "Body of a message type OSI Lab does not decode",
                      "OSI Lab 不解析的报文类型的内容"};
// Neighbour discovery
const FieldInfo kRaHopLimit{"icmpv6.nd.ra.cur_hop_limit", "Cur hop limit", "当前跳数限制",
                            "Hop limit hosts on this link should put in their packets",
                            "这条链路上的主机应在包中使用的跳数限制"};
const FieldInfo kRaFlag{"icmpv6.nd.ra.flag",
                        "Flags",
                        "标志",
                        "Router advertisement flags: M, O, H, router preference, P",
                        "路由器通告标志:M、O、H、路由器优先级、P",
                        NumberBase::Hex2};
const FieldInfo kRaFlagM{"icmpv6.nd.ra.flag.m", "Managed address configuration", "受管地址配置",
                         "Set: get addresses from DHCPv6 instead of building them (SLAAC)",
                         "置位:从 DHCPv6 获取地址,而不是自行生成(SLAAC)"};
const FieldInfo kRaFlagO{"icmpv6.nd.ra.flag.o", "Other configuration", "其他配置",
                         "Set: get other settings (such as DNS servers) from DHCPv6",
                         "置位:从 DHCPv6 获取其他配置(如 DNS 服务器)"};
const FieldInfo kRaFlagH{"icmpv6.nd.ra.flag.h", "Home Agent", "家乡代理",
                         "Set when the router is also a Mobile IPv6 home agent",
                         "置位表示路由器同时是移动 IPv6 的家乡代理"};
const FieldInfo kRaFlagPrf{"icmpv6.nd.ra.flag.prf", "Prf (Default Router Preference)",
                           "默认路由器优先级",
                           "How much hosts should prefer this router: 1 high, 0 medium, 3 low",
                           "主机应多大程度优先选择这个路由器:1 高,0 中,3 低"};
const FieldInfo kRaFlagP{"icmpv6.nd.ra.flag.p", "Proxy", "代理",
                         "Set when the router proxies neighbour discovery for another link",
                         "置位表示路由器为另一条链路代理邻居发现"};
const FieldInfo kRaFlagRsv{"icmpv6.nd.ra.flag.rsv", "Reserved", "保留", "Unused bits, sent as zero",
                           "未使用的位,发送时为 0"};
const FieldInfo kRaLifetime{"icmpv6.nd.ra.router_lifetime", "Router lifetime (s)",
                            "路由器生存期(秒)",
                            "How long hosts may use this router as default gateway (0 = not a "
                            "default router)",
                            "主机可以把这个路由器用作默认网关的时长(0 表示不是默认路由器)"};
const FieldInfo kRaReachable{"icmpv6.nd.ra.reachable_time", "Reachable time (ms)", "可达时间(毫秒)",
                             "How long a neighbour counts as reachable after a confirmation",
                             "收到确认后邻居被视为可达的时长"};
const FieldInfo kRaRetrans{"icmpv6.nd.ra.retrans_timer", "Retrans timer (ms)", "重传定时器(毫秒)",
                           "Time between repeated neighbour solicitations",
                           "重复发送邻居请求的间隔"};
const FieldInfo kNsTarget{"icmpv6.nd.ns.target_address", "Target Address", "目标地址",
                          "The IPv6 address whose MAC address is wanted (IPv6's \"who has\")",
                          "想知道其 MAC 地址的 IPv6 地址(IPv6 版的“谁有”)"};
const FieldInfo kNaFlag{"icmpv6.nd.na.flag",
                        "Flags",
                        "标志",
                        "Neighbour advertisement flags: router, solicited, override",
                        "邻居通告标志:路由器、请求应答、覆盖",
                        NumberBase::Hex8};
const FieldInfo kNaFlagR{"icmpv6.nd.na.flag.r", "Router", "路由器",
                         "Set when the sender is a router", "置位表示发送方是路由器"};
const FieldInfo kNaFlagS{"icmpv6.nd.na.flag.s", "Solicited", "请求应答",
                         "Set when this answers a neighbour solicitation",
                         "置位表示这是对邻居请求的应答"};
const FieldInfo kNaFlagO{"icmpv6.nd.na.flag.o", "Override", "覆盖",
                         "Set when the receiver should replace the MAC address it has cached",
                         "置位表示接收方应替换其缓存的 MAC 地址"};
const FieldInfo kNaFlagRsv{"icmpv6.nd.na.flag.rsv", "Reserved", "保留", "Unused bits, sent as zero",
                           "未使用的位,发送时为 0"};
const FieldInfo kNaTarget{"icmpv6.nd.na.target_address", "Target Address", "目标地址",
                          "The IPv6 address this advertisement is about",
                          "这条通告所涉及的 IPv6 地址"};
const FieldInfo kRdTarget{"icmpv6.nd.rd.target_address", "Target Address", "目标地址",
                          "The better first hop to use for the destination below",
                          "发往下面目的地址时更好的第一跳"};
const FieldInfo kRdDest{"icmpv6.rd.na.destination_address", "Destination Address", "目的地址",
                        "The destination the redirect is about", "这次重定向所针对的目的地址"};
// Multicast listener discovery
const FieldInfo kMldMaxDelay{"icmpv6.mld.maximum_response_delay", "Maximum Response Delay [ms]",
                             "最大响应延迟(毫秒)",
                             "Listeners answer a query at a random time up to this delay",
                             "侦听者在不超过这个延迟的随机时刻应答查询"};
const FieldInfo kMldMaxCode{"icmpv6.mld.maximum_response_code", "Maximum Response Code",
                            "最大响应代码",
                            "Encoded maximum delay before listeners answer this MLDv2 query",
                            "编码后的最大延迟,侦听者在此之前应答这个 MLDv2 查询"};
const FieldInfo kMldAddr{"icmpv6.mld.multicast_address", "Multicast Address", "组播地址",
                         "The multicast group asked about or joined (:: = every group)",
                         "查询或加入的组播组(:: 表示所有组)"};
const FieldInfo kMldFlag{
    "icmpv6.mld.flag",         "Flags",         "标志", "MLDv2 query flags: S and QRV",
    "MLDv2 查询标志:S 和 QRV", NumberBase::Hex2};
const FieldInfo kMldFlagS{"icmpv6.mld.flag.s", "Suppress Router-Side Processing",
                          "抑制路由器端处理",
                          "Set: routers should not update their timers on this query",
                          "置位:路由器不应因这个查询更新定时器"};
const FieldInfo kMldFlagQrv{"icmpv6.mld.flag.qrv", "QRV (Querier's Robustness Variable)",
                            "查询者健壮性变量",
                            "How many times messages are repeated to survive packet loss",
                            "报文重复发送的次数,用来抵御丢包"};
const FieldInfo kMldFlagRsv{"icmpv6.mld.flag.reserved", "Reserved", "保留",
                            "Unused bits, sent as zero", "未使用的位,发送时为 0"};
const FieldInfo kMldQqi{"icmpv6.mld.qqi", "QQIC (Querier's Query Interval Code)", "查询间隔代码",
                        "How often the querier sends general queries", "查询者发送通用查询的频率"};
const FieldInfo kMldNbSources{"icmpv6.mld.nb_sources", "Number of Sources", "源地址数",
                              "How many source addresses the query lists",
                              "查询中列出的源地址个数"};
const FieldInfo kMldSource{"icmpv6.mld.source_address", "Source Address", "源地址",
                           "A sender the query is about", "查询所针对的发送方"};
const FieldInfo kMldrNbRecords{
    "icmpv6.mldr.nb_mcast_records", "Number of Multicast Address Records", "组播地址记录数",
    "How many group records this report carries", "这份报告包含的组记录个数"};
const FieldInfo kMar{"icmpv6.mldr.mar", "Multicast Address Record", "组播地址记录",
                     "One group this host listens to, and how", "本机侦听的一个组以及侦听方式"};
const FieldInfo kMarType{"icmpv6.mldr.mar.record_type", "Record Type", "记录类型",
                         "1/2 current state include/exclude, 3/4 changed to include/exclude "
                         "(4 with no sources = join, 3 = leave)",
                         "1/2 当前状态包含/排除,3/4 改为包含/排除(4 且无源表示加入,3 表示离开)"};
const FieldInfo kMarAuxLen{"icmpv6.mldr.mar.aux_data_len", "Aux Data Len", "辅助数据长度",
                           "Length of auxiliary data in 4-byte words (normally 0)",
                           "辅助数据的长度,以 4 字节为单位(通常为 0)"};
const FieldInfo kMarNbSources{"icmpv6.mldr.mar.nb_sources", "Number of Sources", "源地址数",
                              "How many source addresses this record lists",
                              "这条记录列出的源地址个数"};
const FieldInfo kMarAddr{"icmpv6.mldr.mar.multicast_address", "Multicast Address", "组播地址",
                         "The multicast group this record is about", "这条记录所涉及的组播组"};
const FieldInfo kMarSource{"icmpv6.mldr.mar.source_address", "Source Address", "源地址",
                           "A sender to include or exclude for this group",
                           "对这个组要包含或排除的发送方"};
const FieldInfo kMarAux{"icmpv6.mldr.mar.auxiliary_data", "Auxiliary Data", "辅助数据",
                        "Extra data after the record (no standard use)",
                        "记录之后的附加数据(无标准用途)"};

const char* typeName(uint8_t t) {
    switch (t) {
        case 1: return "Destination Unreachable";
        case 2: return "Packet Too Big";
        case 3: return "Time Exceeded";
        case 4: return "Parameter Problem";
        case 100:
        case 101:
        case 200:
        case 201: return "Private experimentation";
        case 127: return "Reserved for expansion of ICMPv6 error messages";
        case 128: return "Echo (ping) request";
        case 129: return "Echo (ping) reply";
        case 130: return "Multicast Listener Query";
        case 131: return "Multicast Listener Report";
        case 132: return "Multicast Listener Done";
        case 133: return "Router Solicitation";
        case 134: return "Router Advertisement";
        case 135: return "Neighbor Solicitation";
        case 136: return "Neighbor Advertisement";
        case 137: return "Redirect";
        case 138: return "Router Renumbering";
        case 139: return "ICMP Node Information Query";
        case 140: return "ICMP Node Information Response";
        case 141: return "Inverse Neighbor Discovery Solicitation Message";
        case 142: return "Inverse Neighbor Discovery Advertisement Message";
        case 143: return "Multicast Listener Report Message v2";
        case 144: return "Home Agent Address Discovery Request Message";
        case 145: return "Home Agent Address Discovery Reply Message";
        case 146: return "Mobile Prefix Solicitation";
        case 147: return "Mobile Prefix Advertisement";
        case 148: return "Certification Path Solicitation Message";
        case 149: return "Certification Path Advertisement Message";
        case 151: return "Multicast Router Advertisement";
        case 152: return "Multicast Router Solicitation";
        case 153: return "Multicast Router Termination";
        case 155: return "RPL Control Message";
        case 255: return "Reserved for expansion of ICMPv6 informational messages";
        default: return nullptr;
    }
}

// tshark 4.0's code names (their capitalisation included); nullptr if the type has none.
const char* codeName(uint8_t type, uint8_t code) {
    static const char* const kUnreach[8] = {"no route to destination",
                                            "Administratively prohibited",
                                            "Beyond scope of source address",
                                            "Address unreachable",
                                            "Port unreachable",
                                            "Source address failed ingress/egress policy",
                                            "Reject route to destination",
                                            "Error in Source Routing Header"};
    static const char* const kTime[2] = {"hop limit exceeded in transit",
                                         "fragment reassembly time exceeded"};
    static const char* const kParam[4] = {"erroneous header field encountered",
                                          "unrecognized Next Header type encountered",
                                          "unrecognized IPv6 option encountered",
                                          "IPv6 First Fragment has incomplete IPv6 Header Chain"};
    switch (type) {
        case 1: return code < 8 ? kUnreach[code] : "Unknown";
        case 3: return code < 2 ? kTime[code] : "Unknown";
        case 4: return code < 4 ? kParam[code] : "Unknown";
        case 138:
            return code == 0     ? "Command"
                   : code == 1   ? "Result"
                   : code == 255 ? "Sequence number reset"
                                 : "Unknown";
        default: return nullptr;
    }
}

bool isError(uint8_t type) {
    return type >= 1 && type <= 4;
}

// Verifies the checksum over the IPv6 pseudo-header (addresses, length, next header 58).
uint64_t checksumStatus(const DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    if (ctx.fragment || !carriedWhole(ctx, end) || ctx.net_src.family != 6) return 2;
    const uint32_t len = end - offset;
    uint64_t sum = checksumAdd(0, ctx.net_src.addr.data(), 16);
    sum = checksumAdd(sum, ctx.net_dst.addr.data(), 16);
    sum += (len >> 16) + (len & 0xffff) + 58;
    sum = checksumAdd(sum, b.data() + offset, len);
    return checksumFold(sum) == 0xffff ? 1 : 0;
}

void appendNaFlags(std::string& info, uint32_t flags) {
    info.append(" (");
    const size_t start = info.size();
    auto add = [&](bool on, const char* name) {
        if (!on) return;
        if (info.size() > start) info.append(", ");
        info.append(name);
    };
    add(flags & 0x80000000u, "rtr");
    add(flags & 0x40000000u, "sol");
    add(flags & 0x20000000u, "ovr");
    if (info.size() == start) info.append("none");
    info.push_back(')');
}

// The MLDv2 report's address records, bounded by the message length.
void dissectMldReport(DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    const uint16_t records = b.u16(offset + 6);
    ctx.addBytes(kReserved, offset + 4, offset + 6);
    ctx.addUint(kMldrNbRecords, offset + 6, offset + 8, records);
    uint32_t p = offset + 8;
    for (uint32_t i = 0; i < records && p + 20 <= end; ++i) {
        const uint32_t aux = b.u8(p + 1) * 4u, sources = b.u16(p + 2);
        const uint32_t rec_end = p + 20 + sources * 16 + aux;
        ctx.addLabel(kMar, p, rec_end < end ? rec_end : end);
        ctx.addUint(kMarType, p, p + 1, b.u8(p), 1);
        ctx.addUint(kMarAuxLen, p + 1, p + 2, b.u8(p + 1), 1);
        ctx.addUint(kMarNbSources, p + 2, p + 4, sources, 1);
        ctx.addIpv6(kMarAddr, p + 4, 1);
        for (uint32_t s = 0; s < sources && p + 36 + 16 * s <= end; ++s)
            ctx.addIpv6(kMarSource, p + 20 + 16 * s, 1);
        if (aux && rec_end <= end) ctx.addBytes(kMarAux, rec_end - aux, rec_end, 1);
        if (rec_end > end) {
            ctx.problem(ProblemKind::Truncated,
                        "The message ends inside a multicast address record");
            return;
        }
        p = rec_end;
    }
}

void dissectMldQuery(DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    const bool v2 = end - offset >= 28;
    ctx.addUint(v2 ? kMldMaxCode : kMldMaxDelay, offset + 4, offset + 6, b.u16(offset + 4));
    ctx.addBytes(kReserved, offset + 6, offset + 8);
    ctx.addIpv6(kMldAddr, offset + 8);
    if (!v2) return;
    const uint8_t flags = b.u8(offset + 24);
    ctx.addUint(kMldFlag, offset + 24, offset + 25, flags);
    ctx.addBool(kMldFlagS, offset + 24, offset + 25, flags & 0x08, 1);
    ctx.addUint(kMldFlagQrv, offset + 24, offset + 25, flags & 0x07, 1);
    ctx.addUint(kMldFlagRsv, offset + 24, offset + 25, flags >> 4, 1);
    ctx.addUint(kMldQqi, offset + 25, offset + 26, b.u8(offset + 25));
    const uint16_t sources = b.u16(offset + 26);
    ctx.addUint(kMldNbSources, offset + 26, offset + 28, sources);
    for (uint32_t s = 0; s < sources && offset + 44 + 16 * s <= end; ++s)
        ctx.addIpv6(kMldSource, offset + 28 + 16 * s);
}

}  // namespace

void dissectIcmpv6(DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    if (end > b.size()) end = b.size();
    ctx.beginLayer(OsiLayer::Network, Protocol::Icmpv6, offset, end);
    if (ctx.ownsSummary()) ctx.out.summary.protocol = Protocol::Icmpv6;
    auto have = [&](uint32_t at, uint32_t n) { return at + n <= end && b.has(at, n); };
    if (!have(offset, 4)) {
        if (have(offset, 1))
            ctx.addUint(kType, offset, offset + 1, b.u8(offset), 0, typeName(b.u8(offset)));
        if (have(offset + 1, 1)) ctx.addUint(kCode, offset + 1, offset + 2, b.u8(offset + 1));
        ctx.problem(ProblemKind::Truncated,
                    "The packet ends inside the 4-byte ICMPv6 header (type, code, checksum)");
        return;
    }
    const uint8_t type = b.u8(offset), code = b.u8(offset + 1);
    const uint32_t len = end - offset;
    ctx.addUint(kType, offset, offset + 1, type, 0, typeName(type));
    ctx.addUint(kCode, offset + 1, offset + 2, code, 0, codeName(type, code));
    ctx.addUint(kChecksum, offset + 2, offset + 4, b.u16(offset + 2));
    if (ctx.ownsSummary()) {
        const uint64_t status = checksumStatus(ctx, offset, end);
        ctx.addUint(kChecksumStatus, offset + 2, offset + 2, status);
        if (status == 0)
            ctx.problem(ProblemKind::Malformed,
                        "The ICMPv6 checksum is wrong: the message was damaged on the way");
    }

    // The Info column: type name, then what each message type adds.
    std::string* info = nullptr;
    if (ctx.ownsSummary()) {
        info = &ctx.out.summary.info;
        info->clear();
        const char* name = typeName(type);
        if (name) {
            info->append(name);
        } else {
            info->append("Unknown ICMPv6 type (");
            appendUint(*info, type);
            info->push_back(')');
        }
        if (const char* c = codeName(type, code)) {
            info->append(" (");
            info->append(c);
            info->push_back(')');
        }
    }

    uint32_t options = 0;  // where neighbour discovery options start, if the type has them
    uint32_t body_end = offset + 8;
    const bool have_rest = have(offset + 4, 4);
    if (have_rest) {
        switch (type) {
            case 1:
            case 3: ctx.addBytes(kReserved, offset + 4, offset + 8); break;
            case 2: ctx.addUint(kMtu, offset + 4, offset + 8, b.u32(offset + 4)); break;
            case 4: ctx.addUint(kPointer, offset + 4, offset + 8, b.u32(offset + 4)); break;
            case 128:
            case 129: {
                const uint16_t id = b.u16(offset + 4), seq = b.u16(offset + 6);
                ctx.addUint(kEchoId, offset + 4, offset + 6, id);
                ctx.addUint(kEchoSeq, offset + 6, offset + 8, seq);
                if (info) {
                    info->append(" id=0x");
                    appendHex(*info, id, 4);
                    info->append(", seq=");
                    appendUint(*info, seq);
                    const int hlim = carryingHopLimit(ctx);
                    if (hlim >= 0) {
                        info->append(", hop limit=");
                        appendUint(*info, static_cast<unsigned>(hlim));
                    }
                }
                break;
            }
            case 133:
                ctx.addBytes(kReserved, offset + 4, offset + 8);
                options = offset + 8;
                break;
            case 134:
                if (!have(offset + 4, 12)) break;
                {
                    const uint8_t flags = b.u8(offset + 5);
                    ctx.addUint(kRaHopLimit, offset + 4, offset + 5, b.u8(offset + 4));
                    ctx.addUint(kRaFlag, offset + 5, offset + 6, flags);
                    ctx.addBool(kRaFlagM, offset + 5, offset + 6, flags & 0x80, 1);
                    ctx.addBool(kRaFlagO, offset + 5, offset + 6, flags & 0x40, 1);
                    ctx.addBool(kRaFlagH, offset + 5, offset + 6, flags & 0x20, 1);
                    static const char* const kPrf[4] = {"Medium", "High", "Reserved", "Low"};
                    ctx.addUint(kRaFlagPrf, offset + 5, offset + 6, (flags >> 3) & 3, 1,
                                kPrf[(flags >> 3) & 3]);
                    ctx.addBool(kRaFlagP, offset + 5, offset + 6, flags & 0x04, 1);
                    ctx.addUint(kRaFlagRsv, offset + 5, offset + 6, flags & 0x03, 1);
                    ctx.addUint(kRaLifetime, offset + 6, offset + 8, b.u16(offset + 6));
                    ctx.addUint(kRaReachable, offset + 8, offset + 12, b.u32(offset + 8));
                    ctx.addUint(kRaRetrans, offset + 12, offset + 16, b.u32(offset + 12));
                    options = offset + 16;
                }
                break;
            case 135:
                if (!have(offset + 4, 20)) break;
                ctx.addBytes(kReserved, offset + 4, offset + 8);
                ctx.addIpv6(kNsTarget, offset + 8);
                if (info) {
                    info->append(" for ");
                    appendIpv6(*info, b.data() + offset + 8);
                }
                options = offset + 24;
                break;
            case 136:
                if (!have(offset + 4, 20)) break;
                {
                    const uint32_t flags = b.u32(offset + 4);
                    ctx.addUint(kNaFlag, offset + 4, offset + 8, flags);
                    ctx.addBool(kNaFlagR, offset + 4, offset + 8, flags & 0x80000000u, 1);
                    ctx.addBool(kNaFlagS, offset + 4, offset + 8, flags & 0x40000000u, 1);
                    ctx.addBool(kNaFlagO, offset + 4, offset + 8, flags & 0x20000000u, 1);
                    ctx.addUint(kNaFlagRsv, offset + 4, offset + 8, flags & 0x1fffffffu, 1);
                    ctx.addIpv6(kNaTarget, offset + 8);
                    if (info) {
                        info->push_back(' ');
                        appendIpv6(*info, b.data() + offset + 8);
                        appendNaFlags(*info, flags);
                    }
                    options = offset + 24;
                }
                break;
            case 137:
                if (!have(offset + 4, 36)) break;
                ctx.addBytes(kReserved, offset + 4, offset + 8);
                ctx.addIpv6(kRdTarget, offset + 8);
                ctx.addIpv6(kRdDest, offset + 24);
                options = offset + 40;
                break;
            case 130:
                if (have(offset + 4, 20)) dissectMldQuery(ctx, offset, end);
                body_end = end;
                break;
            case 131:
            case 132:
                if (!have(offset + 4, 20)) break;
                ctx.addUint(kMldMaxDelay, offset + 4, offset + 6, b.u16(offset + 4));
                ctx.addBytes(kReserved, offset + 6, offset + 8);
                ctx.addIpv6(kMldAddr, offset + 8);
                body_end = offset + 24;
                break;
            case 143:
                dissectMldReport(ctx, offset, end);
                body_end = end;
                break;
            default:
                // Types Wireshark decodes (router renumbering, node information…) are left
                // without a body field rather than named differently from tshark.
                if (len > 4 && (typeName(type) == nullptr || type == 100 || type == 101 ||
                                type == 200 || type == 201))
                    ctx.addBytes(kData, offset + 4, end);
                body_end = end;
                break;
        }
    }
    if (!have_rest) {
        ctx.problem(ProblemKind::Truncated, "The packet ends inside the 8-byte ICMPv6 header");
        return;
    }
    if (options) {
        if (options > end) {
            ctx.problem(ProblemKind::Truncated, "The packet ends inside the ICMPv6 message body");
            return;
        }
        dissectNdOptions(ctx, options, end, info);
        return;
    }
    if (isError(type)) {
        if (ctx.nesting == 0) dissectQuotedDatagram(ctx, offset + 8, end, /*ipv6=*/true);
        return;
    }
    // Echo carries data the sender chose; other bodies were decoded or shown above.
    if (body_end < end) {
        ctx.setLayerEnd(body_end);
        dissectData(ctx, body_end, end);
    }
}

}  // namespace osilab::packet
