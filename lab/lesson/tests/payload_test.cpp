// The time server's reply: strftime of what the client sent, or of the default for an empty
// message.
#include "lab/lesson/payload.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace osilab::lesson {
namespace {

class PayloadTest : public ::testing::Test {
protected:
    void SetUp() override {
        const char* tz = std::getenv("TZ");
        saved_ = tz ? std::optional<std::string>(tz) : std::nullopt;
        setenv("TZ", "UTC", 1);
        tzset();
    }
    void TearDown() override {
        if (saved_) {
            setenv("TZ", saved_->c_str(), 1);
        } else {
            unsetenv("TZ");
        }
        tzset();
    }
    std::optional<std::string> saved_;
    const std::time_t now_ = 1700000000;  // 2023-11-14 22:13:20 UTC
};

TEST_F(PayloadTest, FormatsLikeStrftime) {
    EXPECT_EQ(formatTime("%Y-%m-%d %H:%M:%S", now_), "2023-11-14 22:13:20");
    EXPECT_EQ(formatTime("%Y年%m月%d日", now_), "2023年11月14日");  // UTF-8 passes through
    EXPECT_EQ(formatTime("", now_), "");
    EXPECT_EQ(formatTime("no conversion", now_), "no conversion");
    EXPECT_EQ(formatTime(std::string(1000, 'x') + "%Y", now_).size(), 1004u);  // grows its buffer
}

TEST_F(PayloadTest, EmptyMessageGetsTheDefault) {
    Payload payload;
    payload.strftime_of = 0;
    payload.default_format = "%Y-%m-%d %H:%M:%S";
    EXPECT_EQ(payloadBytes(payload, {std::string("%H:%M")}, now_), "22:13");
    EXPECT_EQ(payloadBytes(payload, {std::string()}, now_), "2023-11-14 22:13:20");
    EXPECT_EQ(payloadBytes(payload, {std::nullopt}, now_), std::nullopt);  // its recvfrom failed
    Payload literal;
    literal.text = "hello";
    EXPECT_EQ(payloadBytes(literal, {}, now_), "hello");
}

}  // namespace
}  // namespace osilab::lesson
