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

Result<bool> SessionWriter::writeEvent(const SessionEvent& event) {
    auto written = writer_.writeCustomBlock(kOsilabPen, encodeSessionEvent(event));
    if (!written) return written.error();
    return true;
}

StepMark stepMarkOf(const lesson::Lesson& lesson, const lesson::Step& step, int64_t start_ns) {
    StepMark mark;
    mark.step = step.index;
    mark.actor = lesson.actors[step.actor].name;
    mark.call = std::string(lesson::callName(step.call));
    mark.say_zh = step.say.zh;
    mark.say_en = step.say.en;
    mark.python = step.code.python;
    mark.c = step.code.c;
    mark.start_ns = start_ns;
    if (step.ask) {
        StepQuestion question;
        question.text_zh = step.ask->text.zh;
        question.text_en = step.ask->text.en;
        for (const auto& choice : step.ask->choices) question.choices.emplace_back(choice.zh, choice.en);
        question.answer = step.ask->answer;
        mark.ask = std::move(question);
    }
    return mark;
}

Result<bool> SessionWriter::writeRunStart(const lesson::Lesson& lesson, const std::string& network) {
    SessionEvent e;
    e.kind = SessionEventKind::RunStart;
    e.run.lesson_id = lesson.id;
    e.run.title_zh = lesson.title.zh;
    e.run.title_en = lesson.title.en;
    e.run.summary_zh = lesson.summary.zh;
    e.run.summary_en = lesson.summary.en;
    e.run.step_count = int(lesson.steps.size());
    for (const auto& actor : lesson.actors) e.run.actors.push_back(actor.name);
    e.run.network = network;
    return writeEvent(e);
}

Result<bool> SessionWriter::writeStepStart(const lesson::Lesson& lesson, const lesson::Step& step,
                                           int64_t start_ns) {
    SessionEvent e;
    e.kind = SessionEventKind::StepMark;
    e.step = stepMarkOf(lesson, step, start_ns);
    return writeEvent(e);
}

Result<bool> SessionWriter::writeCall(const lesson::Lesson& lesson, const CallRecord& call) {
    SessionEvent e;
    e.kind = SessionEventKind::SocketCall;
    e.call = call;
    if (call.actor >= 0 && size_t(call.actor) < lesson.actors.size())
        e.call_actor = lesson.actors[call.actor].name;
    return writeEvent(e);
}

Result<bool> SessionWriter::writePacket(const lesson::Lesson& lesson, const PacketRecord& packet) {
    std::vector<std::string> comments;
    if (packet.step >= 0 && packet.step != commented_step_ &&
        size_t(packet.step) < lesson.steps.size()) {
        const lesson::Step& step = lesson.steps[size_t(packet.step)];
        const std::string actor = lesson.actors[step.actor].name;
        const std::string call(lesson::callName(step.call));
        comments.push_back("Step " + std::to_string(step.index + 1) + " (" + actor + " " + call +
                           "): " + step.say.en);
        comments.push_back("第 " + std::to_string(step.index + 1) + " 步: " + step.say.zh);
        commented_step_ = packet.step;
    }
    auto written = writer_.writePacket(interface_, packet.time_ns, packet.bytes.data(),
                                       uint32_t(packet.bytes.size()), packet.orig_len, comments);
    if (!written) return written.error();
    return true;
}

Result<bool> SessionWriter::writeStepEnd(const StepRecord& record) {
    SessionEvent e;
    e.kind = SessionEventKind::StepEnd;
    e.step_end = {record.step, record.end_ns, record.call_pending};
    return writeEvent(e);
}

Result<bool> SessionWriter::writeStates(const StateSnapshotEvent& states) {
    SessionEvent e;
    e.kind = SessionEventKind::StateSnapshot;
    e.states = states;
    return writeEvent(e);
}

Result<bool> SessionWriter::writeStep(const lesson::Lesson& lesson, const StepRecord& record) {
    const lesson::Step& step = lesson.steps[record.step];
    SessionEvent mark;
    mark.kind = SessionEventKind::StepMark;
    mark.step = stepMarkOf(lesson, step, record.start_ns);
    mark.step.end_ns = record.end_ns;
    mark.step.call_pending = record.call_pending;
    if (auto ok = writeEvent(mark); !ok) return ok;
    for (const CallRecord& call : record.calls) {
        auto ok = writeCall(lesson, call);
        if (!ok) return ok;
    }
    for (const PacketRecord& p : record.packets) {
        PacketRecord numbered = p;
        numbered.step = record.step;
        if (auto ok = writePacket(lesson, numbered); !ok) return ok;
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
    return writeEvent(states);
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
