// The agent's tools in live calls: llm.openai on the OpenAI-protocol test
// server calls end_call, transfer_call or an http tool mid-answer, with the
// real local providers and the builtin flow_node.function running http tools
// against a local API.
#include "call_test_support.hpp"
#include "slots_api.hpp"

#include <vox/core/call/call_runtime.hpp>

namespace vox::test {
namespace {

using json = nlohmann::json;
using Script = OpenAiTestServer::Script;

// Words, then a call of `name` with `arguments`, as one streamed answer.
Script words_then_tool(const std::string& words, const std::string& name, const std::string& arguments) {
    Script script;
    if (!words.empty()) script.chunks.push_back(OpenAiTestServer::chunk({{"content", words}}));
    for (auto& chunk : OpenAiTestServer::tool_call_chunks(0, "call_1", name, {arguments}))
        script.chunks.push_back(std::move(chunk));
    script.chunks.push_back(OpenAiTestServer::chunk(json::object(), "tool_calls"));
    return script;
}

class LlmToolsCallTest : public LiveCallTest {
protected:
    void start(json tools) {
        call::CallSetup setup;
        setup.call_id = "call_tools";
        setup.agent = {{"id", "agent_tools"},
                       {"system_prompt", "You are the receptionist."},
                       {"model", "gpt-test"},
                       {"tools", std::move(tools)},
                       {"settings", {{"endpointing_ms", 300}}}};
        setup.http_tool_runner = local_.registry().find("flow_node.function");
        open(std::move(setup));
    }
};

TEST_F(LlmToolsCallTest, EndCallHangsUpOnceTheGoodbyeHasPlayed) {
    local_.llm_server().set_script(words_then_tool("Thank you for calling, goodbye.", "end_call", "{}"));
    start({{{"type", "end_call"}}});
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return events_->ends() > 0; }, 20s));
    auto result = events_->wait_end(1s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "agent_hangup");
    EXPECT_NE(agent_said().find("Thank you for calling, goodbye."), std::string::npos) << agent_said();
    // The goodbye ended (agent_stop_talking, not interrupted) before the hang-up.
    auto stop = events_->wait_type("agent_stop_talking");
    ASSERT_TRUE(stop);
    EXPECT_EQ((*stop)["interrupted"], false);
    auto requests = local_.llm_server().received();
    ASSERT_FALSE(requests.empty());
    EXPECT_EQ(requests[0].body["tools"][0]["function"]["name"], "end_call");
    EXPECT_TRUE(events_->wait_for([](const json& e) { return e["type"] == "tool_call" && e["name"] == "end_call"; }));
}

TEST_F(LlmToolsCallTest, ACallerWhoCutsOffTheGoodbyeIsNotHungUpOn) {
    std::string goodbye =
        "Thank you so much for calling the Riverside clinic today, we look forward to seeing you, have a "
        "wonderful afternoon and goodbye.";
    local_.llm_server().queue_scripts({words_then_tool(goodbye, "end_call", "{}"),
                                       Script{.chunks = OpenAiTestServer::content_chunks({"Of course, go on."})}});
    start({{{"type", "end_call"}}});
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return !events_->of_type("agent_start_talking").empty(); }, 15s));
    caller_->silence(std::chrono::milliseconds(800));
    caller_->say(trim_silence(local_.speech("Wait, one more question please.")));
    ASSERT_TRUE(
        caller_->silence_until([&] { return agent_said().find("Of course, go on.") != std::string::npos; }, 20s))
        << agent_said();
    EXPECT_EQ(events_->ends(), 0);
    EXPECT_TRUE(events_->wait_for([](const json& e) { return e["type"] == "error" && e["code"] == "tool_cancelled"; }));
    // The second request answers the end_call with why the call goes on.
    auto requests = local_.llm_server().received();
    ASSERT_EQ(requests.size(), 2U);
    bool told = false;
    for (const auto& message : requests[1].body["messages"])
        told |=
            message["role"] == "tool" && message["content"].get<std::string>().find("interrupted") != std::string::npos;
    EXPECT_TRUE(told) << requests[1].body.dump();
}

TEST_F(LlmToolsCallTest, AnHttpToolsAnswerGoesBackToTheLlmWhichThenAnswersTheCaller) {
    SlotsApi api(std::chrono::milliseconds(200));
    local_.llm_server().queue_scripts(
        {words_then_tool("", "check_slots", R"({"day": "tuesday"})"),
         Script{.chunks = OpenAiTestServer::content_chunks({"We have a slot ", "at two on Tuesday."})}});
    start({{{"type", "http"},
            {"name", "check_slots"},
            {"description", "Free appointment slots of a day"},
            {"url", api.url("/slots")},
            {"parameters", {{"type", "object"}, {"properties", {{"day", {{"type", "string"}}}}}}}}});
    caller_->say(trim_silence(local_.speech("Do you have anything on Tuesday?")));
    ASSERT_TRUE(caller_->silence_until(
        [&] { return agent_said().find("We have a slot at two on Tuesday.") != std::string::npos; }, 20s))
        << agent_said();
    EXPECT_EQ(api.last_uri(), "/slots");
    EXPECT_EQ(json::parse(api.last_body()), (json{{"day", "tuesday"}}));
    auto requests = local_.llm_server().received();
    ASSERT_EQ(requests.size(), 2U);
    const json& messages = requests[1].body["messages"];
    ASSERT_GE(messages.size(), 4U) << messages.dump();
    const json& called = messages[messages.size() - 2];
    const json& answered = messages.back();
    EXPECT_EQ(called["role"], "assistant");
    EXPECT_EQ(called["tool_calls"][0]["function"]["name"], "check_slots");
    EXPECT_EQ(answered["role"], "tool");
    EXPECT_EQ(answered["tool_call_id"], "call_1");
    EXPECT_NE(answered["content"].get<std::string>().find("2pm"), std::string::npos) << answered.dump();
    EXPECT_TRUE(
        events_->wait_for([](const json& e) { return e["type"] == "tool_result" && e["name"] == "check_slots"; }));
}

TEST_F(LlmToolsCallTest, ATransferTheTransportCannotDoIsToldToTheLlm) {
    local_.llm_server().queue_scripts(
        {words_then_tool("Let me put you through.", "transfer_call", "{}"),
         Script{.chunks = OpenAiTestServer::content_chunks({"Sorry, the desk is not reachable right now."})}});
    start({{{"type", "transfer_call"}, {"to", "+14155550123"}}});
    caller_->say(trim_silence(local_.speech("Can I talk to a person?")));
    ASSERT_TRUE(caller_->silence_until(
        [&] { return agent_said().find("Sorry, the desk is not reachable right now.") != std::string::npos; }, 20s))
        << agent_said();
    EXPECT_TRUE(
        events_->wait_for([](const json& e) { return e["type"] == "error" && e["code"] == "transfer_failed"; }));
    auto requests = local_.llm_server().received();
    ASSERT_EQ(requests.size(), 2U);
    EXPECT_EQ(requests[1].body["messages"].back()["role"], "tool");
    EXPECT_NE(requests[1].body["messages"].back()["content"].get<std::string>().find("could not be transferred"),
              std::string::npos);
    EXPECT_EQ(events_->ends(), 0);
}

}  // namespace
}  // namespace vox::test
