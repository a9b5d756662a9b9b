// TEMPORARY during parallel development: placeholders for the transport/application dissectors
// until their real files exist. Delete this file once tcp/udp/dns/http/data/conversations exist.
#include "lab/packet/dissect_context.h"
namespace osilab::packet {
void dissectTcp(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectUdp(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectTcpPayload(DissectContext& c, uint16_t, uint16_t, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectUdpPayload(DissectContext& c, uint16_t, uint16_t, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectDns(DissectContext& c, uint32_t o, uint32_t e, bool) { dissectData(c, o, e); }
bool looksLikeHttp(const ByteReader&, uint32_t, uint32_t) { return false; }
void dissectHttp(DissectContext& c, uint32_t o, uint32_t e) { dissectData(c, o, e); }
void dissectData(DissectContext& c, uint32_t o, uint32_t e) {
    if (o < e) c.beginLayer(OsiLayer::Application, Protocol::Data, o, e);
}
Conversations::Conversations(Options o) : options_(o) {}
TcpSegmentInfo Conversations::onTcpSegment(const Endpoint&, const Endpoint&, uint32_t, uint32_t, uint16_t, uint32_t, uint64_t, int64_t) { return {}; }
uint32_t Conversations::onUdpDatagram(const Endpoint&, const Endpoint&, uint32_t, uint64_t, int64_t) { return 0; }
std::vector<const TcpStream*> Conversations::tcpStreams() const { return {}; }
std::vector<const UdpFlow*> Conversations::udpFlows() const { return {}; }
const TcpStream* Conversations::tcpStream(uint32_t) const { return nullptr; }
const UdpFlow* Conversations::udpFlow(uint32_t) const { return nullptr; }
size_t Conversations::KeyHash::operator()(const Key&) const { return 0; }
std::string Endpoint::toString() const { return {}; }
const char* tcpPhaseName(TcpPhase) { return ""; }
}  // namespace osilab::packet
