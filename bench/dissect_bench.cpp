// osilab_dissect_bench FILE [--summary-only] [--no-history]
//
// Measures the packet engine alone: capture reader + one Dissector over every packet of FILE,
// one reused Dissection, nothing printed per packet. Prints one line at the end; the sums of
// layers, fields and summary characters are printed so the compiler cannot drop the work.
//
//   (default)        DissectOptions{fields = true}: every layer, every field (layer view, -V)
//   --summary-only   DissectOptions{fields = false}: layers + summary (packet list, osilab show)
//   --no-history     conversation tracking forgets finished streams (what osilab show does)
//
// Wall time is measured inside (monotonic clock, open to last packet) so process start-up and
// exit are not counted; run_packet_bench.sh also measures the whole process from outside.
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "lab/capture/capture_reader.h"
#include "lab/packet/dissector.h"
#include "lab/packet/layer.h"

namespace {

struct Totals {
    uint64_t packets = 0;
    uint64_t layers = 0;
    uint64_t fields = 0;
    uint64_t problems = 0;
    uint64_t summary_chars = 0;  // source + destination + info, so the summary path is real work
    uint64_t custom_blocks = 0;
};

int usage(const char* argv0) {
    std::fprintf(stderr, "usage: %s FILE [--summary-only] [--no-history]\n", argv0);
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path;
    bool summary_only = false;
    bool keep_history = true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--summary-only") == 0) {
            summary_only = true;
        } else if (std::strcmp(argv[i], "--no-history") == 0) {
            keep_history = false;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return usage(argv[0]);
        } else if (path.empty()) {
            path = argv[i];
        } else {
            return usage(argv[0]);
        }
    }
    if (path.empty()) return usage(argv[0]);

    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();

    auto opened = osilab::capture::openCapture(path);
    if (!opened) {
        std::fprintf(stderr, "%s: %s\n", path.c_str(), opened.error().message.c_str());
        return 1;
    }
    std::unique_ptr<osilab::capture::CaptureReader> reader = std::move(opened).value();

    osilab::packet::Conversations::Options conversation_options;
    conversation_options.keep_history = keep_history;
    osilab::packet::Dissector dissector(conversation_options);
    osilab::packet::DissectOptions options;
    options.fields = !summary_only;

    osilab::capture::Record record;
    osilab::packet::Dissection dissection;  // reused: its vectors and strings keep their capacity
    Totals totals;
    osilab::capture::ReadStatus status;
    while ((status = reader->next(record)) == osilab::capture::ReadStatus::Ok) {
        if (record.kind != osilab::capture::Record::Kind::Packet) {
            ++totals.custom_blocks;
            continue;
        }
        const osilab::capture::PacketRecord& p = record.packet;
        osilab::packet::PacketView view;
        view.link_type = p.link_type;
        view.data = p.data;
        view.cap_len = p.cap_len;
        view.orig_len = p.orig_len;
        view.time_ns = p.time_ns;
        view.number = p.number;
        dissector.dissect(view, options, dissection);

        ++totals.packets;
        totals.layers += dissection.layers.size();
        totals.fields += dissection.fields.size();
        totals.problems += dissection.problems.size();
        totals.summary_chars += dissection.summary.source.size() +
                                dissection.summary.destination.size() +
                                dissection.summary.info.size();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();

    int exit_code = 0;
    if (status == osilab::capture::ReadStatus::Error) {
        std::fprintf(stderr, "%s: stopped after %llu packets: %s\n", path.c_str(),
                     static_cast<unsigned long long>(totals.packets), reader->error().c_str());
        exit_code = 1;
    }

    rusage usage_now{};
    getrusage(RUSAGE_SELF, &usage_now);
    std::printf("%s mode=%s history=%s packets=%llu layers=%llu fields=%llu problems=%llu "
                "summary_chars=%llu custom_blocks=%llu wall_s=%.3f packets_per_s=%.0f "
                "maxrss_kb=%ld\n",
                path.c_str(), summary_only ? "summary" : "fields", keep_history ? "keep" : "forget",
                static_cast<unsigned long long>(totals.packets),
                static_cast<unsigned long long>(totals.layers),
                static_cast<unsigned long long>(totals.fields),
                static_cast<unsigned long long>(totals.problems),
                static_cast<unsigned long long>(totals.summary_chars),
                static_cast<unsigned long long>(totals.custom_blocks), seconds,
                seconds > 0 ? static_cast<double>(totals.packets) / seconds : 0.0,
                usage_now.ru_maxrss);
    return exit_code;
}
