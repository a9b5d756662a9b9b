// osilab_lab_bench [--calls N] [--burst N] [--buffer-mib M] [--only latency|burst]
//
// The lab network's capture path, measured inside a private lab network of its own (no root
// needed; as root a plain network namespace):
//   latency  N calls each of UDP sendto, TCP connect and TCP send; for each, the time from the
//            call's return to the moment LiveCapture's read loop hands its packets to the
//            consumer, with libpcap's kernel time stamps to show where the time goes;
//   burst    a bounded burst of small UDP datagrams while the read loop reads, with libpcap's
//            drop counters, for the ring the runner opens and for a larger one, and with the
//            sender free or yielding the reader's CPU; plus how many packets each ring holds.
// Prints a readable report, then one "metric NAME VALUE" line per figure for
// run_lab_bench.sh, which judges them. Exit status 2 if the benchmark could not run.
#include <pcap/pcap.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "bench/lab_burst_bench.h"
#include "bench/lab_latency_bench.h"
#include "lab/labnet/private_network.h"

namespace {

using namespace osilab;

struct Options {
    int calls = 1000;
    int burst = 100'000;
    int buffer_mib = 128;
    bool latency = true;
    bool bursts = true;
};

int usage(const char* argv0) {
    std::fprintf(stderr,
                 "usage: %s [--calls N] [--burst N] [--buffer-mib M] [--only latency|burst]\n",
                 argv0);
    return 2;
}

void metric(const std::string& name, double value) {
    std::printf("metric %s %.6g\n", name.c_str(), value);
}

double us(int64_t ns) {
    return static_cast<double>(ns) / 1000.0;
}

void printSpread(const char* what, const bench::Spread& s) {
    std::printf("    %-34s median %9.1f  p90 %9.1f  max %9.1f us  (%zu)\n", what, us(s.median_ns),
                us(s.p90_ns), us(s.max_ns), s.count);
}

std::string metricName(std::string call) {
    for (char& c : call) c = c == ' ' ? '_' : static_cast<char>(std::tolower(c));
    return call;
}

std::string loadAverage() {
    std::ifstream file("/proc/loadavg");
    std::string one, five, fifteen;
    file >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

int runLatency(const Options& options) {
    bench::LatencyOptions latency_options;
    latency_options.calls = options.calls;
    auto measured = bench::measureCallLatency(latency_options);
    if (!measured) {
        std::fprintf(stderr, "latency benchmark failed: %s\n", measured.error().message.c_str());
        return 2;
    }
    std::printf("\n== call -> packets in the session (%d calls each, load %s)\n", options.calls,
                loadAverage().c_str());
    for (const bench::CallLatency& c : measured.value()) {
        std::printf("  %s (%d packet%s per call, %d lost)\n", c.call.c_str(), c.packets_per_call,
                    c.packets_per_call == 1 ? "" : "s", c.lost);
        printSpread("call returned -> consumer", c.return_to_consumer);
        printSpread("call entered -> first kernel stamp", c.call_to_tap);
        printSpread("last kernel stamp -> call returned", c.tap_to_return);
        printSpread("each packet: kernel stamp -> consumer", c.tap_to_consumer);
        const std::string name = "latency." + metricName(c.call);
        metric(name + ".calls", c.calls);
        metric(name + ".lost", c.lost);
        metric(name + ".median_us", us(c.return_to_consumer.median_ns));
        metric(name + ".p90_us", us(c.return_to_consumer.p90_ns));
        metric(name + ".max_us", us(c.return_to_consumer.max_ns));
        metric(name + ".tap_to_consumer_median_us", us(c.tap_to_consumer.median_ns));
        metric(name + ".call_to_tap_median_us", us(c.call_to_tap.median_ns));
    }
    return 0;
}

int runBursts(const Options& options) {
    const int default_bytes = labnet::CaptureOptions{}.buffer_bytes;
    const int large_bytes = options.buffer_mib << 20;
    std::printf("\n== packets a ring holds with no reader (small UDP datagrams)\n");
    for (const auto& [name, bytes] : {std::pair{"default", default_bytes}, {"large", large_bytes}}) {
        auto capacity = bench::measureRingCapacity(bytes, 20'000);
        if (!capacity) {
            std::fprintf(stderr, "ring capacity failed: %s\n", capacity.error().message.c_str());
            return 2;
        }
        std::printf("  %-8s %4d MiB: %llu packets held (of 20000 sent)\n", name, bytes >> 20,
                    static_cast<unsigned long long>(capacity.value().held));
        metric(std::string("ring.") + name + ".mib", bytes >> 20);
        metric(std::string("ring.") + name + ".held", static_cast<double>(capacity.value().held));
    }

    struct Config {
        const char* name;
        const char* what;
        int bytes;
        bool yields;
    };
    const Config configs[] = {
        {"default_free", "runner's ring, sender scheduled freely", default_bytes, false},
        {"large_free", "large ring, sender scheduled freely", large_bytes, false},
        {"large_yield", "large ring, sender yields the reader's CPU", large_bytes, true},
    };
    std::printf("\n== burst of %d UDP datagrams (16-byte payload), libpcap's counters\n",
                options.burst);
    for (const Config& config : configs) {
        bench::BurstOptions burst_options;
        burst_options.datagrams = options.burst;
        burst_options.buffer_bytes = config.bytes;
        burst_options.sender_yields_to_reader = config.yields;
        const std::string load = loadAverage();
        auto result = bench::runBurst(burst_options);
        if (!result) {
            std::fprintf(stderr, "burst failed: %s\n", result.error().message.c_str());
            return 2;
        }
        const bench::BurstResult& r = result.value();
        std::printf(
            "  %s (%d MiB), load %s\n"
            "    sent %d (%d failed) in %.3f s = %.0f/s; seen %llu\n"
            "    ps_recv %llu  ps_drop %llu  ps_ifdrop %llu\n"
            "    reads %llu, largest read %llu packets; reader switches %ld involuntary, %ld "
            "voluntary; sender %ld involuntary\n"
            "    read loop behind the kernel's time stamp: median %.1f  p90 %.1f  max %.1f us\n",
            config.what, config.bytes >> 20, load.c_str(), r.sent, r.send_failures,
            r.send_seconds, r.send_seconds > 0 ? r.sent / r.send_seconds : 0.0,
            static_cast<unsigned long long>(r.seen),
            static_cast<unsigned long long>(r.stats.received),
            static_cast<unsigned long long>(r.stats.dropped),
            static_cast<unsigned long long>(r.stats.interface_dropped),
            static_cast<unsigned long long>(r.reads),
            static_cast<unsigned long long>(r.largest_read), r.reader_involuntary,
            r.reader_voluntary, r.sender_involuntary, us(r.behind.median_ns), us(r.behind.p90_ns),
            us(r.behind.max_ns));
        const std::string name = std::string("burst.") + config.name;
        metric(name + ".sent", r.sent);
        metric(name + ".seen", static_cast<double>(r.seen));
        metric(name + ".ps_recv", static_cast<double>(r.stats.received));
        metric(name + ".ps_drop", static_cast<double>(r.stats.dropped));
        metric(name + ".ps_ifdrop", static_cast<double>(r.stats.interface_dropped));
        metric(name + ".send_rate", r.send_seconds > 0 ? r.sent / r.send_seconds : 0.0);
        metric(name + ".largest_read", static_cast<double>(r.largest_read));
        metric(name + ".behind_max_us", us(r.behind.max_ns));
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool has_value = i + 1 < argc;
        if (arg == "--calls" && has_value) {
            options.calls = std::atoi(argv[++i]);
        } else if (arg == "--burst" && has_value) {
            options.burst = std::atoi(argv[++i]);
        } else if (arg == "--buffer-mib" && has_value) {
            options.buffer_mib = std::atoi(argv[++i]);
        } else if (arg == "--only" && has_value) {
            const std::string only = argv[++i];
            if (only != "latency" && only != "burst") return usage(argv[0]);
            options.latency = only == "latency";
            options.bursts = only == "burst";
        } else {
            return usage(argv[0]);
        }
    }
    if (options.calls < 1 || options.burst < 1 || options.buffer_mib < 1 ||
        options.buffer_mib > 1024) {
        return usage(argv[0]);
    }

    // First thing, while the process has one thread (see enterPrivateNetwork).
    auto network = labnet::enterPrivateNetwork();
    if (!network) {
        std::fprintf(stderr, "cannot enter the lab network: %s\n",
                     network.error().message.c_str());
        return 2;
    }
    std::printf("network: %s\nuid %u on the host, %ld CPUs online, %s\n",
                network.value().describe().c_str(), network.value().host_uid,
                sysconf(_SC_NPROCESSORS_ONLN), pcap_lib_version());
    std::fflush(stdout);

    if (options.latency) {
        if (const int status = runLatency(options); status != 0) return status;
    }
    if (options.bursts) {
        if (const int status = runBursts(options); status != 0) return status;
    }
    return 0;
}
