#include "lab/cli/show_command.h"

#include <cstdio>
#include <optional>

#include "lab/capture/capture_reader.h"
#include "lab/capture/packet_filter.h"
#include "lab/cli/exit_codes.h"
#include "lab/cli/json_lines.h"
#include "lab/cli/output.h"
#include "lab/cli/session_events_view.h"
#include "lab/cli/summary_line.h"
#include "lab/cli/verbose_view.h"
#include "lab/packet/dissector.h"

namespace osilab::cli {

int runShow(const ShowOptions& options) {
    std::optional<capture::PacketFilter> filter;
    if (!options.filter.empty()) {
        auto compiled = capture::PacketFilter::compile(options.filter);
        if (!compiled) {
            std::fprintf(stderr, "osilab: %s\n", compiled.error().message.c_str());
            return kExitUsage;
        }
        filter.emplace(std::move(compiled).value());
    }

    auto opened = capture::openCapture(options.file);
    if (!opened) {
        std::fprintf(stderr, "osilab: %s\n", opened.error().message.c_str());
        return kExitCannotRead;
    }
    capture::CaptureReader& reader = *opened.value();

    // Forget finished conversations as we go: memory stays flat on captures of any size.
    packet::Dissector dissector(packet::Conversations::Options{.keep_history = false});
    packet::DissectOptions dissect_options;
    dissect_options.fields = options.verbose || options.json;
    packet::Dissection dissection;
    Output out(stdout);
    // Our lesson runs' records (steps, calls, states) print between the packets they frame.
    SessionEventsView events(options.json      ? EventsForm::Json
                             : options.verbose ? EventsForm::Verbose
                                               : EventsForm::Summary,
                             options.language);

    capture::Record record;
    std::optional<int64_t> first_time;
    int64_t shown = 0;
    capture::ReadStatus status;
    while ((status = reader.next(record)) == capture::ReadStatus::Ok) {
        if (record.kind != capture::Record::Kind::Packet) {
            events.append(out.buffer(), record.custom);
            continue;
        }
        const capture::PacketRecord& p = record.packet;
        if (!first_time) first_time = p.time_ns;
        if (filter && !filter->matches(p.link_type, p.data, p.cap_len, p.orig_len)) continue;

        packet::PacketView view;
        view.link_type = p.link_type;
        view.data = p.data;
        view.cap_len = p.cap_len;
        view.orig_len = p.orig_len;
        view.time_ns = p.time_ns;
        view.number = p.number;
        dissector.dissect(view, dissect_options, dissection);

        const int64_t relative = p.time_ns - *first_time;
        FrameFacts facts{p.number, p.time_ns, p.orig_len, p.cap_len, p.link_type, p.data, &p.comments};
        if (options.json) {
            appendPacketJson(out.buffer(), facts, dissection);
        } else if (options.verbose) {
            appendPacketVerbose(out.buffer(), facts, relative, dissection, dissector.conversations(),
                                options.language);
        } else {
            appendSummaryLine(out.buffer(), p.number, relative, dissection.summary, p.orig_len);
            for (const std::string& comment : p.comments) {
                out.buffer().append("       # ");
                out.buffer().append(comment);
                out.buffer().push_back('\n');
            }
        }
        out.maybeFlush();
        if (out.failed()) return kExitOk;  // the reader went away (e.g. `| head`): nothing to add
        if (options.count >= 0 && ++shown >= options.count) break;
    }
    out.flush();
    if (status == capture::ReadStatus::Error) {
        std::fprintf(stderr, "osilab: %s\n", reader.error().c_str());
        return kExitDamaged;
    }
    return kExitOk;
}

}  // namespace osilab::cli
