// TCP (RFC 9293): the header, the stream it belongs to, and tshark's Info column.
#include <array>
#include <cstring>
#include <string>

#include "lab/packet/dissect_context.h"
#include "lab/packet/info_writer.h"
#include "lab/packet/payload_encoding.h"
#include "lab/packet/tcp_options.h"
#include "lab/packet/text_format.h"
#include "lab/packet/transport_length.h"

namespace osilab::packet {
namespace {

constexpr uint32_t kMinHeader = 20;
constexpr char kArrow[] = " \xe2\x86\x92 ";  // " → ", as tshark writes ports

// ---- field descriptions ----------------------------------------------------------------------
const FieldInfo kSrcPort{"tcp.srcport", "Source Port", "源端口",
                         "The port of the program that sent this segment",
                         "发送这个报文段的程序所用的端口"};
const FieldInfo kDstPort{"tcp.dstport", "Destination Port", "目的端口",
                         "The port of the program this segment is for (80 = web server)",
                         "接收这个报文段的程序所用的端口(80 = Web 服务器)"};
const FieldInfo kStream{"tcp.stream", "Stream index", "流编号",
                        "Which connection of the capture this is: 0 for the first one, counting "
                        "up (Wireshark's numbering)",
                        "这是抓包中的第几个连接:第一个为 0,依次递增(与 Wireshark 编号一致)"};
const FieldInfo kPhase{"tcp.osilab.phase", "Connection phase", "连接阶段",
                       "Where the connection stands after this segment: handshake, data, "
                       "teardown, closed or reset",
                       "这个报文段之后连接所处的阶段:握手、数据传输、挥手、已关闭或已重置"};
const FieldInfo kLen{"tcp.len", "TCP Segment Len", "TCP 段长度",
                     "Payload bytes in this segment (IP payload minus the TCP header)",
                     "这个报文段携带的负载字节数(IP 负载减去 TCP 首部)"};
const FieldInfo kSeq{"tcp.seq", "Sequence Number", "序号",
                     "Which byte of the stream this segment starts with, counted from this "
                     "side's first byte (relative)",
                     "这个报文段从字节流的第几个字节开始,从本方的第一个字节算起(相对序号)"};
const FieldInfo kSeqRaw{"tcp.seq_raw", "Sequence Number (raw)", "序号(原始值)",
                        "The sequence number as sent; it starts at a random initial value (ISN)",
                        "实际发送的序号;它从一个随机的初始值 (ISN) 开始"};
const FieldInfo kNxtSeq{"tcp.nxtseq", "Next Sequence Number", "下一个序号",
                        "Sequence number of this side's next segment: seq + payload (+1 for "
                        "SYN or FIN)",
                        "本方下一个报文段的序号:序号 + 负载长度(SYN 或 FIN 再加 1)"};
const FieldInfo kAck{"tcp.ack", "Acknowledgment Number", "确认号",
                     "The next byte this side expects from the other side: everything before "
                     "it arrived (relative)",
                     "本方期望从对方收到的下一个字节:在它之前的数据都已收到(相对序号)"};
const FieldInfo kAckRaw{"tcp.ack_raw", "Acknowledgment number (raw)", "确认号(原始值)",
                        "The acknowledgment number as sent", "实际发送的确认号"};
const FieldInfo kHdrLen{"tcp.hdr_len", "Header Length", "首部长度",
                        "Size of the TCP header in bytes: 20 plus options (the field counts "
                        "4-byte words)",
                        "TCP 首部的字节数:20 加上选项(字段本身以 4 字节为单位)"};
const FieldInfo kFlags{"tcp.flags",
                       "Flags",
                       "标志位",
                       "Control bits: SYN opens, ACK acknowledges, PSH pushes, FIN closes, RST "
                       "aborts",
                       "控制位:SYN 建立连接,ACK 确认,PSH 推送,FIN 关闭,RST 重置",
                       NumberBase::Hex4};
const FieldInfo kFlagRes{"tcp.flags.res", "Reserved", "保留位",
                         "Three bits reserved for the future; senders must leave them 0",
                         "为将来保留的 3 位;发送方必须置 0"};
const FieldInfo kFlagAe{"tcp.flags.ae", "Accurate ECN", "精确 ECN (AE)",
                        "Accurate ECN bit (formerly NS): part of the congestion counter of "
                        "AccECN",
                        "精确 ECN 位(原 NS 位):AccECN 拥塞计数器的一部分"};
const FieldInfo kFlagAce{"tcp.flags.ace", "ACE", "ACE 计数器",
                         "With Accurate ECN the AE, CWR and ECE bits are one 3-bit counter of "
                         "congestion-marked packets",
                         "使用精确 ECN 时,AE、CWR、ECE 三位合成一个 3 位计数器,统计被标记拥塞的包"};
const FieldInfo kFlagCwr{"tcp.flags.cwr", "Congestion Window Reduced", "拥塞窗口已减小 (CWR)",
                         "The sender slowed down after being told of congestion (ECN)",
                         "发送方在得知网络拥塞 (ECN) 后已经减速"};
const FieldInfo kFlagEce{"tcp.flags.ece", "ECN-Echo", "ECN 回显 (ECE)",
                         "Tells the other side a router marked congestion (ECN) on the way",
                         "告诉对方途中的路由器标记了拥塞 (ECN)"};
const FieldInfo kFlagUrg{"tcp.flags.urg", "Urgent", "紧急 (URG)",
                         "The urgent pointer field is valid (rarely used today)",
                         "紧急指针字段有效(如今很少使用)"};
const FieldInfo kFlagAck{"tcp.flags.ack", "Acknowledgment", "确认 (ACK)",
                         "The acknowledgment number is valid; set on every segment after the "
                         "first SYN",
                         "确认号有效;除第一个 SYN 外每个报文段都会置位"};
const FieldInfo kFlagPsh{"tcp.flags.push", "Push", "推送 (PSH)",
                         "Deliver the data to the application now instead of waiting for more",
                         "立即把数据交给应用程序,不要等待更多数据"};
const FieldInfo kFlagRst{"tcp.flags.reset", "Reset", "重置 (RST)",
                         "Abort the connection at once (e.g. nobody listens on that port)",
                         "立即中止连接(例如该端口上没有程序在监听)"};
const FieldInfo kFlagSyn{"tcp.flags.syn", "Syn", "同步 (SYN)",
                         "Open a connection and announce this side's initial sequence number",
                         "建立连接,并告知本方的初始序号"};
const FieldInfo kFlagFin{"tcp.flags.fin", "Fin", "结束 (FIN)",
                         "This side has no more data to send: it starts closing",
                         "本方没有更多数据要发送:开始关闭连接"};
const FieldInfo kWindowValue{"tcp.window_size_value", "Window", "窗口",
                             "How many more bytes this side can receive right now, as sent "
                             "(before scaling)",
                             "本方此刻还能接收多少字节,即发送的原始值(缩放之前)"};
const FieldInfo kWindow{"tcp.window_size", "Calculated window size", "计算后的窗口大小",
                        "The window in bytes after applying the scale factor agreed in the SYNs",
                        "按 SYN 中协商的缩放因子换算后的窗口字节数"};
const FieldInfo kWindowScale{"tcp.window_size_scalefactor", "Window size scaling factor",
                             "窗口缩放因子",
                             "The multiplier this side announced in its SYN (window scale "
                             "option)",
                             "本方在 SYN 中声明的乘数(窗口缩放选项)"};
const FieldInfo kChecksum{"tcp.checksum",
                          "Checksum",
                          "校验和",
                          "Detects damaged segments; covers the header, the data and the IP "
                          "addresses",
                          "用来发现损坏的报文段;覆盖首部、数据和 IP 地址",
                          NumberBase::Hex4};
const FieldInfo kUrgent{"tcp.urgent_pointer", "Urgent Pointer", "紧急指针",
                        "Where urgent data ends, when the URG flag is set",
                        "URG 标志置位时,紧急数据在哪里结束"};
const FieldInfo kResetCause{"tcp.reset_cause", "Reset cause", "重置原因",
                            "Text some systems send inside a RST to say why they reset",
                            "有些系统在 RST 中附带的文字,说明为什么重置连接"};
const FieldInfo kPayload{"tcp.payload", "TCP payload", "TCP 负载",
                         "The application's bytes carried by this segment",
                         "这个报文段携带的应用程序数据"};

// ---- flags as tshark names them ----------------------------------------------------------------
// "SYN, ACK" for every combination, built once: Field::meaning must outlive the packet. The
// three reserved bits only add ", Reserved", so the names are kept for the nine named bits
// plus one "any reserved bit" bit: 1,024 fixed-size entries a table, built without an
// allocation (4,096 strings each took one, at every start-up).
// With Accurate ECN in use, AE, CWR and ECE are one counter: "ACK, ACE=2".
struct FlagName {
    char text[55];  // NUL-terminated; the longest is 52 characters
    uint8_t size;
};
using FlagNameTable = std::array<FlagName, 1024>;

constexpr uint32_t flagNameIndex(uint16_t flags) {
    return (flags & 0x1ffu) | ((flags & 0xe00u) ? 0x200u : 0u);
}

FlagNameTable buildFlagNames(bool ace) {
    static constexpr const char* kNames[] = {"FIN", "SYN", "RST", "PSH", "ACK",
                                             "URG", "ECE", "CWR", "AE"};
    FlagNameTable t{};
    for (uint32_t index = 0; index < 1024; ++index) {
        const uint32_t f = (index & 0x1ff) | ((index & 0x200) ? 0xe00 : 0);
        FlagName& e = t[index];
        size_t n = 0;
        auto put = [&](const char* s) {
            for (; *s; ++s) e.text[n++] = *s;
        };
        for (uint32_t bit = 0; bit < (ace ? 6u : 9u); ++bit) {
            if (!(f & (1u << bit))) continue;
            if (n) put(", ");
            put(kNames[bit]);
        }
        if (ace) {
            if (n) put(", ");
            put("ACE=");
            e.text[n++] = static_cast<char>('0' + ((f >> 6) & 7));
        }
        if (f & 0xe00) put(n ? ", Reserved" : "Reserved");
        if (!n) put("<None>");
        e.text[n] = '\0';
        e.size = static_cast<uint8_t>(n);
    }
    return t;
}

// Built at start-up rather than on first use: a function-local static costs a guard check
// on every call, and this runs twice per TCP segment.
const FlagNameTable kFlagNames = buildFlagNames(false);
const FlagNameTable kFlagNamesAce = buildFlagNames(true);

const FlagName& flagNames(uint16_t flags, bool ace) {
    return (ace ? kFlagNamesAce : kFlagNames)[flagNameIndex(flags)];
}

struct Header {
    uint16_t src_port, dst_port;
    uint32_t seq, ack;
    uint32_t hdr_len;
    uint16_t flags;
    uint16_t window, checksum, urgent;
};

Endpoint withPort(const Endpoint& address, uint16_t port) {
    Endpoint e = address;
    e.port = port;
    return e;
}

// Only the ports were captured (or quoted, inside an ICMP error).
void dissectShortHeader(DissectContext& ctx, uint32_t offset, uint32_t end) {
    ctx.beginLayer(OsiLayer::Transport, Protocol::Tcp, offset, end);
    const uint32_t avail = end - offset;
    if (avail >= 2) ctx.addUint(kSrcPort, offset, offset + 2, ctx.bytes.u16(offset));
    if (avail >= 4) ctx.addUint(kDstPort, offset + 2, offset + 4, ctx.bytes.u16(offset + 2));
    if (avail >= 8 && ctx.nesting > 0)  // what an ICMP error quotes: ports and sequence number
        ctx.addUint(kSeq, offset + 4, offset + 8, ctx.bytes.u32(offset + 4));
    if (ctx.nesting == 0) {
        std::string msg = "only ";
        appendUint(msg, avail);
        msg.append(" bytes of the TCP header were captured; a TCP header has at least 20 bytes");
        ctx.problem(ProblemKind::Truncated, std::move(msg));
    }
    if (ctx.ownsSummary()) {
        ctx.out.summary.protocol = Protocol::Tcp;
        ctx.out.summary.info.clear();
        if (avail >= 4) {
            appendUint(ctx.out.summary.info, ctx.bytes.u16(offset));
            ctx.out.summary.info.append(kArrow);
            appendUint(ctx.out.summary.info, ctx.bytes.u16(offset + 2));
        }
        ctx.out.summary.info.append("[Packet size limited during capture]");
    }
}

void addFlagFields(DissectContext& ctx, uint32_t offset, uint16_t flags, bool ace) {
    const uint32_t hi = offset + 12, lo = offset + 13;
    FieldSink fs = ctx.fieldSink();
    fs.addUint(kFlags, hi, hi + 2, flags, 0, flagNames(flags, ace).text);
    fs.addBool(kFlagRes, hi, hi + 1, flags & 0xe00, 1);
    if (ace) {
        fs.addUint(kFlagAce, hi, hi + 2, (flags >> 6) & 7, 1);
    } else {
        fs.addBool(kFlagAe, hi, hi + 1, flags & tcpflag::kAe, 1);
        fs.addBool(kFlagCwr, lo, lo + 1, flags & tcpflag::kCwr, 1);
        fs.addBool(kFlagEce, lo, lo + 1, flags & tcpflag::kEce, 1);
    }
    fs.addBool(kFlagUrg, lo, lo + 1, flags & tcpflag::kUrg, 1);
    fs.addBool(kFlagAck, lo, lo + 1, flags & tcpflag::kAck, 1);
    fs.addBool(kFlagPsh, lo, lo + 1, flags & tcpflag::kPsh, 1);
    fs.addBool(kFlagRst, lo, lo + 1, flags & tcpflag::kRst, 1);
    fs.addBool(kFlagSyn, lo, lo + 1, flags & tcpflag::kSyn, 1);
    fs.addBool(kFlagFin, lo, lo + 1, flags & tcpflag::kFin, 1);
}

}  // namespace

void dissectTcp(DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    if (end > b.size()) end = b.size();
    if (offset > end) offset = end;
    if (end - offset < kMinHeader) {
        dissectShortHeader(ctx, offset, end);
        return;
    }

    // The 20 bytes are there (end is clipped to the frame): read without a check per field.
    Header h;
    h.src_port = b.at16(offset);
    h.dst_port = b.at16(offset + 2);
    h.seq = b.at32(offset + 4);
    h.ack = b.at32(offset + 8);
    h.hdr_len = (b.at8(offset + 12) >> 4) * 4u;
    h.flags = b.at16(offset + 12) & 0x0fff;
    h.window = b.at16(offset + 14);
    h.checksum = b.at16(offset + 16);
    h.urgent = b.at16(offset + 18);
    const bool syn = h.flags & tcpflag::kSyn, has_ack = h.flags & tcpflag::kAck;

    // Bytes the segment really had on the wire: more than captured when the snapshot length
    // cut the frame (tcp.len counts them, as tshark does).
    const uint32_t reported = reportedTransportEnd(ctx, offset, end) - offset;
    const bool bogus_len = h.hdr_len < kMinHeader;
    // In an IP fragment the segment's length is unknown (tshark does not count it either).
    const bool length_known = reported >= h.hdr_len && !ctx.fragment;
    const uint32_t seg_len = length_known ? reported - h.hdr_len : 0;
    const uint32_t hdr_end = bogus_len ? offset + kMinHeader : offset + h.hdr_len;
    const uint32_t captured_hdr_end = hdr_end < end ? hdr_end : end;

    // Conversation tracking: only for the outermost header, and only once the IP layer said
    // who is talking.
    TcpSegmentInfo seg;
    const bool tracked = ctx.conversations && ctx.nesting == 0 && ctx.net_src.family != 0;
    if (tracked) {
        TcpSegmentDetails details;
        details.length_known = length_known;
        if (syn && !bogus_len)
            details.window_shift = findTcpWindowShift(b, offset + kMinHeader, captured_hdr_end);
        seg = ctx.conversations->onTcpSegment(
            withPort(ctx.net_src, h.src_port), withPort(ctx.net_dst, h.dst_port), h.seq, h.ack,
            h.flags, seg_len, ctx.packet.number, ctx.packet.time_ns, details);
        ctx.out.conversation = ConversationKind::TcpStream;
        ctx.out.conversation_index = seg.stream;
    } else {
        seg.rel_seq = h.seq;
        seg.rel_ack = h.ack;
        seg.next_rel_seq = h.seq + seg_len + ((h.flags & (tcpflag::kSyn | tcpflag::kFin)) ? 1 : 0);
    }
    uint32_t window = h.window;
    if (!syn && seg.window_shift >= 0) window <<= seg.window_shift;

    // The Info text is built in a scratch buffer and handed to the summary before any layer
    // above TCP (HTTP, DNS) writes its own.
    const bool summary = ctx.ownsSummary();
    InfoWriter w;
    auto flushInfo = [&] {
        if (!summary) return;
        ctx.out.summary.protocol = Protocol::Tcp;
        ctx.out.summary.info.clear();
        w.appendTo(ctx.out.summary.info);
    };
    if (summary) {
        // Through a cursor (see InfoWriter::cursor): at most 115 characters and the puts' 16
        // spare bytes, and the buffer is empty here.
        using IW = InfoWriter;
        char* d = w.cursor();
        d = IW::putLit(IW::putNumber(d, h.src_port), kArrow);
        d = IW::putLit(IW::putNumber(d, h.dst_port), " [");
        const FlagName& names = flagNames(h.flags, seg.ace);
        std::memcpy(d, names.text, sizeof names.text);  // fixed size: a few moves, no call
        d = IW::putLit(d + names.size, "] Seq=");
        d = IW::putNumber(d, seg.rel_seq);
        if (has_ack) d = IW::putNumber(IW::putLit(d, " Ack="), seg.rel_ack);
        d = IW::putNumber(IW::putLit(d, " Win="), window);
        w.setCursor(d);
    }

    ctx.beginLayer(OsiLayer::Transport, Protocol::Tcp, offset,
                   bogus_len ? hdr_end : captured_hdr_end);
    FieldSink fs = ctx.fieldSink();
    fs.addUint(kSrcPort, offset, offset + 2, h.src_port);
    fs.addUint(kDstPort, offset + 2, offset + 4, h.dst_port);
    if (tracked) {
        fs.addUint(kStream, offset, offset, seg.stream);
        fs.addUint(kPhase, offset, offset, static_cast<uint64_t>(seg.phase), 0,
                   tcpPhaseName(seg.phase));
    }
    if (length_known) fs.addUint(kLen, offset, offset, seg_len);
    fs.addUint(kSeq, offset + 4, offset + 8, seg.rel_seq);
    fs.addUint(kSeqRaw, offset + 4, offset + 8, h.seq);

    if (bogus_len) {
        // tshark stops at a header length below 20; so do we, and show the rest as data.
        fs.addUint(kHdrLen, offset + 12, offset + 13, h.hdr_len);
        std::string msg = "the header length field says ";
        appendUint(msg, h.hdr_len);
        msg.append(" bytes, but a TCP header is at least 20 bytes long; the rest is shown as data");
        ctx.problem(ProblemKind::Malformed, std::move(msg));
        w.lit(", bogus TCP header length (");
        w.number(h.hdr_len);
        w.lit(", must be at least 20)");
        flushInfo();
        dissectData(ctx, hdr_end, end);
        return;
    }

    if (length_known) fs.addUint(kNxtSeq, offset, offset, seg.next_rel_seq);
    fs.addUint(kAck, offset + 8, offset + 12, seg.rel_ack);
    fs.addUint(kAckRaw, offset + 8, offset + 12, h.ack);
    fs.addUint(kHdrLen, offset + 12, offset + 13, h.hdr_len);
    if (ctx.wantFields()) addFlagFields(ctx, offset, h.flags, seg.ace);
    fs.addUint(kWindowValue, offset + 14, offset + 16, h.window);
    fs.addUint(kWindow, offset + 14, offset + 16, window);
    if (!syn && seg.window_shift >= 0)
        fs.addUint(kWindowScale, offset + 14, offset + 16, 1u << seg.window_shift);
    fs.addUint(kChecksum, offset + 16, offset + 18, h.checksum);
    fs.addUint(kUrgent, offset + 18, offset + 20, h.urgent);

    if (summary) {
        if (h.flags & tcpflag::kUrg) w.labelled(" Urg=", h.urgent);
        if (length_known) w.labelled(" Len=", seg_len);
    }

    if (h.hdr_len > kMinHeader) {
        TcpOptionsContext oc;
        oc.syn = syn;
        oc.peer_base_known = tracked && seg.peer_base_known;
        oc.peer_base_seq = seg.peer_base_seq;
        // The Info notes come from the options too, so parse them even on the summary path.
        dissectTcpOptions(ctx, offset + kMinHeader, captured_hdr_end, hdr_end, oc,
                          summary ? &w : nullptr);
    }

    if (!length_known && !ctx.fragment) w.lit("[Malformed Packet]");  // as tshark marks it
    flushInfo();
    if (ctx.fragment) {
        if (end > captured_hdr_end) dissectData(ctx, captured_hdr_end, end);
        return;
    }
    if (!length_known) {
        std::string msg = "the header length field says ";
        appendUint(msg, h.hdr_len);
        msg.append(" bytes, but the segment has only ");
        appendUint(msg, reported);
        msg.append(" bytes");
        ctx.problem(ProblemKind::Malformed, std::move(msg));
        return;
    }
    if (hdr_end > end) {
        std::string msg = "the capture stops inside the TCP header (";
        appendUint(msg, end - offset);
        msg.append(" of ");
        appendUint(msg, h.hdr_len);
        msg.append(" bytes captured)");
        ctx.problem(ProblemKind::Truncated, std::move(msg));
        return;
    }
    if (seg_len == 0 || hdr_end >= end) return;
    if (h.flags & tcpflag::kRst) {
        // Data on a RST is no application message: some stacks explain the reset there in text.
        std::string msg = "this RST carries ";
        appendUint(msg, seg_len);
        msg.append(" bytes of data; some systems put the reason for the reset there");
        ctx.problem(ProblemKind::Unusual, std::move(msg));
        // Binary reset data stays in the TCP layer's bytes (as tshark keeps it), not a Data layer.
        if (isText(classifyPayload(b.data() + hdr_end, end - hdr_end)))
            fs.addFrameText(kResetCause, hdr_end, end);
        return;
    }
    fs.addBytes(kPayload, hdr_end, end);
    dissectTcpPayload(ctx, h.src_port, h.dst_port, hdr_end, end);
}

}  // namespace osilab::packet
