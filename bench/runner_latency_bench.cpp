// osilab_runner_bench --lessons DIR [--rounds N]
//
// Time from a socket call to its packets in the session, end to end through the lesson runner:
// every lesson of DIR runs N times (default 3) in a private lab network of its own, and the
// runner's live reports are timed as they arrive: on_call with the call's return (end_ns, taken
// by the actor's thread right after the call) and on_packet (stamped here, when the runner hands
// the packet on). A call's packets are those the kernel stamped while the call ran (start_ns to
// end_ns): on lo a call's own packets are stamped before it returns. Calls that cause
// none (socket, bind, listen) are not counted, nor the receiving calls (accept, recv, recvfrom),
// whose packets are the peer's, sent while they waited.
// Prints a readable report and "metric NAME VALUE" lines for run_lab_bench.sh; exit status 2 if
// it could not run.
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "bench/lab_bench_support.h"
#include "lab/labnet/private_network.h"
#include "lab/lesson/loader.h"
#include "lab/runner/runner.h"

namespace {

using namespace osilab;

struct TimedPacket {
    int64_t tap_ns = 0;
    int64_t delivered_ns = 0;
};

struct ReturnedCall {
    std::string call;
    int64_t start_ns = 0;
    int64_t end_ns = 0;
};

struct Samples {
    std::vector<int64_t> return_to_consumer, tap_to_consumer;
};

int usage(const char* argv0) {
    std::fprintf(stderr, "usage: %s --lessons DIR [--rounds N]\n", argv0);
    return 2;
}

double us(int64_t ns) {
    return static_cast<double>(ns) / 1000.0;
}

void print(const std::string& what, const bench::Spread& s) {
    std::printf("    %-34s median %9.1f  p90 %9.1f  max %9.1f us  (%zu)\n", what.c_str(),
                us(s.median_ns), us(s.p90_ns), us(s.max_ns), s.count);
}

// Adds one run's calls to the samples, per kind of call and in total.
void collect(const std::vector<ReturnedCall>& calls, const std::vector<TimedPacket>& packets,
             std::map<std::string, Samples>& by_call) {
    for (const ReturnedCall& call : calls) {
        // A blocked receiver's packets are its peer's doing, made while it waited.
        if (call.call == "accept" || call.call == "recv" || call.call == "recvfrom") continue;
        int64_t last_delivered = 0;
        int count = 0;
        for (const TimedPacket& p : packets) {
            if (p.tap_ns < call.start_ns || p.tap_ns > call.end_ns) continue;
            last_delivered = std::max(last_delivered, p.delivered_ns);
            ++count;
            by_call[call.call].tap_to_consumer.push_back(p.delivered_ns - p.tap_ns);
            by_call["all"].tap_to_consumer.push_back(p.delivered_ns - p.tap_ns);
        }
        if (count == 0) continue;
        by_call[call.call].return_to_consumer.push_back(last_delivered - call.end_ns);
        by_call["all"].return_to_consumer.push_back(last_delivered - call.end_ns);
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::string lessons_dir;
    int rounds = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--lessons" && i + 1 < argc) {
            lessons_dir = argv[++i];
        } else if (arg == "--rounds" && i + 1 < argc) {
            rounds = std::atoi(argv[++i]);
        } else {
            return usage(argv[0]);
        }
    }
    if (lessons_dir.empty() || rounds < 1) return usage(argv[0]);

    // First thing, while the process has one thread (see enterPrivateNetwork).
    auto network = labnet::enterPrivateNetwork();
    if (!network) {
        std::fprintf(stderr, "cannot enter the lab network: %s\n",
                     network.error().message.c_str());
        return 2;
    }
    auto list = lesson::listLessons(lessons_dir);
    if (!list) {
        std::fprintf(stderr, "%s\n", list.error().message.c_str());
        return 2;
    }
    std::vector<lesson::Lesson> lessons;
    for (const lesson::LessonInfo& info : list.value().lessons) {
        auto loaded = lesson::loadLesson(info.path);
        if (!loaded) {
            std::fprintf(stderr, "%s\n", loaded.error().message.c_str());
            return 2;
        }
        lessons.push_back(std::move(loaded).value());
    }
    if (lessons.empty()) {
        std::fprintf(stderr, "no lessons in %s\n", lessons_dir.c_str());
        return 2;
    }

    std::map<std::string, Samples> by_call;
    uint64_t dropped = 0;
    int runs = 0;
    for (int round = 0; round < rounds; ++round) {
        for (const lesson::Lesson& lesson : lessons) {
            std::mutex mutex;  // the runner serialises its reports; this is for the reads below
            std::vector<ReturnedCall> calls;
            std::vector<TimedPacket> packets;
            runner::RunOptions options;
            options.settle_ms = 100;  // the shortest the runner allows: more calls per second
            options.on_call = [&](const runner::CallRecord& call) {
                if (!call.returned || call.timed_out) return;
                std::lock_guard lock(mutex);
                calls.push_back({call.call, call.start_ns, call.end_ns});
            };
            options.on_packet = [&](const runner::PacketRecord& packet) {
                const int64_t delivered_ns = bench::realtimeNs();
                std::lock_guard lock(mutex);
                packets.push_back({packet.time_ns, delivered_ns});
            };
            auto result = runner::runLesson(lesson, options);
            if (!result) {
                std::fprintf(stderr, "%s: %s\n", lesson.id.c_str(),
                             result.error().message.c_str());
                return 2;
            }
            dropped += result.value().packets_dropped;
            ++runs;
            std::lock_guard lock(mutex);
            collect(calls, packets, by_call);
        }
    }

    std::printf("\n== through the runner: %d lesson runs (%zu lessons x %d), %llu packets dropped\n",
                runs, lessons.size(), rounds, static_cast<unsigned long long>(dropped));
    for (const auto& [call, samples] : by_call) {
        std::printf("  %s\n", call == "all" ? "every call with packets" : call.c_str());
        print("call returned -> on_packet", bench::spreadOf(samples.return_to_consumer));
        print("each packet: kernel stamp -> on_packet", bench::spreadOf(samples.tap_to_consumer));
    }
    const Samples& all = by_call["all"];
    const bench::Spread spread = bench::spreadOf(all.return_to_consumer);
    std::printf("metric runner.calls %zu\n", spread.count);
    std::printf("metric runner.dropped %llu\n", static_cast<unsigned long long>(dropped));
    std::printf("metric runner.median_us %.6g\n", us(spread.median_ns));
    std::printf("metric runner.p90_us %.6g\n", us(spread.p90_ns));
    std::printf("metric runner.max_us %.6g\n", us(spread.max_ns));
    std::printf("metric runner.tap_to_consumer_median_us %.6g\n",
                us(bench::spreadOf(all.tap_to_consumer).median_ns));
    return 0;
}
