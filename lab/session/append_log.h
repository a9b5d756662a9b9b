// An append-only log that one thread writes while other threads read, without locks and without
// tearing: entries live in fixed-size chunks that never move, and a reader only looks at entries
// below the published count, which the writer raises (release) after the entries are complete.
// This is how the viewer reads a capture while the loader is still appending to it (Tracy's
// worker does the same with a short lock; a published count needs none).
#pragma once

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cstddef>
#include <memory>
#include <new>
#include <utility>

namespace osilab::session {

// kChunkBits sets entries per chunk (2^kChunkBits); kMaxChunks bounds the log's capacity. The chunk
// table is allocated once, so a reader never sees it reallocated.
template <typename T, unsigned kChunkBits = 16, size_t kMaxChunks = 65536>
class AppendLog {
public:
    static constexpr size_t kChunkSize = size_t{1} << kChunkBits;
    static constexpr size_t kCapacity = kChunkSize * kMaxChunks;

    AppendLog() : chunks_(new Chunk*[kMaxChunks]()) {}
    ~AppendLog() {
        const size_t used = written_;
        for (size_t c = 0; c * kChunkSize < used; ++c) {
            const size_t in_chunk = std::min(kChunkSize, used - c * kChunkSize);
            for (size_t i = 0; i < in_chunk; ++i) chunks_[c]->at(i)->~T();
            delete chunks_[c];
        }
    }
    AppendLog(const AppendLog&) = delete;
    AppendLog& operator=(const AppendLog&) = delete;

    // Reader side (any thread). Entries below size() are complete and never change.
    size_t size() const { return published_.load(std::memory_order_acquire); }
    bool empty() const { return size() == 0; }
    const T& operator[](size_t i) const {
        assert(i < size());
        return *chunks_[i >> kChunkBits]->at(i & (kChunkSize - 1));
    }

    // Writer side (one thread at a time). push() adds an entry readers do not see yet;
    // publish() shows them every entry pushed so far. Batching publishes keeps the writer fast.
    // Returns false (and drops the entry) when the log is full.
    bool push(T value) {
        if (written_ >= kCapacity) return false;
        const size_t c = written_ >> kChunkBits;
        if (chunks_[c] == nullptr) chunks_[c] = new Chunk;
        new (chunks_[c]->at(written_ & (kChunkSize - 1))) T(std::move(value));
        ++written_;
        return true;
    }
    void publish() { published_.store(written_, std::memory_order_release); }
    bool pushAndPublish(T value) {
        const bool ok = push(std::move(value));
        publish();
        return ok;
    }
    size_t written() const { return written_; }  // writer thread only

private:
    // Raw storage: entries are constructed only when pushed, so untouched memory costs nothing.
    struct Chunk {
        alignas(T) unsigned char bytes[sizeof(T) * kChunkSize];
        T* at(size_t i) { return std::launder(reinterpret_cast<T*>(bytes + i * sizeof(T))); }
    };

    std::unique_ptr<Chunk*[]> chunks_;
    size_t written_ = 0;  // writer's own count
    std::atomic<size_t> published_{0};
};

}  // namespace osilab::session
