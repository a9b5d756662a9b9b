#include "visualizer/model_state.h"

#include <fstream>

namespace osilab::viewer {

bool writeModelState(const std::string& path, const Model& model, const UiState& ui) {
    std::ofstream out(path, std::ios::trunc);
    const session::Session* session = model.session();
    out << "packets " << (session ? session->packetCount() : 0) << '\n';
    out << "rows " << model.rowCount() << '\n';
    out << "load " << session::loadStateName(model.status().state) << '\n';
    if (const session::FilterJob* filter = model.filter())
        out << "filter " << filter->expression() << '\n';
    if (!ui.filter_error.empty()) out << "filter_error " << ui.filter_error << '\n';
    if (ui.selected_packet) {
        out << "selected " << *ui.selected_packet + 1 << '\n';  // counted from 1, as shown
        if (auto row = model.rowOfPacket(*ui.selected_packet))
            out << "selected_row " << *row << '\n';
        if (const PacketDetail* detail = model.detail(*ui.selected_packet))
            out << "selected_protocol "
                << packet::protocolDisplay(detail->dissection.summary.protocol) << '\n';
    }
    if (const FollowedView* followed = model.followed()) {
        out << "followed " << followed->stream.client << ' ' << followed->stream.server << '\n';
        for (const std::string& text : followed->text) out << "piece " << text << '\n';
    }
    return bool(out);
}

}  // namespace osilab::viewer
