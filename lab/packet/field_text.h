// A field's value as data (for JSON) and as text (for people).
#pragma once

#include <cstdint>
#include <string>

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
// Byte strings longer than `max_bytes` are cut with "…".
std::string fieldShow(const Dissection& d, const Field& f, const uint8_t* frame, uint32_t cap_len,
                      uint32_t max_bytes = 64);

}  // namespace osilab::packet
