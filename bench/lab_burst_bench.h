// A bounded burst of small UDP datagrams on the lab network's lo, read by LiveCapture's read
// loop while it is sent, counted by libpcap's own counters (ps_recv, ps_drop, ps_ifdrop).
#pragma once

#include <cstdint>
#include <string>

#include "bench/lab_bench_support.h"
#include "lab/common/result.h"

namespace osilab::bench {

struct BurstOptions {
    int datagrams = 100'000;
    int buffer_bytes = labnet::CaptureOptions{}.buffer_bytes;
    // How the sender shares the CPUs with the read loop:
    //   false: as any two threads (the kernel's scheduler decides, other users' load included);
    //   true: on the reader's CPU at nice 19, so it only runs when the reader has nothing to do.
    bool sender_yields_to_reader = false;
};

struct BurstResult {
    int sent = 0;
    int send_failures = 0;
    uint64_t seen = 0;  // burst datagrams handed to the consumer
    labnet::CaptureStats stats;
    double send_seconds = 0;    // the sender's loop, first to last sendto
    uint64_t largest_read = 0;  // most packets one readAvailable() delivered
    // How far behind the read loop was: kernel time stamp -> handed to the consumer, over the
    // burst's delivered datagrams. Times the send rate, the ring slots a loss-free burst needs.
    Spread behind;
    uint64_t reads = 0;
    // Context switches during the burst (getrusage RUSAGE_THREAD): involuntary ones are the
    // scheduler taking the CPU away, voluntary ones the reader waiting in poll().
    long reader_involuntary = 0, reader_voluntary = 0, sender_involuntary = 0;
};

// Must run inside the lab network; uses port 9310.
Result<BurstResult> runBurst(const BurstOptions& options);

// How many packets the capture's ring holds while nobody reads: `datagrams` are sent with no
// reader, then libpcap's counters say how many were kept (ps_recv - ps_drop).
struct RingCapacity {
    int buffer_bytes = 0;
    uint64_t held = 0;
    uint64_t dropped = 0;
};
Result<RingCapacity> measureRingCapacity(int buffer_bytes, int datagrams);

}  // namespace osilab::bench
