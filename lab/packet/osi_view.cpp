#include "lab/packet/osi_view.h"

#include "lab/packet/field_text.h"
#include "lab/packet/payload_encoding.h"
#include "lab/packet/text_format.h"

namespace osilab::packet {
namespace {

struct Names {
    const char* en;
    const char* zh;
};
constexpr Names kLayerNames[] = {
    {"Physical", "物理层"},     {"Data link", "数据链路层"}, {"Network", "网络层"},
    {"Transport", "传输层"},    {"Session", "会话层"},       {"Presentation", "表示层"},
    {"Application", "应用层"},
};

// A loopback frame never becomes a signal: the kernel hands it over in memory.
bool isLoopback(const PacketView& packet, const Dissection& d) {
    if (packet.link_type == linktype::kNull || packet.link_type == linktype::kLoop) return true;
    if (packet.link_type == linktype::kEthernet && packet.cap_len >= 12) {
        for (uint32_t i = 0; i < 12; ++i)
            if (packet.data[i] != 0) return false;
        return true;
    }
    if (!d.layers.empty() && d.layers.front().protocol != Protocol::Ethernet) {
        // Raw IP and cooked captures: loopback when both addresses are loopback addresses.
        for (const Layer& l : d.layers) {
            if (l.protocol == Protocol::Ipv4 && packet.cap_len >= l.begin + 20)
                return packet.data[l.begin + 12] == 127 && packet.data[l.begin + 16] == 127;
        }
    }
    return false;
}

void presentationNote(const PacketView& packet, const Dissection& d, OsiLayerView& v) {
    const Layer* app = nullptr;
    for (const Layer& l : d.layers)
        if (l.osi == OsiLayer::Application) app = &l;
    if (!app) {
        v.note_en = "nothing to encode: this packet carries no application data";
        v.note_zh = "没有需要编码的内容:这个包不携带应用数据";
        return;
    }
    std::string size;
    appendUint(size, app->end - app->begin);
    switch (app->protocol) {
    case Protocol::Http:
        v.note_en = "HTTP/1.x is text: request/response line and headers in ASCII, ending in an empty line";
        v.note_zh = "HTTP/1.x 是文本协议:请求行/状态行和首部都是 ASCII 文本,以一个空行结束";
        return;
    case Protocol::Dns:
        v.note_en = "DNS is a binary format: fixed 12-byte header, names as length-prefixed labels";
        v.note_zh = "DNS 是二进制格式:固定 12 字节首部,域名按“长度+标签”编码";
        return;
    default: break;
    }
    uint32_t begin = app->begin, end = app->end <= packet.cap_len ? app->end : packet.cap_len;
    switch (classifyPayload(packet.data + begin, begin < end ? end - begin : 0)) {
    case PayloadEncoding::Empty:
        v.note_en = "no payload bytes";
        v.note_zh = "没有负载字节";
        break;
    case PayloadEncoding::Ascii:
        v.note_en = size + " bytes of ASCII text (one byte per character)";
        v.note_zh = size + " 字节 ASCII 文本(每个字符一个字节)";
        break;
    case PayloadEncoding::Utf8:
        v.note_en = size + " bytes of UTF-8 text (Chinese characters take 3 bytes each)";
        v.note_zh = size + " 字节 UTF-8 文本(每个汉字占 3 个字节)";
        break;
    case PayloadEncoding::Binary:
        v.note_en = size + " bytes of binary data (not text)";
        v.note_zh = size + " 字节二进制数据(不是文本)";
        break;
    }
}

void sessionNote(const Dissection& d, const Conversations* conversations, OsiLayerView& v) {
    if (d.conversation == ConversationKind::TcpStream) {
        std::string index;
        appendUint(index, d.conversation_index);
        const TcpStream* s = conversations ? conversations->tcpStream(d.conversation_index) : nullptr;
        v.note_en = "TCP stream " + index;
        v.note_zh = "TCP 流 " + index;
        if (s) {
            v.note_en += " between " + s->client.toString() + " and " + s->server.toString() +
                         ", phase: " + tcpPhaseName(s->phase);
            v.note_zh += ",连接 " + s->client.toString() + " 与 " + s->server.toString() +
                         ",阶段:" + tcpPhaseNameZh(s->phase);
        }
        v.note_en += " (TCP keeps the connection state that OSI puts in the session layer)";
        v.note_zh += "(OSI 会话层的连接状态在 TCP/IP 中由 TCP 维护)";
        return;
    }
    if (d.conversation == ConversationKind::UdpFlow) {
        std::string index;
        appendUint(index, d.conversation_index);
        v.note_en = "UDP flow " + index + ": no connection and no session state, each datagram stands alone";
        v.note_zh = "UDP 流 " + index + ":没有连接,也没有会话状态,每个数据报各自独立";
        return;
    }
    v.note_en = "no session: this packet belongs to no connection";
    v.note_zh = "没有会话:这个包不属于任何连接";
}

}  // namespace

const char* osiLayerName(OsiLayer layer, bool zh) {
    unsigned i = static_cast<unsigned>(layer);
    if (i < 1 || i > 7) return "?";
    return zh ? kLayerNames[i - 1].zh : kLayerNames[i - 1].en;
}

std::array<OsiLayerView, 7> osiView(const PacketView& packet, const Dissection& d,
                                    const Conversations* conversations) {
    std::array<OsiLayerView, 7> view;
    for (int i = 0; i < 7; ++i) view[i].osi = static_cast<OsiLayer>(7 - i);
    for (uint32_t li = 0; li < d.layers.size(); ++li) {
        unsigned osi = static_cast<unsigned>(d.layers[li].osi);
        if (osi >= 1 && osi <= 7) view[7 - osi].layers.push_back(li);
    }
    OsiLayerView& physical = view[6];
    std::string bits;
    appendUint(bits, uint64_t(packet.orig_len) * 8);
    if (isLoopback(packet, d)) {
        physical.note_en = "loopback: no wire and no signal — the kernel hands the " + bits +
                           " bits to the receiving socket in memory; on a real link they would travel "
                           "as voltages on copper, light in fibre or radio waves";
        physical.note_zh = "环回接口:没有线缆也没有信号——内核在内存中把这 " + bits +
                           " 位交给接收方套接字;在真实链路上,它们会变成铜线上的电压、光纤中的光或无线电波";
    } else {
        physical.note_en = bits + " bits sent as signals on the medium (copper, fibre or radio); a "
                                  "capture records the bits, not the signal";
        physical.note_zh = bits + " 位以信号的形式在介质(铜线、光纤或无线电)上传输;抓包记录的是比特,不是信号";
    }
    if (view[5].layers.empty()) {
        view[5].note_en = packet.link_type == linktype::kRaw || packet.link_type == linktype::kIpv4 ||
                                  packet.link_type == linktype::kIpv6
                              ? "this capture kept no link-layer header (raw IP)"
                              : "no link-layer header in this frame";
        view[5].note_zh = "这个抓包没有保存链路层首部";
    }
    if (view[4].layers.empty()) {
        view[4].note_en = "no IP header: this frame stays on the local link (e.g. ARP)";
        view[4].note_zh = "没有 IP 首部:这个帧只在本地链路上传递(例如 ARP)";
    }
    if (view[3].layers.empty()) {
        view[3].note_en = "no transport header: ports and connections do not apply to this packet";
        view[3].note_zh = "没有传输层首部:端口和连接的概念不适用于这个包";
    }
    sessionNote(d, conversations, view[2]);
    presentationNote(packet, d, view[1]);
    if (view[0].layers.empty()) {
        bool tcp = d.conversation == ConversationKind::TcpStream;
        view[0].note_en = tcp ? "no application data in this packet: a TCP control segment (SYN, ACK, FIN…)"
                              : "no application data in this packet";
        view[0].note_zh = tcp ? "这个包没有应用数据:它是 TCP 控制报文段(SYN、ACK、FIN 等)"
                              : "这个包没有应用数据";
    }
    return view;
}

}  // namespace osilab::packet
