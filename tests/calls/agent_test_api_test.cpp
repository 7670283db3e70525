// POST /api/test/agent/{agent_id} (docs/protocol.md section 7) against a real
// voxd whose llm.openai talks to the local OpenAI test server.
#include "call_api_fixture.hpp"

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;
using test::OpenAiTestServer;

class AgentTestApiTest : public CallApiTest {};

TEST_P(AgentTestApiTest, OneTurnWithThePromptModelAndSettingsOfTheAgent) {
    Json agent_doc = agent({{"model", "gpt-test"}, {"settings", {{"temperature", 0.2}, {"max_tokens", 64}}}});
    openai->set_script({.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine ", "tomorrow."}),
                        .chunk_delay = 20ms});
    Json conversation = Json::array({{{"role", "assistant"}, {"content", "Hello, this is Northside."}},
                                     {{"role", "user"}, {"content", "When do you open tomorrow?"}}});
    auto reply = api->post("/api/test/agent/" + agent_doc["id"].get<std::string>(),
                           {{"messages", conversation}, {"variables", {{"clinic", "Northside"}}}});
    ASSERT_EQ(reply.status, 200) << reply.describe();
    Json answer = reply.json();
    EXPECT_EQ(answer["reply"], "We open at nine tomorrow.");
    Json expected = conversation;
    expected.push_back({{"role", "assistant"}, {"content", "We open at nine tomorrow."}});
    EXPECT_EQ(answer["messages"], expected);
    double first_token = answer["latency_ms"]["first_token"];
    double total = answer["latency_ms"]["total"];
    EXPECT_GT(first_token, 0);
    EXPECT_GE(total, first_token + 30) << "two more chunks arrived 20 ms apart after the first";

    auto received = openai->received();
    ASSERT_FALSE(received.empty());
    Json request = received.back().body;
    EXPECT_EQ(request["model"], "gpt-test");
    EXPECT_EQ(request["temperature"], 0.2);
    EXPECT_EQ(request["max_tokens"], 64);
    EXPECT_EQ(request["stream"], true);
    ASSERT_EQ(request["messages"].size(), 3u);
    EXPECT_EQ(request["messages"][0], Json({{"role", "system"}, {"content", "You are the receptionist of Northside."}}));
    EXPECT_EQ(request["messages"][2]["content"], "When do you open tomorrow?");
}

TEST_P(AgentTestApiTest, AnEmptyConversationGetsTheBeginMessage) {
    Json agent_doc = agent();
    std::size_t before = openai->received().size();
    auto reply = api->post("/api/test/agent/" + agent_doc["id"].get<std::string>(),
                           {{"messages", Json::array()}, {"variables", {{"clinic", "Northside"}}}});
    ASSERT_EQ(reply.status, 200) << reply.describe();
    EXPECT_EQ(reply.json()["reply"], "Hello, this is Northside.");
    EXPECT_EQ(reply.json()["messages"],
              Json::array({{{"role", "assistant"}, {"content", "Hello, this is Northside."}}}));
    EXPECT_EQ(openai->received().size(), before) << "no LLM call for the begin message";
    // The body may be left out altogether.
    auto bare = api->post("/api/test/agent/" + agent_doc["id"].get<std::string>(), Json::object());
    ASSERT_EQ(bare.status, 200) << bare.describe();
    EXPECT_EQ(bare.json()["reply"], "Hello, this is {{clinic}}.");
}

TEST_P(AgentTestApiTest, AFailingProviderIsABadGatewayNamingIt) {
    Json agent_doc = agent({{"model", "gpt-test"}});
    openai->set_script({.status = 500, .error_message = "the model is overloaded"});
    // (The OpenAPI checker counts every 5xx as a fault: the expected ones go around it.)
    auto reply = voxd->unchecked_client().post("/api/test/agent/" + agent_doc["id"].get<std::string>(),
                                               {{"messages", Json::array({{{"role", "user"}, {"content", "Hi"}}})}});
    EXPECT_PROBLEM(reply, 502, "llm_error");
    EXPECT_EQ(reply.json()["provider"], "llm.openai");
    EXPECT_NE(reply.json()["detail"].get<std::string>().find("overloaded"), std::string::npos) << reply.body;
}

TEST_P(AgentTestApiTest, RefusesUnknownAgentsAndBadInput) {
    Json hello = {{"messages", Json::array({{{"role", "user"}, {"content", "Hi"}}})}};
    EXPECT_PROBLEM(api->post("/api/test/agent/agent_doesnotexist", hello), 404, "agent_not_found");
    EXPECT_PROBLEM(api->post("/api/test/agent/not-an-id", hello), 404, "agent_not_found");
    std::string path = "/api/test/agent/" + agent()["id"].get<std::string>();
    EXPECT_PROBLEM(api->post(path, {{"messages", Json::array({{{"role", "system"}, {"content", "x"}}})}}), 422,
                   "validation_failed");
    EXPECT_PROBLEM(api->post(path, {{"messages", Json::array({{{"role", "user"}}})}}), 422, "validation_failed");
    EXPECT_PROBLEM(api->post(path, {{"messages", "Hi"}}), 422, "validation_failed");
    EXPECT_PROBLEM(api->post(path, {{"messages", Json::array()}, {"variables", {{"a", true}}}}), 422,
                   "validation_failed");
}

TEST_P(AgentTestApiTest, WithoutTheLlmProviderTheTurnIsUnavailable) {
    std::string id = agent()["id"];
    restart({{"VOX_PLUGIN_DISABLED", "llm.openai"}});
    auto reply = voxd->unchecked_client().post("/api/test/agent/" + id,
                                               {{"messages", Json::array({{{"role", "user"}, {"content", "Hi"}}})}});
    EXPECT_PROBLEM(reply, 503, "provider_unavailable");
    EXPECT_EQ(reply.json()["provider"], "llm.openai");
}

VOX_API_BOTH_BACKENDS(AgentTestApiTest);

}  // namespace
}  // namespace vox::calltest
