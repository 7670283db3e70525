// The config rules the cloud plugins share: numbers as JSON or as text (from
// environment variables), messages naming the setting, and the key redacted.
#include <vox/plugin_common/config_values.hpp>
#include <vox/sdk/error.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace vox::plugin_common {
namespace {

std::string refusal(const nlohmann::json& value, long long min, long long max) {
    try {
        whole_number(value, "p: \"n\"", min, max);
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
        return e.what();
    }
    return "";
}

TEST(ConfigValues, WholeNumbersComeAsNumbersOrText) {
    EXPECT_EQ(whole_number(nlohmann::json(42), "x", 0, 100), 42);
    EXPECT_EQ(whole_number(nlohmann::json("42"), "x", 0, 100), 42);
    EXPECT_EQ(refusal(nlohmann::json("4x"), 0, 100), "p: \"n\" must be a whole number");
    EXPECT_EQ(refusal(nlohmann::json(1.5), 0, 100), "p: \"n\" must be a whole number");
    EXPECT_EQ(refusal(nlohmann::json(101), 0, 100), "p: \"n\" must be from 0 to 100");
}

TEST(ConfigValues, StringsMustBeStrings) {
    EXPECT_EQ(string_value(nlohmann::json("a"), "x"), "a");
    EXPECT_THROW(string_value(nlohmann::json(1), "x"), sdk::Error);
}

TEST(ConfigValues, RedactReplacesEveryCopyOfTheKey) {
    EXPECT_EQ(redact("key sk-1 and sk-1", "sk-1"), "key [redacted] and [redacted]");
    EXPECT_EQ(redact("no key here", ""), "no key here");
}

}  // namespace
}  // namespace vox::plugin_common
