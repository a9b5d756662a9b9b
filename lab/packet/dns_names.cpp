#include "lab/packet/dns_names.h"

#include <array>
#include <string>

namespace osilab::packet {
namespace {

constexpr uint32_t kMaxNameBytes = 255;  // RFC 1035 section 2.3.4
// A real name needs at most one pointer per label (127); more hops can only be a loop. tshark
// instead walks until it has processed as many bytes as the message holds, which costs a
// hostile 64 KiB message billions of steps; the verdict is the same.
constexpr uint32_t kMaxPointerHops = 256;

struct TypeName {
    uint16_t type;
    const char* short_name;
    const char* long_name;
};

// tshark 4.0's dns_types_vals and dns_types_description_vals, in type order.
constexpr TypeName kTypes[] = {
    {0, "Unused", "Unused"},
    {1, "A", "A (Host Address)"},
    {2, "NS", "NS (authoritative Name Server)"},
    {3, "MD", "MD (Mail Destination)"},
    {4, "MF", "MF (Mail Forwarder)"},
    {5, "CNAME", "CNAME (Canonical NAME for an alias)"},
    {6, "SOA", "SOA (Start Of a zone of Authority)"},
    {7, "MB", "MB (MailBox domain name)"},
    {8, "MG", "MG (Mail Group member)"},
    {9, "MR", "MR (Mail Rename domain)"},
    {10, "NULL", "NULL RR"},
    {11, "WKS", "WKS (Well Known Service)"},
    {12, "PTR", "PTR (domain name PoinTeR)"},
    {13, "HINFO", "HINFO (host information)"},
    {14, "MINFO", "MINFO (Mailbox or mail list information)"},
    {15, "MX", "MX (Mail eXchange)"},
    {16, "TXT", "TXT (Text strings)"},
    {17, "RP", "RP (Responsible Person)"},
    {18, "AFSDB", "AFSDB (AFS Data Base location)"},
    {19, "X25", "X25 (XX.25 PSDN address)"},
    {20, "ISDN", "ISDN (ISDN address)"},
    {21, "RT", "RT (Route Through)"},
    {22, "NSAP", "NSAP (NSAP address)"},
    {23, "NSAP-PTR", "NSAP-PTR (NSAP domain name pointer)"},
    {24, "SIG", "SIG (security signature)"},
    {25, "KEY", "KEY (security key)"},
    {26, "PX", "PX (X.400 mail mapping information)"},
    {27, "GPOS", "GPOS (Geographical Position)"},
    {28, "AAAA", "AAAA (IPv6 Address)"},
    {29, "LOC", "LOC (Location Information)"},
    {30, "NXT", "NXT (Next Domain)"},
    {31, "EID", "EID (Endpoint Identifier)"},
    {32, "NIMLOC", "NIMLOC (Nimrod Locator)"},
    {33, "SRV", "SRV (Server Selection)"},
    {34, "ATMA", "ATMA (ATM Address)"},
    {35, "NAPTR", "NAPTR (Naming Authority Pointer)"},
    {36, "KX", "KX (Key Exchanger)"},
    {37, "CERT", "CERT"},
    {38, "A6", "A6 (OBSOLETE - use AAAA)"},
    {39, "DNAME", "DNAME"},
    {40, "SINK", "SINK"},
    {41, "OPT", "OPT"},
    {42, "APL", "APL"},
    {43, "DS", "DS (Delegation Signer)"},
    {44, "SSHFP", "SSHFP (SSH Key Fingerprint)"},
    {45, "IPSECKEY", "IPSECKEY"},
    {46, "RRSIG", "RRSIG (Resource Record Signature)"},
    {47, "NSEC", "NSEC (Next Secure)"},
    {48, "DNSKEY", "DNSKEY (DNS Public Key)"},
    {49, "DHCID", "DHCID"},
    {50, "NSEC3", "NSEC3"},
    {51, "NSEC3PARAM", "NSEC3PARAM"},
    {52, "TLSA", "TLSA"},
    {55, "HIP", "HIP (Host Identity Protocol)"},
    {57, "RKEY", "RKEY"},
    {58, "TALINK", "TALINK (Trust Anchor LINK)"},
    {59, "CDS", "CDS (Child DS)"},
    {60, "CDNSKEY", "CDNSKEY (DNSKEY(s) the Child wants reflected in DS)"},
    {61, "OPENPGPKEY", "OPENPGPKEY (OpenPGP Key)"},
    {62, "CSYNC", "CSYNC (Child-to-Parent Synchronization)"},
    {63, "ZONEMD", "ZONEMD"},
    {64, "SVCB", "SVCB (General Purpose Service Endpoints)"},
    {65, "HTTPS", "HTTPS (HTTPS Specific Service Endpoints)"},
    {99, "SPF", "SPF"},
    {100, "UINFO", "UINFO"},
    {101, "UID", "UID"},
    {102, "GID", "GID"},
    {103, "UNSPEC", "UNSPEC"},
    {104, "NID", "NID (NodeID)"},
    {105, "L32", "L32 (Locator32)"},
    {106, "L64", "L64 (Locator64)"},
    {107, "LP", "LP (Locator FQDN)"},
    {108, "EUI48", "EUI48"},
    {109, "EUI64", "EUI64"},
    {249, "TKEY", "TKEY (Transaction Key)"},
    {250, "TSIG", "TSIG (Transaction Signature)"},
    {251, "IXFR", "IXFR (incremental transfer)"},
    {252, "AXFR", "AXFR (transfer of an entire zone)"},
    {253, "MAILB", "MAILB (mailbox-related RRs)"},
    {254, "MAILA", "MAILA (mail agent RRs)"},
    {255, "ANY", "* (A request for all records the server/cache has available)"},
    {256, "URI", "URI"},
    {257, "CAA", "CAA (Certification Authority Restriction)"},
    {32768, "TA", "TA (DNSSEC Trust Authorities)"},
    {32769, "DLV", "DLV (DNSSEC Lookaside Validation)"},
    {65281, "WINS", "WINS"},
    {65282, "WINS-R", "WINS-R"},
    {65422, "XPF", "XPF"},
};

const TypeName* findType(uint16_t type) {
    // The table starts with the types 0, 1, 2… in order (A, NS, … AAAA): those, by far the
    // most common, are found by index; the rest by binary search.
    if (type < sizeof kTypes / sizeof kTypes[0] && kTypes[type].type == type) return &kTypes[type];
    size_t lo = 0, hi = sizeof kTypes / sizeof kTypes[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (kTypes[mid].type < type)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sizeof kTypes / sizeof kTypes[0] && kTypes[lo].type == type ? &kTypes[lo] : nullptr;
}

void setText(DnsName& out, const char* text) {
    uint32_t n = 0;
    while (text[n] && n < sizeof out.text) {
        out.text[n] = text[n];
        ++n;
    }
    out.text_len = n;
    out.raw_len = n;
    out.labels = 1;
}

}  // namespace

void readDnsName(const ByteReader& b, uint32_t msg_begin, uint32_t msg_end, uint32_t offset,
                 DnsName& out) {
    out.text_len = 0;
    out.raw_len = 0;
    out.labels = 1;
    out.wire_end = 0;
    out.status = DnsName::Status::Ok;
    if (msg_end > b.size()) msg_end = b.size();
    const uint32_t msg_size = msg_end > msg_begin ? msg_end - msg_begin : 0;
    uint32_t p = offset;
    uint32_t processed = 0, hops = 0;
    bool jumped = false, too_long = false;
    for (;;) {
        if (p >= msg_end) {
            out.status = DnsName::Status::Truncated;
            break;
        }
        const uint8_t len = b.u8(p);
        if ((len & 0xc0) == 0xc0) {
            if (p + 2 > msg_end) {
                out.status = DnsName::Status::Truncated;
                break;
            }
            const uint32_t target = msg_begin + (b.u16(p) & 0x3fff);
            if (!jumped) out.wire_end = p + 2;
            jumped = true;
            processed += 2;
            if (processed >= msg_size || ++hops > kMaxPointerHops) {
                out.status = DnsName::Status::PointerLoop;
                break;
            }
            if (target >= msg_end) {
                out.status = DnsName::Status::PointerOut;
                break;
            }
            p = target;
            continue;
        }
        if (len & 0xc0) {
            out.status = DnsName::Status::BadLabel;
            break;
        }
        if (len == 0) {
            if (!jumped) out.wire_end = p + 1;
            break;
        }
        if (p + 1 + len > msg_end) {
            out.status = DnsName::Status::Truncated;
            break;
        }
        processed += len + 1u;
        if (jumped && processed >= msg_size) {
            out.status = DnsName::Status::PointerLoop;
            break;
        }
        if (!too_long) {
            if (out.raw_len + (out.raw_len ? 1u : 0u) + len > kMaxNameBytes) {
                too_long = true;
                if (jumped) break;  // the name's end in place is known already
            } else {
                if (out.raw_len) {
                    out.text[out.text_len++] = '.';
                    out.raw_len++;
                    out.labels++;
                }
                for (uint32_t i = 0; i < len; ++i) {
                    const uint8_t c = b.u8(p + 1 + i);
                    if (c < 0x20 || c == 0x7f) {  // tshark writes control bytes in octal
                        out.text[out.text_len++] = '\\';
                        out.text[out.text_len++] = static_cast<char>('0' + (c >> 6));
                        out.text[out.text_len++] = static_cast<char>('0' + ((c >> 3) & 7));
                        out.text[out.text_len++] = static_cast<char>('0' + (c & 7));
                    } else {
                        if (c == '.') out.labels++;  // tshark counts every dot, even in a label
                        out.text[out.text_len++] = static_cast<char>(c);
                    }
                }
                out.raw_len += len;
            }
        }
        p += 1u + len;
    }
    if (out.status == DnsName::Status::Ok && too_long) out.status = DnsName::Status::TooLong;
    switch (out.status) {
        case DnsName::Status::Ok:
            if (out.raw_len == 0) setText(out, "<Root>");
            break;
        case DnsName::Status::TooLong: setText(out, "<Name too long>"); break;
        case DnsName::Status::PointerLoop:
            setText(out, "<Name contains a pointer that loops>");
            break;
        default: break;  // unusable: the text so far stays, for the problem message only
    }
}

const char* dnsNameProblem(DnsName::Status status) {
    switch (status) {
        case DnsName::Status::Ok: return nullptr;
        case DnsName::Status::TooLong:
            return "a domain name is longer than the 255 bytes DNS allows";
        case DnsName::Status::PointerLoop:
            return "a compressed domain name points back into itself and would never end";
        case DnsName::Status::BadLabel:
            return "a domain name uses a label type DNS does not define (first bits 01 or 10)";
        case DnsName::Status::PointerOut:
            return "a compressed domain name points outside the DNS message";
        case DnsName::Status::Truncated:
            return "the DNS message ends in the middle of a domain name";
    }
    return nullptr;
}

const char* dnsTypeShort(uint16_t type) {
    const TypeName* t = findType(type);
    return t ? t->short_name : nullptr;
}

const char* dnsTypeLong(uint16_t type) {
    const TypeName* t = findType(type);
    return t ? t->long_name : "Unknown";
}

const char* dnsClassName(uint16_t cls) {
    switch (cls) {
        case 1: return "IN";
        case 2: return "CS";
        case 3: return "CH";
        case 4: return "HS";
        case 254: return "NONE";
        case 255: return "ANY";
        default: return "Unknown";
    }
}

const char* dnsOpcodeName(uint8_t opcode) {
    switch (opcode) {
        case 0: return "Standard query";
        case 1: return "Inverse query";
        case 2: return "Server status request";
        case 4: return "Zone change notification";
        case 5: return "Dynamic update";
        case 6: return "DNS Stateful operations (DSO)";
        default: return nullptr;
    }
}

const char* dnsRcodeName(uint16_t rcode) {
    switch (rcode) {
        case 0: return "No error";
        case 1: return "Format error";
        case 2: return "Server failure";
        case 3: return "No such name";
        case 4: return "Not implemented";
        case 5: return "Refused";
        case 6: return "Name exists";
        case 7: return "RRset exists";
        case 8: return "RRset does not exist";
        case 9: return "Not authoritative";
        case 10: return "Name out of zone";
        case 11: return "DSO-Type not implemented";
        case 16: return "Bad OPT Version or TSIG Signature Failure";
        case 17: return "Key not recognized";
        case 18: return "Signature out of time window";
        case 19: return "Bad TKEY Mode";
        case 20: return "Duplicate key name";
        case 21: return "Algorithm not supported";
        case 22: return "Bad Truncation";
        case 23: return "Bad/missing Server Cookie";
        default: return nullptr;
    }
}

const char* dnsOptionName(uint16_t code) {
    switch (code) {
        case 0: return "Reserved";
        case 1: return "LLQ - Long-lived query";
        case 2: return "UL - Update lease";
        case 3: return "NSID - Name Server Identifier";
        case 4: return "Owner (reserved)";
        case 5: return "DAU - DNSSEC Algorithm Understood (RFC6975)";
        case 6: return "DHU - DS Hash Understood (RFC6975)";
        case 7: return "N3U - NSEC3 Hash Understood (RFC6975)";
        case 8: return "CSUBNET - Client subnet";
        case 9: return "EDNS EXPIRE (RFC7314)";
        case 10: return "COOKIE";
        case 11: return "EDNS TCP Keepalive";
        case 12: return "PADDING";
        case 13: return "CHAIN";
        case 15: return "Extended DNS Error";
        case 20730: return "Experimental - CSUBNET - Client subnet";
        default: return "Unknown";
    }
}

const char* dnsFlagsMeaning(uint16_t flags) {
    // Indexed by response bit, opcode and rcode: 512 texts, built once.
    static const std::array<std::string, 512> table = [] {
        std::array<std::string, 512> t;
        for (uint32_t i = 0; i < 512; ++i) {
            bool response = i & 256;
            uint8_t opcode = (i >> 4) & 0xf, rcode = i & 0xf;
            const char* op = dnsOpcodeName(opcode);
            std::string s = op ? op : "Unknown operation";
            if (response) {
                const char* rc = dnsRcodeName(rcode);
                s += " response, ";
                s += rc ? rc : "Unknown error";
            }
            t[i] = std::move(s);
        }
        return t;
    }();
    uint32_t i = (flags & 0x8000 ? 256u : 0u) | ((flags >> 11) & 0xfu) << 4 | (flags & 0xfu);
    return table[i].c_str();
}

}  // namespace osilab::packet
