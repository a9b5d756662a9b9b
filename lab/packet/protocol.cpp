// Names of the protocols the dissector knows, in Wireshark's terms and for people.
#include <array>

#include "lab/packet/layer.h"

namespace osilab::packet {
namespace {

struct ProtocolNames {
    const char* abbrev;
    const char* display;
    const char* title_en;
    const char* title_zh;
};

constexpr std::array<ProtocolNames, static_cast<size_t>(Protocol::Count)> kNames{{
    {"eth", "Ethernet", "Ethernet II", "以太网 II"},
    {"vlan", "802.1Q", "802.1Q Virtual LAN", "802.1Q 虚拟局域网"},
    {"sll", "SLL", "Linux cooked capture v1", "Linux cooked 抓包头 v1"},
    {"sll", "SLL", "Linux cooked capture v2", "Linux cooked 抓包头 v2"},
    {"null", "Loopback", "BSD loopback", "BSD 环回"},
    {"arp", "ARP", "Address Resolution Protocol", "地址解析协议"},
    {"ip", "IPv4", "Internet Protocol Version 4", "网际协议第 4 版"},
    {"ipv6", "IPv6", "Internet Protocol Version 6", "网际协议第 6 版"},
    {"icmp", "ICMP", "Internet Control Message Protocol", "网际控制报文协议"},
    {"icmpv6", "ICMPv6", "Internet Control Message Protocol v6", "IPv6 网际控制报文协议"},
    {"tcp", "TCP", "Transmission Control Protocol", "传输控制协议"},
    {"udp", "UDP", "User Datagram Protocol", "用户数据报协议"},
    {"dns", "DNS", "Domain Name System", "域名系统"},
    {"http", "HTTP", "Hypertext Transfer Protocol", "超文本传输协议"},
    {"data", "Data", "Data", "数据"},
}};

const ProtocolNames& names(Protocol p) {
    size_t i = static_cast<size_t>(p);
    return kNames[i < kNames.size() ? i : kNames.size() - 1];
}

}  // namespace

const char* protocolAbbrev(Protocol p) { return names(p).abbrev; }
const char* protocolDisplay(Protocol p) { return names(p).display; }
const char* protocolTitleEn(Protocol p) { return names(p).title_en; }
const char* protocolTitleZh(Protocol p) { return names(p).title_zh; }

}  // namespace osilab::packet
