#include "lab/lesson/json_node.h"

#include <algorithm>

#include "lab/lesson/suggest.h"

namespace osilab::lesson::detail {
namespace {

// A short, readable rendering of a value for messages: numbers and short strings as they are.
std::string shown(const nlohmann::json& value) {
    std::string text = value.dump();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return text;
}

std::string typeWithValue(const nlohmann::json& value) {
    if (value.is_object()) return "an object";
    if (value.is_array()) return "an array";
    if (value.is_null()) return "null";
    if (value.is_boolean()) return "a boolean (" + shown(value) + ")";
    if (value.is_string()) return "a string (" + shown(value) + ")";
    return "a number (" + shown(value) + ")";
}

}  // namespace

void refuse(std::string path, std::string problem) {
    throw Refusal{std::move(path), std::move(problem)};
}

std::string childPath(const std::string& path, std::string_view key) {
    std::string out = path + "/";
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string childPath(const std::string& path, size_t index) {
    return path + "/" + std::to_string(index);
}

void Node::refuse(std::string problem) const {
    detail::refuse(path_, std::move(problem));
}

void Node::wrongType(std::string_view expected) const {
    refuse("expected " + std::string(expected) + ", found " + typeWithValue(*value_));
}

void Node::requireObject(std::string_view what) const {
    if (!value_->is_object()) wrongType("an object (" + std::string(what) + ")");
}

void Node::allowOnly(std::initializer_list<std::string_view> allowed, std::string_view what) const {
    allowOnly(std::vector<std::string_view>(allowed), what);
}

void Node::allowOnly(const std::vector<std::string_view>& allowed, std::string_view what) const {
    requireObject(what);
    for (const auto& [key, value] : value_->items()) {
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::string list;
        for (std::string_view name : allowed) {
            if (!list.empty()) list += ", ";
            list += name;
        }
        detail::refuse(childPath(path_, key), "unknown field '" + key + "' in " +
                                                  std::string(what) + didYouMean(key, allowed) +
                                                  "; allowed: " + list);
    }
}

bool Node::has(std::string_view key) const {
    return value_->is_object() && value_->contains(key);
}

Node Node::at(std::string_view key) const {
    if (!has(key)) refuse("missing field '" + std::string(key) + "'");
    return Node(value_->at(std::string(key)), childPath(path_, key));
}

std::optional<Node> Node::find(std::string_view key) const {
    if (!has(key)) return std::nullopt;
    return Node(value_->at(std::string(key)), childPath(path_, key));
}

std::vector<std::string> Node::keys() const {
    std::vector<std::string> out;
    for (const auto& [key, value] : value_->items()) out.push_back(key);
    return out;
}

void Node::requireArray(std::string_view what) const {
    if (!value_->is_array()) wrongType("an array (" + std::string(what) + ")");
}

Node Node::operator[](size_t index) const {
    return Node((*value_)[index], childPath(path_, index));
}

std::string Node::string() const {
    if (!value_->is_string()) wrongType("a string");
    return value_->get<std::string>();
}

std::string Node::nonEmptyString() const {
    std::string text = string();
    if (text.empty()) refuse("must not be empty");
    return text;
}

int64_t Node::integer(int64_t min, int64_t max) const {
    if (value_->is_number_float()) {
        refuse("expected a whole number, found " + shown(*value_));
    }
    if (!value_->is_number_integer()) wrongType("a whole number");
    if (value_->is_number_unsigned() && value_->get<uint64_t>() > static_cast<uint64_t>(max)) {
        refuse(shown(*value_) + " is out of range (" + std::to_string(min) + "-" +
               std::to_string(max) + ")");
    }
    const int64_t number = value_->get<int64_t>();
    if (number < min || number > max) {
        refuse(std::to_string(number) + " is out of range (" + std::to_string(min) + "-" +
               std::to_string(max) + ")");
    }
    return number;
}

bool Node::boolean() const {
    if (!value_->is_boolean()) wrongType("true or false");
    return value_->get<bool>();
}

Text readText(const Node& node, std::string_view what) {
    node.allowOnly({"zh", "en"}, what);
    Text text;
    text.zh = node.at("zh").nonEmptyString();
    text.en = node.at("en").nonEmptyString();
    return text;
}

}  // namespace osilab::lesson::detail
