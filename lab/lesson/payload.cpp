#include "lab/lesson/payload.h"

namespace osilab::lesson {

std::string formatTime(std::string_view format, std::time_t now) {
    std::tm local{};
    localtime_r(&now, &local);
    // A trailing marker makes every result non-empty, so 0 from strftime only means "too small".
    const std::string marked = std::string(format) + "|";
    std::string buffer(256, '\0');
    while (buffer.size() <= 64 * 1024) {
        const size_t length = std::strftime(buffer.data(), buffer.size(), marked.c_str(), &local);
        if (length > 0) {
            buffer.resize(length - 1);
            return buffer;
        }
        buffer.resize(buffer.size() * 4);
    }
    return "";
}

std::optional<std::string> payloadBytes(const Payload& payload,
                                        const std::vector<std::optional<std::string>>& received,
                                        std::time_t now) {
    if (!payload.computed()) return payload.text;
    const auto index = static_cast<size_t>(payload.strftime_of);
    if (index >= received.size() || !received[index]) return std::nullopt;
    const std::string& format = *received[index];
    return formatTime(format.empty() ? payload.default_format : format, now);
}

}  // namespace osilab::lesson
