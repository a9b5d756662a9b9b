// lessons/lesson.schema.json (for teachers' editors) and the loader agree: every lesson and the
// minimal sample pass both; every bad sample the schema can express is refused by both, and the
// ones only the loader can see (names, order of calls, socket states) are listed as such.
#include <gtest/gtest.h>

#include <fstream>

#include "lab/lesson/loader.h"
#include "lab/lesson/tests/mini_schema.h"

namespace osilab::lesson {
namespace {

using nlohmann::json;
using testing::MiniSchema;

const std::string kLessons = OSILAB_LESSONS_DIR;
const std::string kData = OSILAB_TEST_DATA;

json readJson(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

const MiniSchema& schema() {
    static const MiniSchema loaded(readJson(kLessons + "/lesson.schema.json"));
    return loaded;
}

TEST(Schema, UsesOnlyKeywordsTheTestValidatorKnows) {
    const json raw = readJson(kLessons + "/lesson.schema.json");
    EXPECT_EQ(raw["$schema"], "https://json-schema.org/draft/2020-12/schema");
    for (const std::string& keyword : schema().unsupportedKeywords()) {
        ADD_FAILURE() << "keyword the test validator does not check: " << keyword;
    }
}

TEST(Schema, EveryLessonPassesSchemaAndLoader) {
    size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kLessons)) {
        const std::string file = entry.path().string();
        if (entry.path().extension() != ".json" || file.find(".schema.") != std::string::npos)
            continue;
        ++count;
        EXPECT_EQ(schema().validate(readJson(file)), std::nullopt) << file;
        EXPECT_TRUE(loadLesson(file).ok()) << file;
    }
    EXPECT_GE(count, 9u);
    EXPECT_EQ(schema().validate(readJson(kData + "/good/minimal.json")), std::nullopt);
}

struct Sample {
    const char* file;
    bool schema_refuses;  // false: only the loader can see this mistake
};

class BadSample : public ::testing::TestWithParam<Sample> {};

TEST_P(BadSample, SchemaAndLoaderAgree) {
    const Sample& sample = GetParam();
    const std::string file = kData + "/bad/" + sample.file;
    EXPECT_FALSE(loadLesson(file).ok()) << file;
    const auto verdict = schema().validate(readJson(file));
    if (sample.schema_refuses) {
        EXPECT_NE(verdict, std::nullopt) << file << " passes the schema";
    } else {
        EXPECT_EQ(verdict, std::nullopt) << file << " now fails the schema (" << *verdict
                                         << "): move it to the schema's side of the list";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Both, BadSample,
    ::testing::Values(
        Sample{"wrong-type.json", true}, Sample{"not-whole-number.json", true},
        Sample{"missing-field.json", true}, Sample{"unknown-field.json", true},
        Sample{"field-of-other-call.json", true}, Sample{"unknown-call.json", true},
        Sample{"port-out-of-range.json", true}, Sample{"non-loopback.json", true},
        Sample{"any-address.json", true}, Sample{"unknown-state.json", true},
        Sample{"unknown-errno.json", true}, Sample{"packet-pattern.json", true},
        Sample{"as-on-failing-call.json", true},
        // Only the loader: these need names, order, or what each socket is by then.
        Sample{"unknown-actor.json", false}, Sample{"unknown-socket.json", false},
        Sample{"socket-of-other-actor.json", false}, Sample{"redefine-open-socket.json", false},
        Sample{"family-mismatch.json", false}, Sample{"closed-socket.json", false},
        Sample{"recv-on-listening.json", false}, Sample{"accept-on-dgram.json", false},
        Sample{"pending-without-other-actor.json", false},
        Sample{"data-longer-than-bufsize.json", false}, Sample{"answer-out-of-range.json", false},
        Sample{"host-browser-nobody-listens.json", false},
        Sample{"id-differs-from-file.json", false}, Sample{"duplicate-key.json", false}),
    [](const ::testing::TestParamInfo<Sample>& info) {
        std::string name = info.param.file;
        name = name.substr(0, name.size() - 5);
        for (char& c : name) {
            if (c == '-') c = '_';
        }
        return name;
    });

TEST(Schema, TheTestValidatorCanFail) {
    json lesson = readJson(kData + "/good/minimal.json");
    lesson["steps"][1]["addr"] = "127.0.0.1:65536";
    EXPECT_NE(schema().validate(lesson), std::nullopt);
    lesson = readJson(kData + "/good/minimal.json");
    lesson["steps"][6]["data_from"] = {{"strftime", "m"}, {"default", "%c"}};  // data and data_from
    EXPECT_NE(schema().validate(lesson), std::nullopt);
    lesson["steps"][6].erase("data");
    EXPECT_EQ(schema().validate(lesson), std::nullopt);  // the schema cannot know 'm' is unknown…
    EXPECT_FALSE(loadLessonText(lesson.dump(), "t").ok());  // …the loader can
}

}  // namespace
}  // namespace osilab::lesson
