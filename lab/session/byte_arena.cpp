#include "lab/session/byte_arena.h"

#include <cstring>

namespace osilab::session {

uint64_t ByteArena::add(const uint8_t* data, size_t size) {
    if (size > last_size_ - used_in_last_) {
        if (chunk_count_ >= kMaxChunks) return UINT64_MAX;
        const size_t chunk_size = size > kChunkBytes ? size : kChunkBytes;
        // new[] without () leaves the chunk untouched until written: no memory spent on zeros.
        chunks_[chunk_count_].reset(new uint8_t[chunk_size]);
        ++chunk_count_;
        used_in_last_ = 0;
        last_size_ = chunk_size;
        reserved_ += chunk_size;
    }
    const uint64_t where = (uint64_t{chunk_count_ - 1} << 32) | used_in_last_;
    if (size > 0) std::memcpy(chunks_[chunk_count_ - 1].get() + used_in_last_, data, size);
    used_in_last_ += size;
    return where;
}

}  // namespace osilab::session
