// Time from a socket call to its packets in the session: an actor makes real calls on the lab
// network's lo while a reader thread runs LiveCapture's read loop (immediate mode, poll), and
// every packet is stamped when the read loop hands it to its consumer.
#pragma once

#include <string>
#include <vector>

#include "bench/lab_bench_support.h"
#include "lab/common/result.h"

namespace osilab::bench {

struct LatencyOptions {
    int calls = 1000;  // per kind of call
    int buffer_bytes = labnet::CaptureOptions{}.buffer_bytes;
};

// One kind of call (UDP sendto, TCP connect, TCP send), all times on CLOCK_REALTIME.
struct CallLatency {
    std::string call;
    int packets_per_call = 0;  // the packets that make up "its packets"
    int calls = 0;
    int lost = 0;  // calls whose packets never reached the consumer (within 2 s)
    // call returned -> the last of its packets handed to the consumer (the target); negative
    // when the read loop delivered them before the actor's thread got back from the call.
    Spread return_to_consumer;
    Spread call_to_tap;      // call entered -> kernel time stamp of its first packet
    Spread tap_to_return;    // kernel time stamp of its last packet -> call returned
    Spread tap_to_consumer;  // each packet: kernel time stamp -> handed to the consumer
};

// Must run inside the lab network (the process's own lo); uses ports 9300 and 9301.
Result<std::vector<CallLatency>> measureCallLatency(const LatencyOptions& options);

}  // namespace osilab::bench
