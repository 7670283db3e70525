#include <vox/core/schema_catalog.hpp>

#include <gtest/gtest.h>

namespace {

const vox::SchemaCatalog& catalog() { return vox::SchemaCatalog::instance(); }

TEST(SchemaCatalog, EveryModelIsEmbeddedAndCompiles) {
    auto names = catalog().names();
    for (const char* expected : {"agent", "agent_input", "agent_settings", "call", "call_input", "flow", "phone_number",
                                 "phone_number_input", "problem", "api_key"})
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
}

TEST(SchemaCatalog, ReferencesAreInlinedForValidation) {
    const auto& agent_input = catalog().validator("agent_input");
    EXPECT_TRUE(agent_input.validate({{"name", "Front desk"}, {"settings", {{"temperature", 1.2}}}}).empty());
    auto problems = agent_input.validate({{"name", "Front desk"}, {"settings", {{"temperature", 2.5}}}});
    ASSERT_EQ(problems.size(), 1U);
    EXPECT_EQ(problems[0].field, "/settings/temperature");
    EXPECT_FALSE(agent_input.validate({{"settings", {{"tts_speed", 0.4}}}}).empty());
    EXPECT_FALSE(agent_input.validate({{"settings", {{"max_tokens", 0}}}}).empty());
    EXPECT_FALSE(agent_input.validate({{"status", "paused"}}).empty());
    EXPECT_FALSE(agent_input.validate({{"surprise", true}}).empty());
}

TEST(SchemaCatalog, PhoneNumbersMustBeE164) {
    const auto& input = catalog().validator("phone_number_input");
    EXPECT_TRUE(input.validate({{"number", "+14155550100"}}).empty());
    EXPECT_FALSE(input.validate({{"number", "4155550100"}}).empty());
    EXPECT_FALSE(input.validate({{"number", "+0155550100"}}).empty());
    EXPECT_FALSE(input.validate({{"number", "+1415555010012345"}}).empty());
}

TEST(SchemaCatalog, OpenApiFormUsesComponentReferences) {
    auto agent = catalog().for_openapi("agent");
    EXPECT_EQ(agent["properties"]["settings"]["$ref"], "#/components/schemas/AgentSettings");
    EXPECT_EQ(vox::SchemaCatalog::component_name("phone_number_input"), "PhoneNumberInput");
    EXPECT_FALSE(agent.dump().find("$comment") != std::string::npos);
}

}  // namespace
