#include "visualizer/strings.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace osilab::viewer {
namespace {

TEST(Strings, EveryLabelExistsInBothLanguages) {
    for (uint16_t i = 0; i < uint16_t(Text::Count); ++i) {
        const std::string en = tr(Text(i), Language::En);
        const std::string zh = tr(Text(i), Language::Zh);
        EXPECT_FALSE(en.empty()) << i;
        EXPECT_FALSE(zh.empty()) << i;
    }
    EXPECT_STREQ(tr(Text::ColumnSource, Language::Zh), "源地址");
    EXPECT_STREQ(tr(Text::ColumnSource, Language::En), "Source");
}

TEST(Strings, LanguageFollowsTheLocale) {
    ::unsetenv("LC_ALL");
    ::unsetenv("LC_MESSAGES");
    ::setenv("LANG", "zh_CN.UTF-8", 1);
    EXPECT_EQ(languageFromLocale(), Language::Zh);
    ::setenv("LANG", "en_US.UTF-8", 1);
    EXPECT_EQ(languageFromLocale(), Language::En);
    ::setenv("LC_ALL", "zh_TW.UTF-8", 1);  // LC_ALL wins over LANG
    EXPECT_EQ(languageFromLocale(), Language::Zh);
    ::unsetenv("LC_ALL");
}

TEST(Strings, ParsesLanguageCodes) {
    Language l = Language::En;
    EXPECT_TRUE(parseLanguage("zh", l));
    EXPECT_EQ(l, Language::Zh);
    EXPECT_TRUE(parseLanguage("en", l));
    EXPECT_EQ(l, Language::En);
    EXPECT_FALSE(parseLanguage("fr", l));
}

}  // namespace
}  // namespace osilab::viewer
