#include "lab/session/filter_job.h"

#include <chrono>

namespace osilab::session {

FilterJob::FilterJob(std::shared_ptr<const Session> session, capture::PacketFilter filter,
                     std::function<void()> on_finished)
    : session_(std::move(session)),
      filter_(std::move(filter)),
      expression_(filter_.expression()),
      on_finished_(std::move(on_finished)) {
    thread_ = std::thread(&FilterJob::run, this);
}

FilterJob::~FilterJob() {
    stop_.store(true, std::memory_order_relaxed);
    if (thread_.joinable()) thread_.join();
}

std::optional<size_t> FilterJob::rowOf(size_t packet) const {
    size_t lo = 0, hi = matches_.size();
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (matches_[mid] < packet)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < matches_.size() && matches_[lo] == packet) return lo;
    return std::nullopt;
}

std::string FilterJob::linkTypeProblem() const {
    std::lock_guard<std::mutex> lock(problem_mutex_);
    return link_type_problem_;
}

void FilterJob::wait() {
    while (!finished() && !stop_.load(std::memory_order_relaxed))
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

void FilterJob::run() {
    size_t next = 0;
    uint32_t last_problem_link = UINT32_MAX;
    while (!stop_.load(std::memory_order_relaxed)) {
        // Read "loaded" before the count: if loading was over then, the count is final.
        const bool loaded = session_->status().done();
        const size_t count = session_->packetCount();
        for (; next < count; ++next) {
            if ((next & 4095) == 0) {
                if (stop_.load(std::memory_order_relaxed)) return;
                scanned_.store(next, std::memory_order_release);
            }
            const PacketIndex& p = session_->packet(next);
            const auto bytes = session_->packetBytes(next);
            if (filter_.matches(p.link_type, bytes.data(), p.cap_len, p.orig_len)) {
                matches_.pushAndPublish(static_cast<uint32_t>(next));
            } else if (p.link_type != last_problem_link) {
                std::string problem = filter_.linkTypeProblem(p.link_type);
                if (!problem.empty()) {
                    last_problem_link = p.link_type;
                    std::lock_guard<std::mutex> lock(problem_mutex_);
                    if (link_type_problem_.empty()) link_type_problem_ = std::move(problem);
                }
            }
        }
        scanned_.store(next, std::memory_order_release);
        if (loaded) {
            finished_.store(true, std::memory_order_release);
            if (on_finished_) on_finished_();
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace osilab::session
