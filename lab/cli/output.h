// Buffered writing to stdout: one fwrite per 1 MiB instead of one per line, because `osilab show`
// prints millions of lines. Reports a closed pipe (e.g. `| head`) so the caller can stop early.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace osilab::cli {

class Output {
public:
    explicit Output(std::FILE* file) : file_(file) { buffer_.reserve(kChunk + 4096); }
    ~Output() { flush(); }
    Output(const Output&) = delete;
    Output& operator=(const Output&) = delete;

    std::string& buffer() { return buffer_; }  // append freely, then call maybeFlush()
    void write(std::string_view text) {
        buffer_.append(text);
        maybeFlush();
    }
    void maybeFlush() {
        if (buffer_.size() >= kChunk) flush();
    }
    void flush() {
        if (!buffer_.empty() && !failed_) {
            if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size()) failed_ = true;
        }
        buffer_.clear();
        if (!failed_ && std::fflush(file_) != 0) failed_ = true;
    }
    bool failed() const { return failed_; }

private:
    static constexpr size_t kChunk = 1 << 20;
    std::FILE* file_;
    std::string buffer_;
    bool failed_ = false;
};

}  // namespace osilab::cli
