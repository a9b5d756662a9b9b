// BPF filters ("tcp port 80", "host 10.0.0.1") over packets of any link type. An expression is
// compiled once per link type on first use, with libpcap's compiler and no capture device.
#pragma once

#include <pcap/pcap.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lab/common/result.h"

namespace osilab::capture {

class PacketFilter {
public:
    // Checks the expression against Ethernet; an invalid one gives an Error quoting libpcap,
    // e.g. "the filter 'tcp prot 80' is not valid BPF: syntax error".
    static Result<PacketFilter> compile(const std::string& bpf_expression);

    PacketFilter(PacketFilter&&) noexcept = default;
    PacketFilter& operator=(PacketFilter&&) noexcept = default;
    PacketFilter(const PacketFilter&) = delete;
    PacketFilter& operator=(const PacketFilter&) = delete;
    ~PacketFilter() = default;

    // False also when the expression means nothing for this link type (e.g. "ether host …" on
    // raw IP); linkTypeProblem() then says why.
    bool matches(uint32_t link_type, const uint8_t* data, uint32_t cap_len, uint32_t orig_len);

    const std::string& expression() const { return expression_; }
    // libpcap's reason the expression cannot apply to `link_type`; empty if it can (or was not
    // tried yet).
    std::string linkTypeProblem(uint32_t link_type) const;

private:
    // A compiled bpf_program, freed with pcap_freecode.
    class Program {
    public:
        Program() = default;
        Program(Program&& other) noexcept;
        Program& operator=(Program&& other) noexcept;
        Program(const Program&) = delete;
        Program& operator=(const Program&) = delete;
        ~Program();
        bpf_program* get() { return &program_; }
        const bpf_program* get() const { return &program_; }
        bool empty() const { return program_.bf_insns == nullptr; }

    private:
        bpf_program program_{};
    };
    struct Compiled {
        uint32_t link_type = 0;
        Program program;  // empty when the expression does not apply to this link type
        std::string problem;
    };

    explicit PacketFilter(std::string expression) : expression_(std::move(expression)) {}
    // Compiles for a link type; on failure returns false and sets `problem` to libpcap's words.
    static bool compileFor(const std::string& expression, uint32_t link_type, Program& program,
                           std::string& problem);
    Compiled& compiledFor(uint32_t link_type);

    std::string expression_;
    std::vector<Compiled> compiled_;  // a few link types at most: linear search is fastest
    size_t last_ = 0;                 // packets come in runs of the same link type
};

}  // namespace osilab::capture
