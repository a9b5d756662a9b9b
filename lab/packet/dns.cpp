// DNS (RFC 1035; EDNS RFC 6891): the header, the questions and the resource records, over UDP
// or over TCP with its 2-byte length prefix.
#include <string>

#include "lab/packet/dissect_context.h"
#include "lab/packet/dns_names.h"
#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

constexpr uint32_t kHeader = 12;
// tshark's columns hold at most 4095 characters; a hostile message can list thousands of
// records, so the Info text stops growing there too.
constexpr size_t kMaxInfo = 4095;

// ---- field descriptions ----------------------------------------------------------------------
const FieldInfo kLength{"dns.length", "Length", "长度",
                        "Over TCP a DNS message starts with its length, since TCP is a byte stream "
                        "without message boundaries",
                        "在 TCP 上 DNS 消息以自身长度开头,因为 TCP 是没有消息边界的字节流"};
const FieldInfo kId{"dns.id",
                    "Transaction ID",
                    "事务 ID",
                    "Chosen by the client; the answer repeats it so the client can match them",
                    "由客户端选择;回答中会重复它,这样客户端能把问答对上",
                    NumberBase::Hex4};
const FieldInfo kFlags{"dns.flags",
                       "Flags",
                       "标志",
                       "Query or response, the kind of operation, and how it went",
                       "是查询还是响应、操作类型,以及结果如何",
                       NumberBase::Hex4};
const FieldInfo kFlagResponse{"dns.flags.response", "Response", "响应",
                              "0 for a question from a client, 1 for the server's answer",
                              "0 表示客户端的查询,1 表示服务器的回答"};
const FieldInfo kFlagOpcode{"dns.flags.opcode", "Opcode", "操作码",
                            "Kind of request: 0 is an ordinary query", "请求的类型:0 是普通查询"};
const FieldInfo kFlagAuthoritative{"dns.flags.authoritative", "Authoritative", "权威回答",
                                   "Set when the answering server is responsible for this name",
                                   "回答的服务器就是这个域名的负责者时置位"};
const FieldInfo kFlagTruncated{"dns.flags.truncated", "Truncated", "已截断",
                               "The answer did not fit; the client should ask again over TCP",
                               "回答放不下;客户端应改用 TCP 重新查询"};
const FieldInfo kFlagRecDesired{"dns.flags.recdesired", "Recursion desired", "期望递归",
                                "The client asks the server to find the answer for it, asking "
                                "other servers if needed",
                                "客户端请服务器替它找到答案,必要时去问其他服务器"};
const FieldInfo kFlagRecAvail{"dns.flags.recavail", "Recursion available", "可以递归",
                              "The server is willing to do such recursive lookups",
                              "服务器愿意执行这种递归查询"};
const FieldInfo kFlagZ{"dns.flags.z", "Z", "保留位 Z", "Reserved; must be 0", "保留位;必须为 0"};
const FieldInfo kFlagAuthenticated{
    "dns.flags.authenticated", "Authenticated data", "已验证数据 (AD)",
    "DNSSEC: the data was cryptographically verified", "DNSSEC:数据已经过密码学验证"};
const FieldInfo kFlagCheckDisable{"dns.flags.checkdisable", "Checking disabled", "禁用检查 (CD)",
                                  "DNSSEC: the client asks the server not to verify signatures",
                                  "DNSSEC:客户端请服务器不要验证签名"};
const FieldInfo kFlagRcode{"dns.flags.rcode", "Reply code", "应答码",
                           "How the query went: 0 no error, 3 no such name…",
                           "查询结果:0 没有错误,3 域名不存在……"};
const FieldInfo kQdCount{"dns.count.queries", "Questions", "问题数", "How many questions follow",
                         "后面有几个问题"};
const FieldInfo kAnCount{"dns.count.answers", "Answer RRs", "回答记录数",
                         "How many answer records follow", "后面有几条回答记录"};
const FieldInfo kNsCount{"dns.count.auth_rr", "Authority RRs", "权威记录数",
                         "How many records name the servers responsible for the zone",
                         "有几条记录指出负责该区域的服务器"};
const FieldInfo kArCount{"dns.count.add_rr", "Additional RRs", "附加记录数",
                         "How many extra records follow (helpful addresses, EDNS options)",
                         "后面有几条附加记录(有用的地址、EDNS 选项)"};
const FieldInfo kZoCount{"dns.count.zones", "Zones", "区域数",
                         "Dynamic update: how many zones are updated (normally 1)",
                         "动态更新:要更新几个区域(通常为 1)"};
const FieldInfo kPrCount{"dns.count.prerequisites", "Prerequisites", "前提条件数",
                         "Dynamic update: records that must (not) exist for the update to apply",
                         "动态更新:更新生效前必须存在(或不存在)的记录"};
const FieldInfo kUpCount{"dns.count.updates", "Updates", "更新数",
                         "Dynamic update: records to add or delete", "动态更新:要添加或删除的记录"};
const FieldInfo kQueries{"dns.osilab.queries", "Queries", "查询",
                         "The questions: a name, the record type wanted and the class",
                         "问题:域名、想要的记录类型和类别"};
const FieldInfo kAnswers{"dns.osilab.answers", "Answers", "回答",
                         "Records that answer the question", "回答问题的记录"};
const FieldInfo kAuthorities{
    "dns.osilab.authorities", "Authoritative nameservers", "权威名称服务器",
    "Records naming the servers responsible for the name", "指出负责该域名的服务器的记录"};
const FieldInfo kAdditionals{"dns.osilab.additionals", "Additional records", "附加记录",
                             "Extra records the server adds to save further questions",
                             "服务器附带的额外记录,省去后续查询"};
const FieldInfo kQryName{"dns.qry.name", "Name", "域名",
                         "The domain name asked about; on the wire each label is preceded by its "
                         "length",
                         "要查询的域名;在报文中每个标签前面都有它的长度"};
const FieldInfo kQryNameLen{"dns.qry.name.len", "Name Length", "域名长度",
                            "Length of the name in characters", "域名的字符数"};
const FieldInfo kLabelCount{"dns.count.labels", "Label Count", "标签数",
                            "How many dot-separated labels the name has",
                            "域名有几个用点分隔的标签"};
const FieldInfo kQryType{"dns.qry.type", "Type", "类型",
                         "Which record is wanted: A for an IPv4 address, AAAA for IPv6, MX for "
                         "mail…",
                         "想要哪种记录:A 是 IPv4 地址,AAAA 是 IPv6 地址,MX 是邮件服务器……"};
const FieldInfo kQryClass{
    "dns.qry.class",       "Class",         "类别", "Almost always IN (Internet)",
    "几乎总是 IN(互联网)", NumberBase::Hex4};
const FieldInfo kRespName{"dns.resp.name", "Name", "域名",
                          "The domain name this record is about (often a 2-byte pointer to a name "
                          "written earlier)",
                          "这条记录所描述的域名(常常是指向前面已写过的域名的 2 字节指针)"};
const FieldInfo kRespType{"dns.resp.type", "Type", "类型",
                          "The kind of record: A, AAAA, CNAME, MX, NS…",
                          "记录的种类:A、AAAA、CNAME、MX、NS……"};
const FieldInfo kRespClass{
    "dns.resp.class",      "Class",         "类别", "Almost always IN (Internet)",
    "几乎总是 IN(互联网)", NumberBase::Hex4};
const FieldInfo kRespTtl{"dns.resp.ttl", "Time to live", "生存时间 (TTL)",
                         "How many seconds others may keep this record in their cache",
                         "其他人可以把这条记录缓存多少秒"};
const FieldInfo kRespLen{"dns.resp.len", "Data length", "数据长度",
                         "Length of the record's data in bytes", "记录数据的字节数"};
const FieldInfo kA{"dns.a", "Address", "地址", "The IPv4 address of the name",
                   "该域名的 IPv4 地址"};
const FieldInfo kAaaa{"dns.aaaa", "AAAA Address", "AAAA 地址", "The IPv6 address of the name",
                      "该域名的 IPv6 地址"};
const FieldInfo kCname{"dns.cname", "CNAME", "规范名称",
                       "The name is an alias; this is the real (canonical) name to look up",
                       "该域名是别名;这是要继续查询的真实(规范)名称"};
const FieldInfo kNs{"dns.ns", "Name Server", "名称服务器", "A server responsible for this zone",
                    "负责这个区域的服务器"};
const FieldInfo kPtr{"dns.ptr.domain_name", "Domain Name", "域名",
                     "The name belonging to an address (reverse lookup)",
                     "某个地址对应的域名(反向查询)"};
const FieldInfo kMxPref{"dns.mx.preference", "Preference", "优先级",
                        "Lower numbers are tried first", "数值越小越先尝试"};
const FieldInfo kMxExchange{"dns.mx.mail_exchange", "Mail Exchange", "邮件服务器",
                            "A server that accepts mail for this domain",
                            "接收这个域名邮件的服务器"};
const FieldInfo kTxtLen{"dns.txt.length", "TXT Length", "TXT 长度",
                        "Length of the next text string (1 byte, so at most 255)",
                        "下一段文本的长度(1 字节,所以最多 255)"};
const FieldInfo kTxt{"dns.txt", "TXT", "文本", "Free-form text published for the name",
                     "为该域名发布的任意文本"};
const FieldInfo kSoaMname{"dns.soa.mname", "Primary name server", "主名称服务器",
                          "The zone's primary server", "该区域的主服务器"};
const FieldInfo kSoaRname{"dns.soa.rname", "Responsible authority's mailbox", "负责人邮箱",
                          "The administrator's mail address, with the @ written as a dot",
                          "管理员的邮件地址,其中 @ 写成了点"};
const FieldInfo kSoaSerial{"dns.soa.serial_number", "Serial Number", "序列号",
                           "Version of the zone; secondaries copy it when it grows",
                           "区域的版本号;它增大时辅助服务器会重新复制"};
const FieldInfo kSoaRefresh{"dns.soa.refresh_interval", "Refresh Interval", "刷新间隔",
                            "Seconds between checks for a new version", "两次检查新版本之间的秒数"};
const FieldInfo kSoaRetry{"dns.soa.retry_interval", "Retry Interval", "重试间隔",
                          "Seconds to wait after a failed check", "检查失败后等待的秒数"};
const FieldInfo kSoaExpire{"dns.soa.expire_limit", "Expire limit", "过期时限",
                           "Seconds after which a secondary stops answering without contact",
                           "辅助服务器失去联系多少秒后停止回答"};
const FieldInfo kSoaMinimum{"dns.soa.minimum_ttl", "Minimum TTL", "最小 TTL",
                            "How long others may cache a 'no such name' answer",
                            "其他人可以把“域名不存在”的回答缓存多久"};
const FieldInfo kSrvService{"dns.srv.service", "Service", "服务",
                            "The service asked for, e.g. _http", "所查询的服务,例如 _http"};
const FieldInfo kSrvProto{"dns.srv.proto", "Protocol", "协议", "The transport, _tcp or _udp",
                          "传输协议,_tcp 或 _udp"};
const FieldInfo kSrvName{"dns.srv.name", "Name", "域名", "The domain offering the service",
                         "提供该服务的域名"};
const FieldInfo kSrvPriority{"dns.srv.priority", "Priority", "优先级",
                             "Lower numbers are tried first", "数值越小越先尝试"};
const FieldInfo kSrvWeight{"dns.srv.weight", "Weight", "权重",
                           "Share of the load among servers of equal priority",
                           "同一优先级的服务器之间分担负载的比例"};
const FieldInfo kSrvPort{"dns.srv.port", "Port", "端口", "The port the service listens on",
                         "服务监听的端口"};
const FieldInfo kSrvTarget{"dns.srv.target", "Target", "目标", "The host that runs the service",
                           "运行该服务的主机"};
const FieldInfo kUdpPayloadSize{"dns.rr.udp_payload_size", "UDP payload size", "UDP 负载大小",
                                "EDNS: the largest UDP answer the sender can take",
                                "EDNS:发送方能接收的最大 UDP 回答"};
const FieldInfo kExtRcode{"dns.resp.ext_rcode",    "Higher bits in extended RCODE",
                          "扩展应答码高位",        "EDNS: more bits for the reply code",
                          "EDNS:应答码的额外高位", NumberBase::Hex2};
const FieldInfo kEdnsVersion{"dns.resp.edns0_version", "EDNS0 version", "EDNS0 版本",
                             "Version of the EDNS extension (0)", "EDNS 扩展的版本(0)"};
const FieldInfo kEdnsZ{"dns.resp.z", "Z", "Z 标志", "EDNS flags", "EDNS 标志", NumberBase::Hex4};
const FieldInfo kEdnsDo{"dns.resp.z.do", "DO bit", "DO 位",
                        "DNSSEC OK: the sender wants DNSSEC signatures too",
                        "DNSSEC OK:发送方也想要 DNSSEC 签名"};
const FieldInfo kEdnsZReserved{"dns.resp.z.reserved",     "Reserved",           "保留",
                               "Reserved EDNS flag bits", "保留的 EDNS 标志位", NumberBase::Hex4};
const FieldInfo kOpt{"dns.opt", "Option", "选项", "One EDNS option: code, length, data",
                     "一个 EDNS 选项:代码、长度、数据"};
const FieldInfo kOptCode{"dns.opt.code", "Option Code", "选项代码",
                         "Which EDNS option this is (10 = COOKIE…)",
                         "这是哪个 EDNS 选项(10 = COOKIE……)"};
const FieldInfo kOptLen{"dns.opt.len", "Option Length", "选项长度", "Length of the option's data",
                        "选项数据的长度"};
const FieldInfo kOptData{"dns.opt.data", "Option Data", "选项数据", "The option's bytes",
                         "选项的字节"};
const FieldInfo kCookieClient{"dns.opt.cookie.client", "Client Cookie", "客户端 Cookie",
                              "8 random bytes that let the client recognise genuine answers",
                              "8 个随机字节,让客户端识别真正的回答"};
const FieldInfo kCookieServer{"dns.opt.cookie.server", "Server Cookie", "服务器 Cookie",
                              "The server's cookie, echoed by the client in later queries",
                              "服务器的 cookie,客户端会在以后的查询中带上"};

enum : uint16_t {
    kTypeA = 1,
    kTypeNs = 2,
    kTypeCname = 5,
    kTypeSoa = 6,
    kTypePtr = 12,
    kTypeMx = 15,
    kTypeTxt = 16,
    kTypeAaaa = 28,
    kTypeSrv = 33,
    kTypeOpt = 41
};

struct Message {
    DissectContext& ctx;
    uint32_t begin, end;  // the DNS message (after the TCP length prefix)
    bool summary;
    DnsName name;  // scratch for the name being read (no allocation)
};

void appendTypeShort(std::string& info, uint16_t type) {
    if (const char* s = dnsTypeShort(type)) {
        info.append(s);
    } else {
        info.append("Unknown (");
        appendUint(info, type);
        info.push_back(')');
    }
}

// Reads the name at p into m.name; records a Problem and returns false when parsing must stop.
bool readName(Message& m, uint32_t p) {
    readDnsName(m.ctx.bytes, m.begin, m.end, p, m.name);
    if (const char* problem = dnsNameProblem(m.name.status))
        m.ctx.problem(m.name.usable() ? ProblemKind::Unusual : ProblemKind::Malformed, problem);
    return m.name.usable();
}

void addNameText(Message& m, const FieldInfo& info, uint32_t begin, uint32_t end, uint8_t depth) {
    if (m.ctx.wantFields()) m.ctx.addOwnedText(info, begin, end, m.name.view(), depth);
}

void truncatedRecords(Message& m, const char* what, uint32_t count, uint32_t done) {
    std::string msg = "the header announces ";
    appendUint(msg, count);
    msg.push_back(' ');
    msg.append(what);
    msg.append(", but the message ends after ");
    appendUint(msg, done);
    m.ctx.problem(ProblemKind::Truncated, std::move(msg));
}

// Returns the offset after the question, or 0 when parsing must stop.
uint32_t dissectQuestion(Message& m, uint32_t p) {
    if (!readName(m, p)) return 0;
    const uint32_t name_end = m.name.wire_end;
    if (name_end + 4 > m.end) {
        m.ctx.problem(ProblemKind::Truncated,
                      "the message ends inside a question's type and class");
        return 0;
    }
    const ByteReader& b = m.ctx.bytes;
    const uint16_t type = b.u16(name_end), cls = b.u16(name_end + 2);
    addNameText(m, kQryName, p, name_end, 1);
    m.ctx.addUint(kQryNameLen, p, name_end, m.name.raw_len, 1);
    m.ctx.addUint(kLabelCount, p, name_end, m.name.labels, 1);
    m.ctx.addUint(kQryType, name_end, name_end + 2, type, 1, dnsTypeLong(type));
    m.ctx.addUint(kQryClass, name_end + 2, name_end + 4, cls, 1, dnsClassName(cls));
    if (m.summary && m.ctx.out.summary.info.size() < kMaxInfo) {
        std::string& info = m.ctx.out.summary.info;
        info.push_back(' ');
        appendTypeShort(info, type);
        info.push_back(' ');
        info.append(m.name.view());
    }
    return name_end + 4;
}

// A name inside record data: it must end inside the data. Returns its end or 0.
uint32_t rdataName(Message& m, uint32_t p, uint32_t rdata_end, const FieldInfo& info) {
    if (!readName(m, p)) return 0;
    if (m.name.wire_end > rdata_end) {
        m.ctx.problem(ProblemKind::Malformed,
                      "a domain name runs past the end of its record's data");
        return 0;
    }
    addNameText(m, info, p, m.name.wire_end, 1);
    return m.name.wire_end;
}

void dissectEdnsOptions(Message& m, uint32_t p, uint32_t end) {
    const ByteReader& b = m.ctx.bytes;
    while (p + 4 <= end) {  // each option moves p forward by at least 4 bytes
        const uint16_t code = b.u16(p), len = b.u16(p + 2);
        const uint32_t data = p + 4;
        if (len > end - data) {
            m.ctx.problem(ProblemKind::Malformed,
                          "an EDNS option is longer than the record data that holds it");
            return;
        }
        m.ctx.addLabel(kOpt, p, data + len, 1);
        m.ctx.addUint(kOptCode, p, p + 2, code, 2, dnsOptionName(code));
        m.ctx.addUint(kOptLen, p + 2, p + 4, len, 2);
        if (len > 0) m.ctx.addBytes(kOptData, data, data + len, 2);
        if (code == 10 && len >= 8) {
            m.ctx.addBytes(kCookieClient, data, data + 8, 2);
            if (len > 8) m.ctx.addBytes(kCookieServer, data + 8, data + len, 2);
        }
        p = data + len;
    }
}

// Returns the offset after the record, or 0 when parsing must stop.
uint32_t dissectRecord(Message& m, uint32_t p) {
    const ByteReader& b = m.ctx.bytes;
    if (!readName(m, p)) return 0;
    const uint32_t name_end = m.name.wire_end;
    if (name_end + 10 > m.end) {
        m.ctx.problem(ProblemKind::Truncated,
                      "the message ends inside a record's type, class, TTL and length");
        return 0;
    }
    const uint16_t type = b.u16(name_end), cls = b.u16(name_end + 2);
    const uint32_t ttl = b.u32(name_end + 4);
    const uint16_t rdlen = b.u16(name_end + 8);
    const uint32_t rdata = name_end + 10;
    const uint32_t rdata_end = rdata + rdlen;
    if (rdata_end > m.end) {
        m.ctx.problem(ProblemKind::Truncated,
                      "a record says its data is longer than what is left of the message");
        return 0;
    }
    std::string* info =
        m.summary && m.ctx.out.summary.info.size() < kMaxInfo ? &m.ctx.out.summary.info : nullptr;
    if (info) {
        info->push_back(' ');
        appendTypeShort(*info, type);
    }

    // The owner name; SRV names (_service._proto.name) are split as tshark splits them.
    std::string_view owner = m.name.view();
    size_t dot1 = owner.find('.'),
           dot2 = dot1 == owner.npos ? owner.npos : owner.find('.', dot1 + 1);
    if (type == kTypeSrv && m.name.status == DnsName::Status::Ok && dot2 != owner.npos) {
        if (m.ctx.wantFields()) {
            m.ctx.addOwnedText(kSrvService, p, name_end, std::string(owner.substr(0, dot1)), 1);
            m.ctx.addOwnedText(kSrvProto, p, name_end,
                               std::string(owner.substr(dot1 + 1, dot2 - dot1 - 1)), 1);
            m.ctx.addOwnedText(kSrvName, p, name_end, std::string(owner.substr(dot2 + 1)), 1);
        }
    } else {
        addNameText(m, kRespName, p, name_end, 1);
    }
    m.ctx.addUint(kRespType, name_end, name_end + 2, type, 1, dnsTypeLong(type));
    if (type == kTypeOpt) {
        m.ctx.addUint(kUdpPayloadSize, name_end + 2, name_end + 4, cls, 1);
        m.ctx.addUint(kExtRcode, name_end + 4, name_end + 5, ttl >> 24, 1);
        m.ctx.addUint(kEdnsVersion, name_end + 5, name_end + 6, (ttl >> 16) & 0xff, 1);
        m.ctx.addUint(kEdnsZ, name_end + 6, name_end + 8, ttl & 0xffff, 1);
        m.ctx.addBool(kEdnsDo, name_end + 6, name_end + 8, ttl & 0x8000, 2);
        m.ctx.addUint(kEdnsZReserved, name_end + 6, name_end + 8, ttl & 0x7fff, 2);
    } else {
        m.ctx.addUint(kRespClass, name_end + 2, name_end + 4, cls, 1, dnsClassName(cls));
        m.ctx.addUint(kRespTtl, name_end + 4, name_end + 8, ttl, 1);
    }
    m.ctx.addUint(kRespLen, name_end + 8, name_end + 10, rdlen, 1);

    switch (type) {
        case kTypeA:
            if (rdlen == 4) {
                m.ctx.addIpv4(kA, rdata, 1);
                if (info) {
                    info->push_back(' ');
                    appendIpv4(*info, b.u32(rdata));
                }
            }
            break;
        case kTypeAaaa:
            if (rdlen == 16) {
                m.ctx.addIpv6(kAaaa, rdata, 1);
                if (info) {
                    info->push_back(' ');
                    appendIpv6(*info, b.data() + rdata);
                }
            }
            break;
        case kTypeCname:
        case kTypeNs:
        case kTypePtr: {
            const FieldInfo& f = type == kTypeCname ? kCname : type == kTypeNs ? kNs : kPtr;
            if (!rdataName(m, rdata, rdata_end, f)) return 0;
            if (info) {
                info->push_back(' ');
                info->append(m.name.view());
            }
            break;
        }
        case kTypeMx:
            if (rdlen < 3) break;
            m.ctx.addUint(kMxPref, rdata, rdata + 2, b.u16(rdata), 1);
            if (!rdataName(m, rdata + 2, rdata_end, kMxExchange)) return 0;
            if (info) {
                info->push_back(' ');
                appendUint(*info, b.u16(rdata));
                info->push_back(' ');
                info->append(m.name.view());
            }
            break;
        case kTypeSrv:
            if (rdlen < 7) break;
            m.ctx.addUint(kSrvPriority, rdata, rdata + 2, b.u16(rdata), 1);
            m.ctx.addUint(kSrvWeight, rdata + 2, rdata + 4, b.u16(rdata + 2), 1);
            m.ctx.addUint(kSrvPort, rdata + 4, rdata + 6, b.u16(rdata + 4), 1);
            if (!rdataName(m, rdata + 6, rdata_end, kSrvTarget)) return 0;
            if (info) {
                for (uint32_t at = rdata; at < rdata + 6; at += 2) {
                    info->push_back(' ');
                    appendUint(*info, b.u16(at));
                }
                info->push_back(' ');
                info->append(m.name.view());
            }
            break;
        case kTypeSoa: {
            if (!rdataName(m, rdata, rdata_end, kSoaMname)) return 0;
            const uint32_t rname = m.name.wire_end;
            if (info) {
                info->push_back(' ');
                info->append(m.name.view());
            }
            if (!rdataName(m, rname, rdata_end, kSoaRname)) return 0;
            const uint32_t numbers = m.name.wire_end;
            if (numbers + 20 > rdata_end) break;
            const FieldInfo* fields[] = {&kSoaSerial, &kSoaRefresh, &kSoaRetry, &kSoaExpire,
                                         &kSoaMinimum};
            for (uint32_t i = 0; i < 5; ++i)
                m.ctx.addUint(*fields[i], numbers + 4 * i, numbers + 4 * i + 4,
                              b.u32(numbers + 4 * i), 1);
            break;
        }
        case kTypeTxt:
            for (uint32_t q = rdata; q < rdata_end;) {  // each string moves q forward
                const uint8_t len = b.u8(q);
                if (q + 1 + len > rdata_end) {
                    m.ctx.problem(ProblemKind::Malformed,
                                  "a TXT string is longer than the record data that holds it");
                    break;
                }
                m.ctx.addUint(kTxtLen, q, q + 1, len, 1);
                m.ctx.addFrameText(kTxt, q + 1, q + 1 + len, 1);
                q += 1u + len;
            }
            break;
        case kTypeOpt: dissectEdnsOptions(m, rdata, rdata_end); break;
        default: break;
    }
    return rdata_end;
}

// The sections, in order. Each record consumes message bytes, so the loops end with the
// message even when the counts in the header are huge.
void dissectSections(Message& m, const uint16_t (&counts)[4], uint32_t p) {
    static const FieldInfo* const kSections[4] = {&kQueries, &kAnswers, &kAuthorities,
                                                  &kAdditionals};
    static const char* const kWhat[4] = {"questions", "answers", "authority records",
                                         "additional records"};
    DissectContext& ctx = m.ctx;
    const uint32_t msg_end = m.end;
    for (int section = 0; section < 4; ++section) {
        if (counts[section] == 0) continue;
        const uint32_t label_index = static_cast<uint32_t>(ctx.out.fields.size());
        ctx.addLabel(*kSections[section], p, p);
        for (uint32_t i = 0; i < counts[section]; ++i) {
            uint32_t next =
                p < msg_end ? (section == 0 ? dissectQuestion(m, p) : dissectRecord(m, p)) : 0;
            if (next == 0) {  // the record's own problem is recorded already, unless none began
                if (p >= msg_end) truncatedRecords(m, kWhat[section], counts[section], i);
                // tshark reads past the end (or into a bad label) here and says so in Info.
                if (m.summary && m.name.status != DnsName::Status::TooLong &&
                    m.name.status != DnsName::Status::PointerLoop)
                    ctx.out.summary.info.append("[Malformed Packet]");
                if (ctx.wantFields() && label_index < ctx.out.fields.size())
                    ctx.out.fields[label_index].end = p;
                return;
            }
            p = next;
        }
        if (ctx.wantFields() && label_index < ctx.out.fields.size())
            ctx.out.fields[label_index].end = p;
    }
}

}  // namespace

void dissectDns(DissectContext& ctx, uint32_t offset, uint32_t end, bool over_tcp) {
    const ByteReader& b = ctx.bytes;
    if (end > b.size()) end = b.size();
    if (offset >= end) return;
    ctx.beginLayer(OsiLayer::Application, Protocol::Dns, offset, end);
    FieldSink fs = ctx.fieldSink();
    uint32_t msg_begin = offset, msg_end = end;
    if (over_tcp) {
        if (end - offset < 2) {
            ctx.problem(ProblemKind::Truncated,
                        "DNS over TCP starts with a 2-byte length, but only 1 byte is here");
            return;
        }
        const uint16_t length = b.u16(offset);
        fs.addUint(kLength, offset, offset + 2, length);
        msg_begin = offset + 2;
        if (length < end - msg_begin) {
            msg_end = msg_begin + length;
        } else if (length > end - msg_begin) {
            std::string msg = "this DNS message is ";
            appendUint(msg, length);
            msg.append(" bytes long, but only ");
            appendUint(msg, end - msg_begin);
            msg.append(
                " are in this segment; the rest follows in the next TCP segment "
                "(OSI Lab does not join segments)");
            ctx.problem(ProblemKind::Truncated, std::move(msg));
        }
    }
    if (msg_end - msg_begin < kHeader) {
        std::string msg = "a DNS message starts with a 12-byte header, but only ";
        appendUint(msg, msg_end - msg_begin);
        msg.append(" bytes are here");
        ctx.problem(ProblemKind::Truncated, std::move(msg));
        return;
    }

    const uint32_t h = msg_begin;
    // The 12 header bytes are there (msg_end is within the clipped end).
    const uint16_t id = b.at16(h), flags = b.at16(h + 2);
    const uint16_t counts[4] = {b.at16(h + 4), b.at16(h + 6), b.at16(h + 8), b.at16(h + 10)};
    const bool response = flags & 0x8000;
    const uint8_t opcode = (flags >> 11) & 0xf, rcode = flags & 0xf;

    fs.addUint(kId, h, h + 2, id);
    fs.addUint(kFlags, h + 2, h + 4, flags, 0, dnsFlagsMeaning(flags));
    if (fs.wanted()) {
        const uint32_t f = h + 2, fe = h + 4;
        const char* op = dnsOpcodeName(opcode);
        fs.addBool(kFlagResponse, f, fe, response, 1);
        fs.addUint(kFlagOpcode, f, fe, opcode, 1, op ? op : "Unknown");
        if (response) fs.addBool(kFlagAuthoritative, f, fe, flags & 0x0400, 1);
        fs.addBool(kFlagTruncated, f, fe, flags & 0x0200, 1);
        fs.addBool(kFlagRecDesired, f, fe, flags & 0x0100, 1);
        if (response) fs.addBool(kFlagRecAvail, f, fe, flags & 0x0080, 1);
        fs.addBool(kFlagZ, f, fe, flags & 0x0040, 1);
        // tshark shows the AD bit of a query only when it is set.
        if (response || (flags & 0x0020)) fs.addBool(kFlagAuthenticated, f, fe, flags & 0x0020, 1);
        fs.addBool(kFlagCheckDisable, f, fe, flags & 0x0010, 1);
        if (response) {
            const char* rc = dnsRcodeName(rcode);
            fs.addUint(kFlagRcode, f, fe, rcode, 1, rc ? rc : "Unknown");
        }
    }
    const bool update = opcode == 5;  // RFC 2136 renames the sections
    fs.addUint(update ? kZoCount : kQdCount, h + 4, h + 6, counts[0]);
    fs.addUint(update ? kPrCount : kAnCount, h + 6, h + 8, counts[1]);
    fs.addUint(update ? kUpCount : kNsCount, h + 8, h + 10, counts[2]);
    fs.addUint(kArCount, h + 10, h + 12, counts[3]);

    Message m{ctx, msg_begin, msg_end, ctx.ownsSummary(), {}};
    if (m.summary) {
        std::string& info = ctx.out.summary.info;
        ctx.out.summary.protocol = Protocol::Dns;
        info.clear();
        if (const char* op = dnsOpcodeName(opcode)) {
            info.append(op);
        } else {
            info.append("Unknown operation (");
            appendUint(info, opcode);
            info.push_back(')');
        }
        if (response) info.append(" response");
        info.append(" 0x");
        appendHex(info, id, 4);
        if (response && rcode != 0) {
            info.push_back(' ');
            if (const char* rc = dnsRcodeName(rcode)) {
                info.append(rc);
            } else {
                info.append("Unknown error (");
                appendUint(info, rcode);
                info.push_back(')');
            }
        }
    }

    dissectSections(m, counts, h + kHeader);
    if (m.summary && ctx.out.summary.info.size() > kMaxInfo) ctx.out.summary.info.resize(kMaxInfo);
}

}  // namespace osilab::packet
