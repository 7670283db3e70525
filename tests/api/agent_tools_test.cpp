// agent.tools and agent.fallbacks through the API: the functions an agent's
// LLM may call in calls (end_call, transfer_call, http) are stored as sent, and
// what the schema cannot say is checked: unique names, what each type needs,
// fallback providers that are loaded (and a fallback TTS's voice that it offers).
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

TEST_P(AgentToolsTest, FallbackSttsAndTtssMustBeLoadedAndTheirVoicesOffered) {
    Json bad = {{"stt", {"pocketsphinx", "nosuch"}},
                {"tts", {"flite", Json{{"provider", "polly"}}, Json{{"provider", "flite"}, {"voice", "nope"}}}}};
    auto reply = api->post("/api/agents", Json{{"name", "Fallbacks"}, {"fallbacks", bad}});
    ASSERT_PROBLEM(reply, 422, "validation_failed");
    auto fields = error_fields(reply);
    EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
              (std::set<std::string>{"/fallbacks/stt/1", "/fallbacks/tts/1", "/fallbacks/tts/2/voice"}))
        << reply.body;
    Json allowed = error_for(reply, "/fallbacks/tts/1")["allowed"];
    EXPECT_NE(std::find(allowed.begin(), allowed.end(), "flite"), allowed.end()) << reply.body;
    EXPECT_NE(error_for(reply, "/fallbacks/tts/2/voice")["message"].get<std::string>().find("'nope'"),
              std::string::npos);

    // A name or {"provider", "voice"}; stored as sent.
    Json good = {{"stt", {"pocketsphinx"}},
                 {"llm", Json::array()},
                 {"tts", {"flite", Json{{"provider", "flite"}, {"voice", "kal16"}}}}};
    Json agent = create_agent({{"name", "With fallbacks"}, {"fallbacks", good}});
    EXPECT_EQ(agent["fallbacks"], good);
    std::string path = "/api/agents/" + agent["id"].get<std::string>();

    // PUT is checked the same way, and a refused PUT changes nothing.
    auto put = api->put(path, Json{{"fallbacks", {{"tts", {Json{{"provider", "flite"}, {"voice", "nope"}}}}}}});
    ASSERT_PROBLEM(put, 422, "validation_failed");
    EXPECT_EQ(error_fields(put), (std::vector<std::string>{"/fallbacks/tts/0/voice"})) << put.body;
    put = api->put(path, Json{{"fallbacks", {{"stt", {"nosuch"}}}}});
    ASSERT_PROBLEM(put, 422, "validation_failed");
    EXPECT_EQ(error_fields(put), (std::vector<std::string>{"/fallbacks/stt/0"})) << put.body;
    EXPECT_EQ(api->get(path).json()["fallbacks"], good);

    // What the schema says: a known shape, a provider in each object.
    for (const Json& fallbacks :
         {Json{{"tts", {Json{{"voice", "kal16"}}}}}, Json{{"tts", {Json{{"provider", "flite"}, {"speed", 2}}}}},
          Json{{"stt", {Json{{"provider", "pocketsphinx"}}}}}})
        ASSERT_PROBLEM(api->post("/api/agents", Json{{"name", "x"}, {"fallbacks", fallbacks}}), 422,
                       "validation_failed")
            << fallbacks.dump();
}

VOX_API_BOTH_BACKENDS(AgentToolsTest);

}  // namespace
}  // namespace vox::apitest
