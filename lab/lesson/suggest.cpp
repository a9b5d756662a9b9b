#include "lab/lesson/suggest.h"

#include <algorithm>
#include <cctype>

namespace osilab::lesson {
namespace {

char fold(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Optimal string alignment distance, case-insensitive. Lesson words are short: O(n*m) is nothing.
size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1])) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[a.size()][b.size()];
}

bool startsWithFolded(std::string_view text, std::string_view prefix) {
    if (prefix.size() > text.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (fold(text[i]) != fold(prefix[i])) return false;
    }
    return true;
}

}  // namespace

std::string closestName(std::string_view word, const std::vector<std::string_view>& candidates) {
    std::string best;
    size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
    for (std::string_view candidate : candidates) {
        if (candidate == word) continue;
        size_t d = distance(word, candidate);
        const bool prefix =
            std::min(word.size(), candidate.size()) >= 3 &&
            (startsWithFolded(word, candidate) || startsWithFolded(candidate, word));
        if (prefix) d = std::min<size_t>(d, 1);
        if (d < best_distance) {
            best_distance = d;
            best = std::string(candidate);
        }
    }
    return best;
}

std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
    const std::string best = closestName(word, candidates);
    return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

}  // namespace osilab::lesson
