// A field's value as data (for JSON) and as text (for people).
#pragma once

#include <cstdint>
#include <string>

#include "lab/packet/conversations.h"
#include "lab/packet/layer.h"

namespace osilab::packet {

struct FieldValue {
    enum class Type { None, Number, Boolean, String } type = Type::None;
    uint64_t number = 0;  // Number, Boolean
    std::string text;     // String: address, colon-hex bytes, or text
};

// `frame`/`cap_len` are the bytes the dissection was made from.
FieldValue fieldValue(const Dissection& d, const Field& f, const uint8_t* frame, uint32_t cap_len);

// Display text: "64", "0x0012 (SYN, ACK)", "TCP (6)", "Set", "127.0.0.1", "GET / HTTP/1.1\r\n".
// Byte strings longer than `max_bytes` are cut with "…". `zh`: meanings OSI Lab made up itself
// (the TCP connection phase) in Chinese; protocol terms ("SYN, ACK", "TCP") stay as Wireshark
// and every textbook write them.
std::string fieldShow(const Dissection& d, const Field& f, const uint8_t* frame, uint32_t cap_len,
                      uint32_t max_bytes = 64, bool zh = false);

// "握手", "数据传输"…: the phase of a TCP connection in Chinese (tcpPhaseName is English).
const char* tcpPhaseNameZh(TcpPhase phase);

}  // namespace osilab::packet
