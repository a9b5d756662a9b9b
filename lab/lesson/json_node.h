// Internal to the loader: a JSON value together with its JSON path, and the checks that refuse a
// lesson with that path ("/steps/3/addr: …"). Not part of the public API (nlohmann is private).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "lab/lesson/lesson.h"

namespace osilab::lesson::detail {

// The loader stops at the first problem. Deep checks throw this; loadLessonText catches it and
// turns it into the Error it returns, so nothing escapes the loader.
struct Refusal {
    std::string path;  // JSON pointer, "" for the whole document
    std::string problem;
};

[[noreturn]] void refuse(std::string path, std::string problem);

// "/steps/3" + "say" → "/steps/3/say" (RFC 6901 escapes for ~ and /).
std::string childPath(const std::string& path, std::string_view key);
std::string childPath(const std::string& path, size_t index);

class Node {
public:
    Node(const nlohmann::json& value, std::string path) : value_(&value), path_(std::move(path)) {}

    const std::string& path() const { return path_; }
    const nlohmann::json& raw() const { return *value_; }
    [[noreturn]] void refuse(std::string problem) const;

    // Objects. `allowed` lists every key this object may have; any other key is refused as
    // unknown, with a suggestion when it is close to an allowed one. `what` names the object in
    // that message ("call 'bind'", "a step").
    void requireObject(std::string_view what) const;
    void allowOnly(std::initializer_list<std::string_view> allowed, std::string_view what) const;
    void allowOnly(const std::vector<std::string_view>& allowed, std::string_view what) const;
    bool has(std::string_view key) const;
    Node at(std::string_view key) const;  // missing → "missing field 'key'"
    std::optional<Node> find(std::string_view key) const;
    std::vector<std::string> keys() const;

    // Arrays.
    void requireArray(std::string_view what) const;
    size_t size() const { return value_->size(); }
    Node operator[](size_t index) const;

    // Scalars. Each refuses a wrong type with what was found.
    std::string string() const;
    std::string nonEmptyString() const;
    int64_t integer(int64_t min, int64_t max) const;
    bool boolean() const;

private:
    [[noreturn]] void wrongType(std::string_view expected) const;

    const nlohmann::json* value_;
    std::string path_;
};

// {"zh": …, "en": …}, both present and not empty.
Text readText(const Node& node, std::string_view what);

}  // namespace osilab::lesson::detail
