#include "lab/session/conversation_table.h"

namespace osilab::session {

void ConversationTable::update(const Session& session) {
    const size_t count = session.packetCount();
    for (; scanned_ < count; ++scanned_) {
        const PacketIndex& p = session.packet(scanned_);
        if (!p.isTcp() && !p.isUdp()) continue;
        std::vector<ConversationRow>& rows = p.isTcp() ? tcp_ : udp_;
        // Indexes count up from 0 as streams appear, so the table grows by appending.
        while (rows.size() <= p.conversation) {
            ConversationRow row;
            row.tcp = p.isTcp();
            row.index = static_cast<uint32_t>(rows.size());
            row.first_packet = static_cast<uint32_t>(scanned_);
            rows.push_back(row);
        }
        ConversationRow& row = rows[p.conversation];
        if (row.packets == 0) row.first_packet = static_cast<uint32_t>(scanned_);
        row.last_packet = static_cast<uint32_t>(scanned_);
        ++row.packets;
        row.bytes += p.orig_len;
    }
}

}  // namespace osilab::session
