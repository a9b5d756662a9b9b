#include "lab/runner/session_stream.h"

#include "lab/capture/capture_reader.h"
#include "lab/lesson/names.h"

namespace osilab::runner {

Result<bool> SessionWriter::begin(uint32_t link_type) {
    auto header = writer_.writeSectionHeader();
    if (!header) return header.error();
    auto id = writer_.addInterface(link_type, 262144, "lo");
    if (!id) return id.error();
    interface_ = id.value();
    return true;
}

Result<bool> SessionWriter::writeCall(const lesson::Lesson& lesson, const CallRecord& call) {
    SessionEvent e;
    e.kind = SessionEventKind::SocketCall;
    e.call = call;
    if (call.actor >= 0 && size_t(call.actor) < lesson.actors.size())
        e.call_actor = lesson.actors[call.actor].name;
    auto written = writer_.writeCustomBlock(kOsilabPen, encodeSessionEvent(e));
    if (!written) return written.error();
    return true;
}

Result<bool> SessionWriter::writeStep(const lesson::Lesson& lesson, const StepRecord& record) {
    const lesson::Step& step = lesson.steps[record.step];
    SessionEvent mark;
    mark.kind = SessionEventKind::StepMark;
    mark.step.step = record.step;
    mark.step.actor = lesson.actors[step.actor].name;
    mark.step.call = std::string(lesson::callName(step.call));
    mark.step.say_zh = step.say.zh;
    mark.step.say_en = step.say.en;
    mark.step.python = step.code.python;
    mark.step.c = step.code.c;
    mark.step.start_ns = record.start_ns;
    mark.step.end_ns = record.end_ns;
    mark.step.call_pending = record.call_pending;
    auto written = writer_.writeCustomBlock(kOsilabPen, encodeSessionEvent(mark));
    if (!written) return written.error();
    for (const CallRecord& call : record.calls) {
        auto ok = writeCall(lesson, call);
        if (!ok) return ok;
    }
    for (size_t i = 0; i < record.packets.size(); ++i) {
        const PacketRecord& p = record.packets[i];
        std::vector<std::string> comments;
        if (i == 0) {
            comments.push_back("Step " + std::to_string(record.step + 1) + " (" + mark.step.actor +
                               " " + mark.step.call + "): " + step.say.en);
            comments.push_back("第 " + std::to_string(record.step + 1) + " 步: " + step.say.zh);
        }
        auto packet = writer_.writePacket(interface_, p.time_ns, p.bytes.data(),
                                          uint32_t(p.bytes.size()), p.orig_len, comments);
        if (!packet) return packet.error();
    }
    SessionEvent states;
    states.kind = SessionEventKind::StateSnapshot;
    states.states.step = record.step;
    states.states.time_ns = record.end_ns;
    for (const auto& s : record.states) {
        const auto& decl = lesson.sockets[s.socket];
        SocketState state;
        state.socket = lesson.actors[decl.actor].name + "." + decl.name;
        state.state = std::string(lesson::tcpStateName(s.state));
        states.states.states.push_back(std::move(state));
    }
    written = writer_.writeCustomBlock(kOsilabPen, encodeSessionEvent(states));
    if (!written) return written.error();
    return true;
}

Result<SessionContents> readSession(const std::string& path) {
    auto opened = capture::openCapture(path);
    if (!opened) return opened.error();
    auto& reader = *opened.value();
    SessionContents contents;
    capture::Record record;
    for (;;) {
        auto status = reader.next(record);
        if (status == capture::ReadStatus::End) break;
        if (status == capture::ReadStatus::Error) {
            contents.error = reader.error();
            break;
        }
        if (record.kind == capture::Record::Kind::Packet) {
            SessionPacket p;
            p.time_ns = record.packet.time_ns;
            p.orig_len = record.packet.orig_len;
            p.bytes.assign(record.packet.data, record.packet.data + record.packet.cap_len);
            p.comments = record.packet.comments;
            contents.packets.push_back(std::move(p));
        } else if (record.custom.pen == kOsilabPen) {
            auto event = decodeSessionEvent(record.custom.data.data(), record.custom.data.size());
            if (!event) continue;
            event->packets_before = record.custom.packets_before;
            contents.events.push_back(std::move(*event));
        }
    }
    return contents;
}

}  // namespace osilab::runner
