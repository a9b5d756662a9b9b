// Test support: a small JSON Schema (draft 2020-12) validator for exactly the keywords
// lessons/lesson.schema.json uses, so the tests can check that the schema teachers' editors use
// and the loader agree, without a new dependency. A keyword it does not know is reported by
// unsupportedKeywords(), so the schema cannot silently outgrow it.
#pragma once

#include <nlohmann/json.hpp>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace osilab::lesson::testing {

class MiniSchema {
public:
    explicit MiniSchema(nlohmann::json schema) : root_(std::move(schema)) {}

    // nullopt when `instance` is valid, else where and why it is not.
    std::optional<std::string> validate(const nlohmann::json& instance) const {
        Outcome outcome = check(root_, instance, "");
        if (outcome.ok) return std::nullopt;
        return outcome.error;
    }

    std::vector<std::string> unsupportedKeywords() const {
        std::vector<std::string> out;
        collect(root_, "", out);
        return out;
    }

private:
    using json = nlohmann::json;

    struct Outcome {
        bool ok = true;
        std::set<std::string> evaluated;  // object keys evaluated here (for unevaluatedProperties)
        std::string error;
    };

    static Outcome fail(const std::string& path, const std::string& why) {
        return Outcome{false, {}, (path.empty() ? "/" : path) + ": " + why};
    }

    static size_t codePoints(const std::string& text) {
        size_t count = 0;
        for (unsigned char c : text) count += (c & 0xC0) != 0x80;
        return count;
    }

    static bool hasType(const json& value, const std::string& type) {
        if (type == "object") return value.is_object();
        if (type == "array") return value.is_array();
        if (type == "string") return value.is_string();
        if (type == "integer") return value.is_number_integer();
        if (type == "number") return value.is_number();
        if (type == "boolean") return value.is_boolean();
        if (type == "null") return value.is_null();
        return false;
    }

    const std::regex& compiled(const std::string& pattern) const {
        auto it = regexes_.find(pattern);
        if (it == regexes_.end()) it = regexes_.emplace(pattern, std::regex(pattern)).first;
        return it->second;
    }

    const json& resolve(const std::string& ref) const {
        return root_.at(json::json_pointer(ref.substr(1)));  // "#/$defs/x" → "/$defs/x"
    }

    Outcome check(const json& schema, const json& value, const std::string& path) const {
        if (schema.is_boolean()) return schema.get<bool>() ? Outcome{} : fail(path, "false schema");
        Outcome out;
        const auto merge = [&](const Outcome& inner) {
            out.evaluated.insert(inner.evaluated.begin(), inner.evaluated.end());
        };
        if (schema.contains("$ref")) {
            Outcome inner = check(resolve(schema["$ref"]), value, path);
            if (!inner.ok) return inner;
            merge(inner);
        }
        if (schema.contains("type") && !hasType(value, schema["type"])) {
            return fail(path, "expected type " + schema["type"].get<std::string>());
        }
        if (schema.contains("enum")) {
            bool found = false;
            for (const json& option : schema["enum"]) found = found || option == value;
            if (!found) return fail(path, "not one of the enum values");
        }
        if (schema.contains("const") && schema["const"] != value)
            return fail(path, "not the const");
        if (value.is_string()) {
            const std::string text = value.get<std::string>();
            if (schema.contains("minLength") &&
                codePoints(text) < schema["minLength"].get<size_t>()) {
                return fail(path, "shorter than minLength");
            }
            if (schema.contains("maxLength") &&
                codePoints(text) > schema["maxLength"].get<size_t>()) {
                return fail(path, "longer than maxLength");
            }
            if (schema.contains("pattern") &&
                !std::regex_search(text, compiled(schema["pattern"].get<std::string>()))) {
                return fail(path, "does not match the pattern");
            }
        }
        if (value.is_number()) {
            if (schema.contains("minimum") && value < schema["minimum"])
                return fail(path, "below minimum");
            if (schema.contains("maximum") && value > schema["maximum"])
                return fail(path, "above maximum");
        }
        if (value.is_array()) {
            if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) {
                return fail(path, "fewer than minItems");
            }
            if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<size_t>()) {
                return fail(path, "more than maxItems");
            }
            if (schema.contains("items")) {
                for (size_t i = 0; i < value.size(); ++i) {
                    Outcome item = check(schema["items"], value[i], path + "/" + std::to_string(i));
                    if (!item.ok) return item;
                }
            }
        }
        if (value.is_object()) {
            for (const json& key : schema.value("required", json::array())) {
                if (!value.contains(key.get<std::string>())) {
                    return fail(path, "missing required " + key.get<std::string>());
                }
            }
            if (schema.contains("dependentRequired")) {
                for (const auto& [key, needs] : schema["dependentRequired"].items()) {
                    if (!value.contains(key)) continue;
                    for (const json& need : needs) {
                        if (!value.contains(need.get<std::string>())) {
                            return fail(path, key + " needs " + need.get<std::string>());
                        }
                    }
                }
            }
            const json properties = schema.value("properties", json::object());
            for (const auto& [key, item] : value.items()) {
                const std::string item_path = path + "/" + key;
                if (schema.contains("propertyNames")) {
                    Outcome name = check(schema["propertyNames"], json(key), item_path);
                    if (!name.ok) return name;
                }
                if (properties.contains(key)) {
                    Outcome inner = check(properties[key], item, item_path);
                    if (!inner.ok) return inner;
                    out.evaluated.insert(key);
                } else if (schema.contains("additionalProperties")) {
                    Outcome inner = check(schema["additionalProperties"], item, item_path);
                    if (!inner.ok) return fail(item_path, "additional property not allowed");
                    out.evaluated.insert(key);
                }
            }
        }
        for (const json& sub : schema.value("allOf", json::array())) {
            Outcome inner = check(sub, value, path);
            if (!inner.ok) return inner;
            merge(inner);
        }
        if (schema.contains("anyOf")) {
            bool any = false;
            for (const json& sub : schema["anyOf"]) {
                Outcome inner = check(sub, value, path);
                if (inner.ok) merge(inner);
                any = any || inner.ok;
            }
            if (!any) return fail(path, "matches none of anyOf");
        }
        if (schema.contains("oneOf")) {
            int matched = 0;
            for (const json& sub : schema["oneOf"]) {
                Outcome inner = check(sub, value, path);
                if (inner.ok) {
                    ++matched;
                    merge(inner);
                }
            }
            if (matched != 1) return fail(path, "matches " + std::to_string(matched) + " of oneOf");
        }
        if (schema.contains("not") && check(schema["not"], value, path).ok) {
            return fail(path, "matches what 'not' forbids");
        }
        if (schema.contains("if")) {
            Outcome condition = check(schema["if"], value, path);
            const char* branch = condition.ok ? "then" : "else";
            if (condition.ok) merge(condition);
            if (schema.contains(branch)) {
                Outcome inner = check(schema[branch], value, path);
                if (!inner.ok) return inner;
                merge(inner);
            }
        }
        if (value.is_object() && schema.contains("unevaluatedProperties")) {
            for (const auto& [key, item] : value.items()) {
                if (out.evaluated.count(key)) continue;
                Outcome inner = check(schema["unevaluatedProperties"], item, path + "/" + key);
                if (!inner.ok) return fail(path + "/" + key, "unevaluated property not allowed");
                out.evaluated.insert(key);
            }
        }
        return out;
    }

    static void collect(const json& schema, const std::string& where,
                        std::vector<std::string>& out) {
        static const std::set<std::string> known = {"$schema",
                                                    "$id",
                                                    "$defs",
                                                    "$ref",
                                                    "title",
                                                    "description",
                                                    "type",
                                                    "enum",
                                                    "const",
                                                    "minLength",
                                                    "maxLength",
                                                    "pattern",
                                                    "minimum",
                                                    "maximum",
                                                    "minItems",
                                                    "maxItems",
                                                    "items",
                                                    "required",
                                                    "dependentRequired",
                                                    "properties",
                                                    "additionalProperties",
                                                    "unevaluatedProperties",
                                                    "propertyNames",
                                                    "allOf",
                                                    "anyOf",
                                                    "oneOf",
                                                    "not",
                                                    "if",
                                                    "then",
                                                    "else"};
        if (!schema.is_object()) return;
        for (const auto& [key, value] : schema.items()) {
            if (!known.count(key)) out.push_back(where + "/" + key);
            if (key == "properties" || key == "$defs") {
                for (const auto& [name, sub] : value.items())
                    collect(sub, where + "/" + key + "/" + name, out);
            } else if (key == "allOf" || key == "anyOf" || key == "oneOf") {
                for (size_t i = 0; i < value.size(); ++i) collect(value[i], where + "/" + key, out);
            } else if (key == "items" || key == "not" || key == "if" || key == "then" ||
                       key == "else" || key == "additionalProperties" ||
                       key == "unevaluatedProperties" || key == "propertyNames") {
                collect(value, where + "/" + key, out);
            }
        }
    }

    json root_;
    mutable std::map<std::string, std::regex> regexes_;  // compiling is the slow part
};

}  // namespace osilab::lesson::testing
