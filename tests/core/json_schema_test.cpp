#include <vox/core/json_schema.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace {

const nlohmann::json kAgentSettings = nlohmann::json::parse(R"({
  "type": "object",
  "properties": {
    "name": {"type": "string", "minLength": 1},
    "phone": {"type": "string", "pattern": "^\\+[1-9][0-9]{6,14}$"},
    "settings": {
      "type": "object",
      "properties": {
        "temperature": {"type": "number", "minimum": 0, "maximum": 2},
        "max_tokens": {"type": "integer", "exclusiveMinimum": 0}
      },
      "additionalProperties": false
    },
    "status": {"enum": ["active", "inactive"]}
  },
  "required": ["name"]
})");

TEST(JsonSchema, AcceptsAValidDocument) {
    vox::JsonSchema schema(kAgentSettings);
    EXPECT_TRUE(schema.validate({{"name", "Ada"}, {"settings", {{"temperature", 0.7}, {"max_tokens", 200}}}}).empty());
}

TEST(JsonSchema, ReportsTheInnermostProblemsAsJsonPointers) {
    vox::JsonSchema schema(kAgentSettings);
    auto problems = schema.validate({{"name", "Ada"}, {"settings", {{"temperature", 3}, {"max_tokens", 0}}}});
    ASSERT_EQ(problems.size(), 2U);
    std::vector<std::string> fields{problems[0].field, problems[1].field};
    std::sort(fields.begin(), fields.end());
    EXPECT_EQ(fields, (std::vector<std::string>{"/settings/max_tokens", "/settings/temperature"}));
}

TEST(JsonSchema, MissingRequiredEnumsPatternsAndUnknownFields) {
    vox::JsonSchema schema(kAgentSettings);
    EXPECT_FALSE(schema.validate(nlohmann::json::object()).empty());
    auto bad_status = schema.validate({{"name", "A"}, {"status", "paused"}});
    ASSERT_EQ(bad_status.size(), 1U);
    EXPECT_EQ(bad_status[0].field, "/status");
    auto bad_phone = schema.validate({{"name", "A"}, {"phone", "555-0100"}});
    ASSERT_EQ(bad_phone.size(), 1U);
    EXPECT_EQ(bad_phone[0].field, "/phone");
    EXPECT_TRUE(schema.validate({{"name", "A"}, {"phone", "+14155550100"}}).empty());
    auto unknown = schema.validate({{"name", "A"}, {"settings", {{"colour", "red"}}}});
    ASSERT_FALSE(unknown.empty());
    EXPECT_EQ(unknown[0].field.rfind("/settings", 0), 0U) << unknown[0].field;
}

TEST(JsonSchema, RejectsAnUnusableSchema) {
    EXPECT_THROW(vox::JsonSchema(nlohmann::json::array()), std::invalid_argument);
    EXPECT_THROW(vox::JsonSchema(nlohmann::json{{"type", 42}}), std::invalid_argument);
}

TEST(JsonSchema, ValidatesFromManyThreads) {
    vox::JsonSchema schema(kAgentSettings);
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                bool ok = schema.validate({{"name", "A"}, {"phone", "+14155550100"}}).empty();
                bool bad = !schema.validate({{"name", "A"}, {"phone", "x"}}).empty();
                if (!ok || !bad) wrong.fetch_add(1);
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
