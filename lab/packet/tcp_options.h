// TCP options (RFC 9293 section 3.1 and the RFCs of each option): the fields under tcp.options
// and the notes tshark appends to the Info column ("MSS=1460 SACK_PERM WS=128"). Internal.
#pragma once

#include <cstdint>

#include "lab/packet/dissect_context.h"
#include "lab/packet/info_writer.h"

namespace osilab::packet {

// Shift count of a Window Scale option in [begin, end), or -1 when there is none or it is
// malformed. Conversation tracking needs it before the options are dissected.
int findTcpWindowShift(const ByteReader& bytes, uint32_t begin, uint32_t end);

struct TcpOptionsContext {
    bool syn = false;
    bool peer_base_known = false;  // SACK edges are shown relative to the other side's ISN
    uint32_t peer_base_seq = 0;
};

// Dissects the options in [begin, end): `declared_end` is where the header length says they
// end (beyond `end` when the capture was cut). Adds fields when wanted, records a Problem on
// a malformed option, and appends Info notes to `info` when it is not null.
void dissectTcpOptions(DissectContext& ctx, uint32_t begin, uint32_t end, uint32_t declared_end,
                       const TcpOptionsContext& oc, InfoWriter* info);

}  // namespace osilab::packet
