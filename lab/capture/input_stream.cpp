#include "lab/capture/input_stream.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "lab/capture/message_text.h"

namespace osilab::capture {

namespace {
// Big enough that reading a capture costs one read() per thousands of packets; a small file
// gets a buffer its size (opening many small files stays cheap).
constexpr size_t kBufferSize = size_t{1} << 20;
constexpr size_t kSmallestBuffer = size_t{64} << 10;
}  // namespace

InputStream InputStream::fromFd(int fd, bool owns_fd, std::vector<uint8_t> prefix, uint64_t size) {
    InputStream in;
    in.fd_ = fd;
    in.owns_fd_ = owns_fd;
    in.size_ = size;
    const size_t prefix_size = prefix.size();
    in.storage_ = std::move(prefix);
    size_t capacity = kBufferSize;
    if (size != 0 && size < capacity) capacity = size < kSmallestBuffer ? kSmallestBuffer : size;
    in.storage_.resize(prefix_size > capacity ? prefix_size : capacity);
    in.begin_ = in.storage_.data();
    in.end_ = in.begin_ + prefix_size;
    return in;
}

InputStream InputStream::fromMemory(std::vector<uint8_t> bytes) {
    InputStream in;
    in.size_ = bytes.size();
    in.storage_ = std::move(bytes);
    in.at_end_ = true;  // nothing more to read: everything is already in storage_
    in.begin_ = in.storage_.data();
    in.end_ = in.begin_ + in.storage_.size();
    return in;
}

InputStream::InputStream(InputStream&& other) noexcept {
    *this = std::move(other);
}

InputStream& InputStream::operator=(InputStream&& other) noexcept {
    if (this == &other) return *this;
    release();
    // Moving a vector keeps its heap buffer, so begin_/end_ stay valid (offsets kept anyway).
    const size_t begin_offset = other.begin_ - other.storage_.data();
    const size_t end_offset = other.end_ - other.storage_.data();
    fd_ = std::exchange(other.fd_, -1);
    owns_fd_ = std::exchange(other.owns_fd_, false);
    at_end_ = other.at_end_;
    storage_ = std::move(other.storage_);
    begin_ = storage_.data() + begin_offset;
    end_ = storage_.data() + end_offset;
    position_ = other.position_;
    size_ = other.size_;
    read_error_ = std::move(other.read_error_);
    other.begin_ = other.end_ = nullptr;
    return *this;
}

InputStream::~InputStream() {
    release();
}

void InputStream::release() {
    if (owns_fd_ && fd_ >= 0) ::close(fd_);
    fd_ = -1;
    owns_fd_ = false;
}

size_t InputStream::ensure(size_t count) {
    size_t available = static_cast<size_t>(end_ - begin_);
    if (available >= count || at_end_) return available < count ? available : count;

    uint8_t* base = storage_.data();
    size_t begin_offset = static_cast<size_t>(begin_ - base);
    if (begin_offset + count > storage_.size()) {
        // Not enough room after the current position: move the unread bytes to the front, and
        // grow only for a block bigger than the buffer (the reader bounds block sizes).
        std::memmove(base, begin_, available);
        if (count > storage_.size()) storage_.resize(count);
        base = storage_.data();
        begin_offset = 0;
    }
    size_t filled = begin_offset + available;
    while (available < count) {
        const ssize_t got = ::read(fd_, base + filled, storage_.size() - filled);
        if (got < 0) {
            if (errno == EINTR) continue;
            read_error_ = errnoText(errno);
            at_end_ = true;
            break;
        }
        if (got == 0) {
            at_end_ = true;
            break;
        }
        filled += static_cast<size_t>(got);
        available += static_cast<size_t>(got);
    }
    begin_ = base + begin_offset;
    end_ = base + filled;
    return available < count ? available : count;
}

void InputStream::consume(size_t count) {
    begin_ += count;
    position_ += count;
}

}  // namespace osilab::capture
