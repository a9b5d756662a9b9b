// The bytes a send step puts on the wire, for the runner: literal text, or the time server's reply
// computed with strftime at the moment of the call.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lab/lesson/lesson.h"

namespace osilab::lesson {

// strftime(format, localtime(now)), for any length of result (up to 64 KiB) and including an empty
// one, which strftime alone cannot tell from "buffer too small".
std::string formatTime(std::string_view format, std::time_t now);

// What to send. `received` holds, per entry of Lesson::messages, the bytes received so far
// (nullopt while that call has not returned, or when it failed). nullopt when the payload needs a
// message that is not there: the step cannot run.
std::optional<std::string> payloadBytes(const Payload& payload,
                                        const std::vector<std::optional<std::string>>& received,
                                        std::time_t now);

}  // namespace osilab::lesson
