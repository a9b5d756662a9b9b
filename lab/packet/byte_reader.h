// Bounds-checked big-endian reads over a frame.
//
// Dissectors check `has(offset, n)` before reading; the accessors assert in debug builds and
// never read past `size` in any build (they return 0 instead), so a missed check is a wrong
// value, never an out-of-bounds read. The at8/at16/at32 reads skip that check: only for bytes
// a has() check (or a length compared with a clipped end) already covered.
#pragma once

#include <bit>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace osilab::packet {

class ByteReader {
public:
    ByteReader(const uint8_t* data, uint32_t size) : data_(data), size_(size) {}

    const uint8_t* data() const { return data_; }
    uint32_t size() const { return size_; }

    // True when [offset, offset + n) lies inside the frame. Written to avoid overflow.
    bool has(uint32_t offset, uint32_t n) const { return offset <= size_ && n <= size_ - offset; }

    uint8_t u8(uint32_t offset) const {
        assert(has(offset, 1));
        return has(offset, 1) ? data_[offset] : 0;
    }
    uint16_t u16(uint32_t offset) const {
        assert(has(offset, 2));
        if (!has(offset, 2)) return 0;
        return static_cast<uint16_t>(data_[offset] << 8 | data_[offset + 1]);
    }
    uint32_t u24(uint32_t offset) const {
        assert(has(offset, 3));
        if (!has(offset, 3)) return 0;
        return uint32_t(data_[offset]) << 16 | uint32_t(data_[offset + 1]) << 8 | data_[offset + 2];
    }
    uint32_t u32(uint32_t offset) const {
        assert(has(offset, 4));
        if (!has(offset, 4)) return 0;
        return uint32_t(data_[offset]) << 24 | uint32_t(data_[offset + 1]) << 16 |
               uint32_t(data_[offset + 2]) << 8 | data_[offset + 3];
    }
    // Little-endian reads, for the few link headers written in host order (DLT_NULL, SLL fields).
    uint16_t u16le(uint32_t offset) const {
        assert(has(offset, 2));
        if (!has(offset, 2)) return 0;
        return static_cast<uint16_t>(data_[offset] | data_[offset + 1] << 8);
    }
    uint32_t u32le(uint32_t offset) const {
        assert(has(offset, 4));
        if (!has(offset, 4)) return 0;
        return uint32_t(data_[offset]) | uint32_t(data_[offset + 1]) << 8 |
               uint32_t(data_[offset + 2]) << 16 | uint32_t(data_[offset + 3]) << 24;
    }
    // Unchecked big-endian reads, for a header whose length was checked once with has():
    // one load each instead of a bounds check per field. Asserted in debug builds.
    uint8_t at8(uint32_t offset) const {
        assert(has(offset, 1));
        return data_[offset];
    }
    uint16_t at16(uint32_t offset) const {
        assert(has(offset, 2));
        uint16_t v;
        std::memcpy(&v, data_ + offset, 2);
        if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap16(v);
        return v;
    }
    uint32_t at32(uint32_t offset) const {
        assert(has(offset, 4));
        uint32_t v;
        std::memcpy(&v, data_ + offset, 4);
        if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap32(v);
        return v;
    }
    std::string_view text(uint32_t begin, uint32_t end) const {
        if (begin > end || end > size_) return {};
        return {reinterpret_cast<const char*>(data_ + begin), end - begin};
    }

private:
    const uint8_t* data_;
    uint32_t size_;
};

}  // namespace osilab::packet
