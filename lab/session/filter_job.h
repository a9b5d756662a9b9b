// Runs a BPF filter (as tcpdump takes it) over a session's packets on its own thread and collects
// the numbers of the packets that match, while the session may still be loading: the job follows
// it to the end. The packet list shows the matches as they arrive; a new filter starts a new job.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "lab/capture/packet_filter.h"
#include "lab/session/append_log.h"
#include "lab/session/session.h"

namespace osilab::session {

class FilterJob {
public:
    // `on_finished` (optional) is called on the job's thread once every packet was tried.
    FilterJob(std::shared_ptr<const Session> session, capture::PacketFilter filter,
              std::function<void()> on_finished = {});
    ~FilterJob();  // stops the thread
    FilterJob(const FilterJob&) = delete;
    FilterJob& operator=(const FilterJob&) = delete;

    const std::string& expression() const { return expression_; }

    // Matching packets (0-based packet indexes, ascending). Readable while the job runs.
    size_t matchCount() const { return matches_.size(); }
    uint32_t match(size_t i) const { return matches_[i]; }
    // The row showing `packet`, if it matched (and was reached yet).
    std::optional<size_t> rowOf(size_t packet) const;

    size_t scanned() const { return scanned_.load(std::memory_order_acquire); }
    // True once every packet of a fully loaded session has been tried.
    bool finished() const { return finished_.load(std::memory_order_acquire); }
    // Why the expression could not apply to some packets' link type ("ether host" on raw IP…);
    // empty when it applied to all.
    std::string linkTypeProblem() const;

    void wait();  // until finished (tests, screenshots); returns at once if stopped

private:
    void run();

    std::shared_ptr<const Session> session_;
    capture::PacketFilter filter_;
    std::string expression_;
    std::function<void()> on_finished_;
    AppendLog<uint32_t> matches_;
    std::atomic<size_t> scanned_{0};
    std::atomic<bool> finished_{false};
    std::atomic<bool> stop_{false};
    mutable std::mutex problem_mutex_;
    std::string link_type_problem_;
    std::thread thread_;
};

}  // namespace osilab::session
