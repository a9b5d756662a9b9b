// One socket call as the runner recorded it: shared by the runner, which makes it, and the
// session-event codec, which the viewer and `osilab show` use without linking the runner.
#pragma once

#include <cstdint>
#include <string>

namespace osilab::runner {

// One socket call as it happened.
struct CallRecord {
    int step = -1;
    int actor = -1;
    std::string call;   // "connect"
    std::string args;   // "sk, 127.0.0.1:8898"
    bool returned = false;
    bool timed_out = false;  // the runner gave up waiting and unblocked it (shutdown of its fd)
    int64_t result = 0;
    int error = 0;
    std::string errno_name;     // "ECONNREFUSED", "" on success
    std::string error_message;  // strerror
    int64_t start_ns = 0;  // CLOCK_REALTIME, the packets' clock
    int64_t end_ns = 0;
    std::string data;  // bytes sent or received
    std::string peer;  // accept/recvfrom: the other end's address
};

}  // namespace osilab::runner
