#include "lab/capture/packet_filter.h"

#include <cstring>
#include <utility>

namespace osilab::capture {

namespace {

constexpr uint32_t kLinktypeEthernet = 1;

struct PcapCloser {
    void operator()(pcap_t* handle) const { pcap_close(handle); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

// Files carry LINKTYPE_* values; libpcap's compiler wants DLT_* values. They are the same
// except for a few historical ones (libpcap's own table, pcap-common.c linktype_to_dlt).
int dltFor(uint32_t link_type) {
    switch (link_type) {
        case 100: return DLT_ATM_RFC1483;
        case 101: return DLT_RAW;
        case 102: return DLT_SLIP_BSDOS;
        case 103: return DLT_PPP_BSDOS;
        case 106: return DLT_ATM_CLIP;
        case 246: return DLT_PFSYNC;
        default: return static_cast<int>(link_type);
    }
}

// libpcap prefixes some messages; the student only needs the reason.
std::string plainReason(std::string message) {
    static const char* const kPrefixes[] = {"can't parse filter expression: "};
    for (const char* prefix : kPrefixes) {
        if (message.rfind(prefix, 0) == 0) message.erase(0, std::strlen(prefix));
    }
    if (message == "syntax error in filter expression") message = "syntax error";
    return message;
}

}  // namespace

PacketFilter::Program::Program(Program&& other) noexcept : program_(other.program_) {
    other.program_ = bpf_program{};
}

PacketFilter::Program& PacketFilter::Program::operator=(Program&& other) noexcept {
    if (this != &other) {
        pcap_freecode(&program_);
        program_ = other.program_;
        other.program_ = bpf_program{};
    }
    return *this;
}

PacketFilter::Program::~Program() {
    pcap_freecode(&program_);
}

bool PacketFilter::compileFor(const std::string& expression, uint32_t link_type, Program& program,
                              std::string& problem) {
    PcapHandle dead(pcap_open_dead_with_tstamp_precision(dltFor(link_type), 262144,
                                                         PCAP_TSTAMP_PRECISION_NANO));
    if (!dead) {
        problem = "libpcap could not set up a filter compiler (out of memory?)";
        return false;
    }
    if (pcap_compile(dead.get(), program.get(), expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
        problem = plainReason(pcap_geterr(dead.get()));
        return false;
    }
    return true;
}

Result<PacketFilter> PacketFilter::compile(const std::string& bpf_expression) {
    PacketFilter filter(bpf_expression);
    Compiled ethernet;
    ethernet.link_type = kLinktypeEthernet;
    if (!compileFor(bpf_expression, kLinktypeEthernet, ethernet.program, ethernet.problem)) {
        return Error{"the filter '" + bpf_expression + "' is not valid BPF: " + ethernet.problem};
    }
    filter.compiled_.push_back(std::move(ethernet));
    return filter;
}

PacketFilter::Compiled& PacketFilter::compiledFor(uint32_t link_type) {
    if (last_ < compiled_.size() && compiled_[last_].link_type == link_type) {
        return compiled_[last_];
    }
    for (size_t i = 0; i < compiled_.size(); ++i) {
        if (compiled_[i].link_type == link_type) {
            last_ = i;
            return compiled_[i];
        }
    }
    Compiled compiled;
    compiled.link_type = link_type;
    if (!compileFor(expression_, link_type, compiled.program, compiled.problem)) {
        compiled.program = Program{};
    }
    compiled_.push_back(std::move(compiled));
    last_ = compiled_.size() - 1;
    return compiled_.back();
}

bool PacketFilter::matches(uint32_t link_type, const uint8_t* data, uint32_t cap_len,
                           uint32_t orig_len) {
    const Compiled& compiled = compiledFor(link_type);
    if (compiled.program.empty()) return false;
    pcap_pkthdr header{};
    header.caplen = cap_len;
    header.len = orig_len;
    return pcap_offline_filter(compiled.program.get(), &header, data) != 0;
}

std::string PacketFilter::linkTypeProblem(uint32_t link_type) const {
    for (const Compiled& compiled : compiled_) {
        if (compiled.link_type == link_type) return compiled.problem;
    }
    return {};
}

}  // namespace osilab::capture
