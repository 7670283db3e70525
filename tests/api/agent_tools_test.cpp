// agent.tools and agent.fallbacks through the API: the functions an agent's
// LLM may call in calls (end_call, transfer_call, http) are stored as sent, and
// what the schema cannot say is checked: unique names, what each type needs,
// fallback providers that are loaded.
#include "api_server.hpp"

namespace vox::apitest {
namespace {

class AgentToolsTest : public ApiTest {};

TEST_P(AgentToolsTest, ToolsAreStoredAndReturnedAsSent) {
    Json tools = {{{"type", "end_call"}},
                  {{"type", "transfer_call"}, {"to", "+14155550123"}, {"description", "The front desk"}},
                  {{"type", "http"},
                   {"name", "check_slots"},
                   {"url", "https://clinic.example/api/slots"},
                   {"parameters", {{"type", "object"}, {"properties", {{"day", {{"type", "string"}}}}}}}}};
    Json agent = create_agent({{"name", "With tools"}, {"tools", tools}});
    EXPECT_EQ(agent["tools"], tools);
    EXPECT_EQ(api->get("/api/agents/" + agent["id"].get<std::string>()).json()["tools"], tools);
}

TEST_P(AgentToolsTest, BadToolsAreRefusedWithTheFieldAndWhy) {
    auto reply = api->post("/api/agents", Json{{"name", "Bad tools"},
                                               {"tools",
                                                {{{"type", "end_call"}},
                                                 {{"type", "end_call"}},
                                                 {{"type", "transfer_call"}},
                                                 {{"type", "http"}, {"url", "ftp://x"}},
                                                 {{"type", "end_call"}, {"name", "bye"}, {"url", "http://x"}}}}});
    ASSERT_PROBLEM(reply, 422, "validation_failed");
    auto fields = error_fields(reply);
    EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
              (std::set<std::string>{"/tools/1/name", "/tools/2/to", "/tools/3/name", "/tools/3/url", "/tools/4/url"}))
        << reply.body;
    EXPECT_NE(error_for(reply, "/tools/1/name")["message"].get<std::string>().find("used twice"), std::string::npos);
    // A type the schema does not know never reaches the checks.
    ASSERT_PROBLEM(api->post("/api/agents", Json{{"name", "x"}, {"tools", {{{"type", "email"}}}}}), 422,
                   "validation_failed");
}

TEST_P(AgentToolsTest, FallbackLlmsMustBeLoadedProviders) {
    auto reply = api->post("/api/agents", Json{{"name", "Fallbacks"}, {"fallbacks", {{"llm", {"nosuch"}}}}});
    ASSERT_PROBLEM(reply, 422, "validation_failed");
    EXPECT_EQ(error_fields(reply), (std::vector<std::string>{"/fallbacks/llm/0"})) << reply.body;
    ASSERT_PROBLEM(api->post("/api/agents", Json{{"name", "x"}, {"fallbacks", {{"vad", {"a"}}}}}), 422,
                   "validation_failed");
}

VOX_API_BOTH_BACKENDS(AgentToolsTest);

}  // namespace
}  // namespace vox::apitest
