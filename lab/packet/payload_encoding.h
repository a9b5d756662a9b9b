// How a payload's bytes are encoded, for the OSI presentation layer: is this text a person can
// read (ASCII, or UTF-8 such as Chinese), or binary data only a program understands?
#pragma once

#include <cstdint>
#include <string_view>

namespace osilab::packet {

enum class PayloadEncoding : uint8_t {
    Empty,   // no bytes at all
    Ascii,   // printable ASCII plus tab, CR and LF: one byte per character
    Utf8,    // valid UTF-8 with at least one multi-byte character (e.g. 中文, 3 bytes each)
    Binary,  // anything else: control bytes, invalid UTF-8
};

// A multi-byte character cut by the end of the bytes still counts as UTF-8 text: TCP may split
// a character between two segments.
PayloadEncoding classifyPayload(const uint8_t* data, uint32_t size);
inline PayloadEncoding classifyPayload(std::string_view bytes) {
    return classifyPayload(reinterpret_cast<const uint8_t*>(bytes.data()),
                           static_cast<uint32_t>(bytes.size()));
}

inline bool isText(PayloadEncoding e) {
    return e == PayloadEncoding::Ascii || e == PayloadEncoding::Utf8;
}

const char* payloadEncodingName(PayloadEncoding e);  // "ASCII text", "UTF-8 text", "binary"…
const char* payloadEncodingNameZh(PayloadEncoding e);  // "ASCII 文本", "UTF-8 文本", "二进制"…

}  // namespace osilab::packet
