// The language of text meant for people: Chinese or English, defaulting from the locale.
#pragma once

#include <cstdlib>
#include <string>

namespace osilab::cli {

enum class Language { En, Zh };

inline Language languageFromEnvironment() {
    for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(var);
        if (value && *value) return std::string(value).rfind("zh", 0) == 0 ? Language::Zh : Language::En;
    }
    return Language::En;
}

}  // namespace osilab::cli
