// "did you mean": the typo guard of the loader.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace osilab::lesson {

// The candidate `word` was most likely meant to be, or "" when none is close: at most a third of
// its letters differ (ignoring case; swapped neighbours count once), or one is the other's start
// ("address" → "addr").
std::string closestName(std::string_view word, const std::vector<std::string_view>& candidates);

// " (did you mean 'addr'?)", or "" when nothing is close.
std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace osilab::lesson
