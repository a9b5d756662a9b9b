// UDP (RFC 768): eight bytes of header, then the datagram's payload.
#include <string>

#include "lab/packet/dissect_context.h"
#include "lab/packet/info_writer.h"
#include "lab/packet/text_format.h"
#include "lab/packet/transport_length.h"

namespace osilab::packet {
namespace {

constexpr uint32_t kHeader = 8;
constexpr char kArrow[] = " \xe2\x86\x92 ";  // " → "

const FieldInfo kSrcPort{"udp.srcport", "Source Port", "源端口",
                         "The port of the program that sent this datagram (where replies go)",
                         "发送这个数据报的程序所用的端口(回复会发往这里)"};
const FieldInfo kDstPort{"udp.dstport", "Destination Port", "目的端口",
                         "The port of the program this datagram is for (53 = DNS server)",
                         "接收这个数据报的程序所用的端口(53 = DNS 服务器)"};
const FieldInfo kLength{"udp.length", "Length", "长度",
                        "Size of the whole datagram in bytes: the 8-byte header plus the payload",
                        "整个数据报的字节数:8 字节首部加上负载"};
const FieldInfo kChecksum{"udp.checksum",
                          "Checksum",
                          "校验和",
                          "Detects damaged datagrams; 0 means the sender did not compute one "
                          "(allowed in IPv4)",
                          "用来发现损坏的数据报;0 表示发送方没有计算(IPv4 中允许)",
                          NumberBase::Hex4};
const FieldInfo kStream{"udp.stream", "Stream index", "流编号",
                        "Which address-and-port pair of the capture this is, counting from 0 "
                        "(Wireshark's numbering); UDP itself has no connection",
                        "这是抓包中第几对地址和端口,从 0 开始(与 Wireshark 编号一致);"
                        "UDP 本身并没有连接"};
const FieldInfo kPayload{"udp.payload", "UDP payload", "UDP 负载",
                         "The application's bytes: one send() is one datagram",
                         "应用程序的数据:一次 send() 就是一个数据报"};

void appendPorts(std::string& info, uint16_t src, uint16_t dst) {
    appendUint(info, src);
    info.append(kArrow);
    appendUint(info, dst);
}

}  // namespace

void dissectUdp(DissectContext& ctx, uint32_t offset, uint32_t end) {
    const ByteReader& b = ctx.bytes;
    if (end > b.size()) end = b.size();
    if (offset > end) offset = end;
    const uint32_t avail = end - offset;
    const bool summary = ctx.ownsSummary();
    if (summary) {
        ctx.out.summary.protocol = Protocol::Udp;
        ctx.out.summary.info.clear();
    }

    if (avail < kHeader) {
        ctx.beginLayer(OsiLayer::Transport, Protocol::Udp, offset, end);
        if (avail >= 2) ctx.addUint(kSrcPort, offset, offset + 2, b.u16(offset));
        if (avail >= 4) ctx.addUint(kDstPort, offset + 2, offset + 4, b.u16(offset + 2));
        if (summary && avail >= 4)
            appendPorts(ctx.out.summary.info, b.u16(offset), b.u16(offset + 2));
        if (summary) ctx.out.summary.info.append("[Packet size limited during capture]");
        std::string msg = "only ";
        appendUint(msg, avail);
        msg.append(" bytes of the 8-byte UDP header were captured");
        ctx.problem(ProblemKind::Truncated, std::move(msg));
        return;
    }

    // The 8 bytes are there (end is clipped to the frame): read without a check per field.
    const uint16_t src_port = b.at16(offset), dst_port = b.at16(offset + 2);
    const uint16_t length = b.at16(offset + 4), checksum = b.at16(offset + 6);
    // Bytes the IP layer says belong to UDP, counting any the snapshot length cut off.
    const uint32_t ip_payload = reportedTransportEnd(ctx, offset, end) - offset;
    const bool too_short = length < kHeader;
    // A first fragment carries only part of the datagram the length counts.
    const bool too_long = length > ip_payload && !ctx.fragment;
    const uint32_t payload_begin = offset + kHeader;
    uint32_t payload_end = end;
    if (!too_short && !too_long && offset + length < end) payload_end = offset + length;
    const uint32_t payload_len = too_short ? 0 : length - kHeader;

    ctx.beginLayer(OsiLayer::Transport, Protocol::Udp, offset, payload_begin);
    FieldSink fs = ctx.fieldSink();
    fs.addUint(kSrcPort, offset, offset + 2, src_port);
    fs.addUint(kDstPort, offset + 2, offset + 4, dst_port);
    fs.addUint(kLength, offset + 4, offset + 6, length);
    // With a length below 8 tshark gives up here: no checksum, and no flow (so no udp.stream).
    if (!too_short) fs.addUint(kChecksum, offset + 6, offset + 8, checksum);

    if (!too_short && ctx.conversations && ctx.nesting == 0 && ctx.net_src.family != 0) {
        Endpoint src = ctx.net_src, dst = ctx.net_dst;
        src.port = src_port;
        dst.port = dst_port;
        uint32_t stream = ctx.conversations->onUdpDatagram(src, dst, payload_len, ctx.packet.number,
                                                           ctx.packet.time_ns);
        ctx.out.conversation = ConversationKind::UdpFlow;
        ctx.out.conversation_index = stream;
        fs.addUint(kStream, payload_begin, payload_begin, stream);
    }

    if (summary) {
        // Built in a scratch buffer and appended once: a string append per piece cost a
        // library memcpy call each.
        InfoWriter w;
        // The ports through a cursor (see InfoWriter::cursor): the buffer is empty here.
        w.setCursor(InfoWriter::putNumber(
            InfoWriter::putLit(InfoWriter::putNumber(w.cursor(), src_port), kArrow), dst_port));
        if (too_short) {
            w.lit(" [BAD UDP LENGTH ");
            w.number(length);
            w.lit(" < 8]");
        } else {
            if (too_long) {
                w.lit(" [BAD UDP LENGTH ");
                w.number(length);
                w.lit(" > IP PAYLOAD LENGTH]");
            }
            w.labelled(" Len=", payload_len);
        }
        w.appendTo(ctx.out.summary.info);
    }

    if (too_short) {
        std::string msg = "the UDP length field says ";
        appendUint(msg, length);
        msg.append(" bytes, less than the 8-byte UDP header itself; the rest is shown as data");
        ctx.problem(ProblemKind::Malformed, std::move(msg));
        dissectData(ctx, payload_begin, end);
        return;
    }
    if (too_long) {
        std::string msg = "the UDP length field says ";
        appendUint(msg, length);
        msg.append(" bytes, but the IP packet carries only ");
        appendUint(msg, ip_payload);
        msg.append(" bytes of UDP");
        ctx.problem(ProblemKind::Malformed, std::move(msg));
    }
    // tshark's udp.payload spans all the bytes IP gave to UDP, even past a shorter UDP length.
    if (payload_len > 0 && payload_begin < end) fs.addBytes(kPayload, payload_begin, end);
    if (payload_begin >= payload_end) return;
    if (ctx.fragment)
        dissectData(ctx, payload_begin, payload_end);  // the rest is elsewhere
    else
        dissectUdpPayload(ctx, src_port, dst_port, payload_begin, payload_end);
}

}  // namespace osilab::packet
