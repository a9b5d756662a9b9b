// Errors as values: a Result holds either a value or an Error whose message a student can act on.
// (std::expected is C++23; this is the small part of it we need.)
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace osilab {

struct Error {
    std::string message;  // what happened and what to do about it, in plain words
};

template <typename T>
class Result {
public:
    Result(T value) : data_(std::move(value)) {}      // NOLINT: implicit on purpose
    Result(Error error) : data_(std::move(error)) {}  // NOLINT: implicit on purpose

    bool ok() const { return std::holds_alternative<T>(data_); }
    explicit operator bool() const { return ok(); }

    T& value() & {
        assert(ok());
        return std::get<T>(data_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<T>(data_);
    }
    T&& value() && {
        assert(ok());
        return std::get<T>(std::move(data_));
    }
    const Error& error() const {
        assert(!ok());
        return std::get<Error>(data_);
    }

private:
    std::variant<T, Error> data_;
};

}  // namespace osilab
