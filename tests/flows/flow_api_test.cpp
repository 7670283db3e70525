// PUT /api/agents/{id}/flow checks every node against its node type (the
// type must be a loaded flow_node provider, and the provider must accept the
// node's config) and every edge's condition. One voxd per test, on SQLite (the checks do not touch storage).
#include "api_server.hpp"

namespace vox::apitest {
namespace {

class FlowValidationTest : public ApiTest {};

Json flow_with(Json nodes) {
    return {{"start_node_id", nodes[0]["id"]}, {"nodes", std::move(nodes)}, {"edges", Json::array()}};
}

TEST_P(FlowValidationTest, AFlowOfEveryNodeTypeIsStored) {
    std::string id = create_agent("Every node")["id"];
    Json nodes = {
        {{"id", "hi"}, {"type", "conversation"}, {"config", {{"text", "Hello {{name}}"}}}},
        {{"id", "route"}, {"type", "branch"}},
        {{"id", "ask"},
         {"type", "extract_variables"},
         {"config", {{"variables", {{{"name", "day"}, {"type", "date"}, {"description", "The day"}}}}}}},
        {{"id", "api"}, {"type", "function"}, {"config", {{"url", "http://example.com/x"}, {"result_variable", "r"}}}},
        {{"id", "pin"}, {"type", "collect_digits"}, {"config", {{"max_digits", 4}, {"variable", "pin"}}}},
        {{"id", "menu"}, {"type", "press_digit"}, {"config", {{"digits", "1#"}}}},
        {{"id", "human"}, {"type", "transfer_call"}, {"config", {{"to", "+14155550123"}}}},
        {{"id", "bye"}, {"type", "end_call"}}};
    auto reply = api->put("/api/agents/" + id + "/flow", flow_with(nodes));
    EXPECT_EQ(reply.status, 200) << reply.describe();
}

TEST_P(FlowValidationTest, AnUnknownNodeTypeIsRefusedWithTheAllowedTypes) {
    std::string id = create_agent("Unknown type")["id"];
    auto reply = api->put("/api/agents/" + id + "/flow",
                          flow_with({{{"id", "hi"}, {"type", "conversation"}, {"config", {{"text", "Hi"}}}},
                                     {{"id", "g"}, {"type", "gather"}}}));
    ASSERT_PROBLEM(reply, 422, "validation_failed");
    EXPECT_EQ(error_fields(reply), std::vector<std::string>{"/nodes/1/type"});
    Json error = error_for(reply, "/nodes/1/type");
    EXPECT_NE(error["message"].get<std::string>().find("'g'"), std::string::npos) << error;
    EXPECT_NE(error["message"].get<std::string>().find("'gather'"), std::string::npos) << error;
    std::set<std::string> allowed(error["allowed"].begin(), error["allowed"].end());
    EXPECT_EQ(allowed, (std::set<std::string>{"conversation", "branch", "extract_variables", "function",
                                              "transfer_call", "collect_digits", "press_digit", "end_call"}));
}

TEST_P(FlowValidationTest, ConfigProblemsPointIntoTheNodeAndNameIt) {
    std::string id = create_agent("Bad configs")["id"];
    Json nodes = {{{"id", "hi"}, {"type", "conversation"}},
                  {{"id", "api"},
                   {"type", "function"},
                   {"config", {{"url", "ftp://x"}, {"timeout_ms", 5}, {"result_variable", "r"}}}},
                  {{"id", "menu"}, {"type", "press_digit"}, {"config", {{"digits", "12x"}}}}};
    auto reply = api->put("/api/agents/" + id + "/flow", flow_with(nodes));
    ASSERT_PROBLEM(reply, 422, "validation_failed");
    auto fields = error_fields(reply);
    EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
              (std::set<std::string>{"/nodes/0/config/text", "/nodes/1/config/url", "/nodes/1/config/timeout_ms",
                                     "/nodes/2/config/digits"}))
        << reply.body;
    EXPECT_EQ(error_for(reply, "/nodes/1/config/url")["message"].get<std::string>().rfind("node 'api' (function): ", 0),
              0U)
        << reply.body;
    EXPECT_EQ(error_for(reply, "/nodes/2/config/digits")["message"].get<std::string>().rfind("node 'menu'", 0), 0U);
    // Nothing was stored.
    EXPECT_EQ(api->get("/api/agents/" + id + "/flow").json()["nodes"], Json::array());
}

TEST_P(FlowValidationTest, EdgeConditionsAreCheckedAndTheirProblemsNameTheEdge) {
    std::string id = create_agent("Bad conditions")["id"];
    Json flow = flow_with({{{"id", "ask"},
                            {"type", "conversation"},
                            {"config", {{"text", "Yes or no?"}, {"expect", {{"type", "yes_no"}}}}}},
                           {{"id", "bye"}, {"type", "end_call"}}});
    flow["edges"] = {
        {{"source", "ask"}, {"target", "bye"}, {"condition", {{"type", "equation"}, {"expression", "day =="}}}},
        {{"source", "ask"}, {"target", "bye"}, {"condition", {{"type", "keyword"}, {"intent", "maybe"}}}},
        {{"source", "ask"}, {"target", "bye"}, {"condition", {{"type", "llm"}}}},
        {{"source", "ask"}, {"target", "bye"}, {"condition", {{"type", "keyword"}, {"intent", "yes"}}}}};
    auto reply = api->put("/api/agents/" + id + "/flow", flow);
    ASSERT_PROBLEM(reply, 422, "validation_failed");
    EXPECT_EQ(error_fields(reply), (std::vector<std::string>{"/edges/0/condition/expression",
                                                             "/edges/1/condition/intent", "/edges/2/condition/prompt"}))
        << reply.body;
    std::string message = error_for(reply, "/edges/0/condition/expression")["message"];
    EXPECT_EQ(message.rfind("edge ask -> bye: the expression does not parse at position 6", 0), 0U) << message;
    // Sound conditions and an expected answer are stored as sent.
    flow["edges"] = {
        flow["edges"][3],
        {{"source", "ask"}, {"target", "bye"}, {"condition", {{"type", "equation"}, {"expression", "x exists"}}}}};
    auto stored = api->put("/api/agents/" + id + "/flow", flow);
    ASSERT_EQ(stored.status, 200) << stored.describe();
    EXPECT_EQ(stored.json()["edges"], flow["edges"]);
    EXPECT_EQ(stored.json()["nodes"][0]["config"]["expect"], (Json{{"type", "yes_no"}}));
}

TEST_P(FlowValidationTest, AnExpectedAnswerIsCheckedByTheConversationNode) {
    std::string id = create_agent("Bad expect")["id"];
    auto reply = api->put(
        "/api/agents/" + id + "/flow",
        flow_with(
            {{{"id", "ask"},
              {"type", "conversation"},
              {"config",
               {{"text", "Your number?"}, {"expect", {{"type", "digits"}, {"min_digits", 9}, {"max_digits", 4}}}}}},
             {{"id", "pick"},
              {"type", "conversation"},
              {"config", {{"text", "Which?"}, {"expect", {{"type", "choice"}}}}}}}));
    ASSERT_PROBLEM(reply, 422, "validation_failed");
    EXPECT_EQ(error_fields(reply),
              (std::vector<std::string>{"/nodes/0/config/expect/max_digits", "/nodes/1/config/expect/choices"}))
        << reply.body;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, FlowValidationTest, ::testing::Values(::vox::testing::TestBackend::sqlite),
                         backend_label);

}  // namespace
}  // namespace vox::apitest
