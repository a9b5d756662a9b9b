// Append-only storage for packet bytes that do not come from a mapped file (standard input, a
// live run's stream, bytes in memory, a record the map could not confirm). Chunks never move, so
// a reader may use a span while the writer keeps appending.
//
// The arena does no synchronisation of its own: a reader must learn an offset through something
// the writer published after add() returned (the session's packet log does that).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace osilab::session {

class ByteArena {
public:
    static constexpr size_t kChunkBytes = size_t{4} << 20;
    static constexpr size_t kMaxChunks = 65536;

    ByteArena() : chunks_(new std::unique_ptr<uint8_t[]>[kMaxChunks]) {}
    ByteArena(const ByteArena&) = delete;
    ByteArena& operator=(const ByteArena&) = delete;

    // Copies the bytes in and returns where they are: chunk number in the high 32 bits, offset
    // in the chunk in the low 32. A record bigger than a chunk gets a chunk of its own.
    // Returns UINT64_MAX when the arena is full.
    uint64_t add(const uint8_t* data, size_t size);

    std::span<const uint8_t> get(uint64_t where, size_t size) const {
        return {chunks_[where >> 32].get() + (where & 0xffffffffu), size};
    }

    size_t bytesReserved() const { return reserved_; }  // writer thread only

private:
    std::unique_ptr<std::unique_ptr<uint8_t[]>[]> chunks_;
    size_t chunk_count_ = 0;
    size_t used_in_last_ = kChunkBytes;  // forces a first chunk
    size_t last_size_ = kChunkBytes;
    size_t reserved_ = 0;
};

}  // namespace osilab::session
