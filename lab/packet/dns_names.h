// DNS names (RFC 1035 section 4.1.4, with compression pointers) and the names of DNS types,
// classes, opcodes and reply codes, written the way tshark writes them. Internal.
#pragma once

#include <cstdint>
#include <string_view>

#include "lab/packet/byte_reader.h"

namespace osilab::packet {

struct DnsName {
    enum class Status : uint8_t {
        Ok,
        TooLong,      // more than 255 bytes: text is "<Name too long>"
        PointerLoop,  // compression pointers go round: "<Name contains a pointer that loops>"
        BadLabel,     // a label type other than length (00) or pointer (11)
        PointerOut,   // a compression pointer aims outside the message
        Truncated,    // the message ends inside the name
    };
    // Leaves `text` uninitialised: only its first text_len bytes are ever read, and zeroing
    // 1 KB for every DNS message cost more than reading its names.
    DnsName() {}

    // tshark's text: labels joined by '.', control bytes as \ooo, "<Root>" for the root. The
    // longest possible text: 255 name bytes, each escaped to four characters.
    char text[1024];
    uint32_t text_len = 0;
    uint32_t raw_len = 0;   // dns.qry.name.len: name bytes without escapes (text length on error)
    uint32_t labels = 0;    // dns.count.labels: dots in the name + 1, as tshark counts
    uint32_t wire_end = 0;  // just after the name where it sits (after its first pointer)
    Status status = Status::Ok;

    std::string_view view() const { return {text, text_len}; }
    // Ok, TooLong and PointerLoop still tell where the name ends, so parsing can go on.
    bool usable() const {
        return status == Status::Ok || status == Status::TooLong || status == Status::PointerLoop;
    }
};

// Reads the name at `offset` in the message [msg_begin, msg_end). Bounded: every step consumes
// message bytes, and more bytes processed than the message holds means a pointer loop.
void readDnsName(const ByteReader& bytes, uint32_t msg_begin, uint32_t msg_end, uint32_t offset,
                 DnsName& out);
const char* dnsNameProblem(DnsName::Status status);  // for a student, or nullptr when usable

const char* dnsTypeShort(uint16_t type);    // "A", "AAAA", "ANY"…, nullptr when unknown
const char* dnsTypeLong(uint16_t type);     // "A (Host Address)"…, "Unknown" when unknown
const char* dnsClassName(uint16_t cls);     // "IN", "CH"…, "Unknown"
const char* dnsOpcodeName(uint8_t opcode);  // "Standard query"…, nullptr when unknown
const char* dnsRcodeName(uint16_t rcode);   // "No error"…, nullptr when unknown
const char* dnsOptionName(uint16_t code);   // EDNS option codes: "COOKIE"…, "Unknown"
// "Standard query response, No error" for the dns.flags field (unknowns as tshark words them).
const char* dnsFlagsMeaning(uint16_t flags);

}  // namespace osilab::packet
