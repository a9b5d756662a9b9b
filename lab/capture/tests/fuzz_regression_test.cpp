// Inputs that once crashed or hung the capture readers under the fuzzer (lab/fuzz), and
// hand-made nasty ones: each must be read to End or to an Error with a message.
#include <gtest/gtest.h>

#include "lab/capture/capture_reader.h"
#include "lab/capture/tests/capture_test_support.h"

namespace osilab::capture {
namespace {

TEST(FuzzRegressionTest, EveryKeptInputEndsCleanly) {
    const auto files = testing::filesIn(std::string(OSILAB_TEST_DATA) + "/fuzz_regressions");
    ASSERT_FALSE(files.empty()) << "the regression folder should not be empty";
    for (const std::string& path : files) {
        SCOPED_TRACE(path);
        auto reader = openCaptureBuffer(testing::readBytes(path), "regression");
        if (!reader.ok()) {
            EXPECT_FALSE(reader.error().message.empty());
            continue;
        }
        const testing::ReadOutcome outcome = testing::readAll(*reader.value());
        EXPECT_NE(outcome.status, ReadStatus::Ok);
        if (outcome.status == ReadStatus::Error) {
            EXPECT_FALSE(outcome.error.empty());
        }
    }
}

}  // namespace
}  // namespace osilab::capture
