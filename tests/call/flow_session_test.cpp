// Calls of agents with a call flow, through the CallSession with the real
// local providers and the builtin flow_node plugin: flite speech streamed in
// real time, pocketsphinx, flite answering, llm.openai on the local
// OpenAI-protocol test server where a flow asks an LLM.
#include "call_test_support.hpp"

#include <vox/core/call/call_runtime.hpp>

#include <cmath>

namespace vox::test {
namespace {

using json = nlohmann::json;
using Script = OpenAiTestServer::Script;

json node(const std::string& id, const std::string& type, json config) {
    return {{"id", id}, {"type", type}, {"config", std::move(config)}};
}
json edge(const std::string& id, const std::string& from, const std::string& to, json condition = nullptr) {
    json e = {{"id", id}, {"source", from}, {"target", to}};
    if (!condition.is_null()) e["condition"] = std::move(condition);
    return e;
}

class FlowSessionTest : public LiveCallTest {
protected:
    void start(json flow, bool with_llm = false) {
        call::CallSetup setup;
        setup.call_id = "call_flow";
        setup.agent = {{"id", "agent_flow"},
                       {"name", "Clinic"},
                       {"system_prompt", "You are the receptionist of {{clinic}}."},
                       {"model", "gpt-test"},
                       {"settings", {{"endpointing_ms", 300}}}};
        setup.variables = {{"clinic", "Riverside Clinic"}};
        setup.providers = local_.providers();
        if (!with_llm) setup.providers.llm = nullptr;
        for (const auto& n : flow["nodes"])
            setup.flow_node_types[n["type"]] = local_.registry().find("flow_node." + n["type"].get<std::string>());
        setup.flow = std::move(flow);
        setup.answer_wait_ms = 2500;
        open(std::move(setup));
    }
    // Silence until an event matches (the caller waits on the line).
    bool wait(const std::function<bool(const json&)>& match, std::chrono::milliseconds timeout = 15s) {
        return caller_->silence_until(
            [&] {
                for (const auto& e : events_->events())
                    if (match(e)) return true;
                return false;
            },
            timeout);
    }
    bool wait_node(const std::string& id, std::chrono::milliseconds timeout = 15s) {
        return wait([&](const json& e) { return e["type"] == "node_transition" && e["to_node_id"] == id; }, timeout);
    }
    // Silence until the agent has finished speaking `count` responses.
    bool wait_spoken(std::size_t count, std::chrono::milliseconds timeout = 15s) {
        return caller_->silence_until([&] { return events_->of_type("agent_stop_talking").size() >= count; }, timeout);
    }
    std::vector<std::string> path() const {
        std::vector<std::string> ids;
        for (const auto& e : events_->of_type("node_transition"))
            if (e["to_node_id"].is_string()) ids.push_back(e["to_node_id"]);
        return ids;
    }
};

TEST_F(FlowSessionTest, KeysCollectedUntilTheTerminatorChooseTheBranchAndTheAgentHangsUpAfterItsGoodbye) {
    start({{"start_node_id", "pin"},
           {"nodes",
            {node("pin", "collect_digits",
                  {{"text", "Enter your code, then press hash."},
                   {"max_digits", 6},
                   {"terminator", "#"},
                   {"variable", "code"}}),
             node("right", "end_call", {{"text", "Welcome back to {{clinic}}."}}),
             node("wrong", "end_call", {{"text", "That code is wrong."}})}},
           {"edges",
            {edge("ok", "pin", "right", {{"type", "equation"}, {"expression", "code == '42'"}}),
             edge("bad", "pin", "wrong")}}});
    ASSERT_TRUE(wait_node("pin"));
    ASSERT_TRUE(wait_spoken(1));
    for (char key : std::string("42#")) session_->push_dtmf(key);
    auto result = events_->wait_end(20s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "agent_hangup");
    EXPECT_FALSE(result->failed);
    EXPECT_EQ(path(), (std::vector<std::string>{"pin", "right"}));
    ASSERT_EQ(result->flow_path.size(), 2U);
    EXPECT_EQ(result->flow_path[1]["node_id"], "right");
    EXPECT_EQ(result->flow_path[1]["type"], "end_call");
    EXPECT_EQ(result->collected_variables, (json{{"code", "42"}}));
    // The goodbye was played out in full before the hang-up.
    EXPECT_NE(agent_said().find("Welcome back to Riverside Clinic."), std::string::npos) << agent_said();
    EXPECT_EQ(transport_->hangup_reason(), "agent_hangup");
    auto transition =
        events_->wait_for([](const json& e) { return e["type"] == "node_transition" && e["to_node_id"] == "right"; });
    ASSERT_TRUE(transition);
    EXPECT_EQ((*transition)["from_node_id"], "pin");
    EXPECT_EQ((*transition)["edge_id"], "ok");
    EXPECT_EQ((*transition)["condition"], "equation");
}

// The power of `frequency` in `samples` (Goertzel), relative to the block's energy.
double tone_share(const std::vector<std::int16_t>& samples, std::size_t from, std::size_t count, double frequency,
                  double rate) {
    double coeff = 2.0 * std::cos(2.0 * 3.14159265358979 * frequency / rate);
    double s1 = 0, s2 = 0, energy = 0;
    for (std::size_t n = from; n < from + count && n < samples.size(); ++n) {
        double x = samples[n];
        energy += x * x;
        double s0 = x + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    return energy > 0 ? power / (energy * static_cast<double>(count) / 2.0) : 0.0;
}

TEST_F(FlowSessionTest, PressedKeysGoOutAsDtmfTonesBeforeTheFlowGoesOn) {
    start({{"start_node_id", "menu"},
           {"nodes", {node("menu", "press_digit", {{"digits", "19"}}), node("bye", "end_call", {{"text", "Done."}})}},
           {"edges", {edge("next", "menu", "bye")}}});
    auto result = events_->wait_end(20s);
    ASSERT_TRUE(result);
    EXPECT_EQ(path(), (std::vector<std::string>{"menu", "bye"}));
    auto audio = transport_->audio();
    ASSERT_GT(audio.size(), 6400U);
    // Key 1 is 697 + 1209 Hz, then 100 ms of silence, then key 9: 852 + 1477 Hz.
    EXPECT_GT(tone_share(audio, 0, 1600, 697, 16000), 0.3);
    EXPECT_GT(tone_share(audio, 0, 1600, 1209, 16000), 0.3);
    EXPECT_LT(tone_share(audio, 0, 1600, 852, 16000), 0.05);
    EXPECT_GT(tone_share(audio, 3200, 1600, 852, 16000), 0.3);
    EXPECT_GT(tone_share(audio, 3200, 1600, 1477, 16000), 0.3);
    EXPECT_LT(tone_share(audio, 3200, 1600, 697, 16000), 0.05);
    EXPECT_NE(agent_said().find("Done."), std::string::npos) << agent_said();
}

TEST_F(FlowSessionTest, KeysStopAtTheTimeoutAndTheElseEdgeIsTaken) {
    start({{"start_node_id", "pin"},
           {"nodes",
            {node("pin", "collect_digits", {{"max_digits", 6}, {"timeout_ms", 1000}, {"variable", "code"}}),
             node("right", "end_call", {{"text", "Welcome."}}), node("wrong", "end_call", {{"text", "Wrong code."}})}},
           {"edges",
            {edge("ok", "pin", "right", {{"type", "equation"}, {"expression", "code == 42"}}),
             edge("bad", "pin", "wrong")}}});
    ASSERT_TRUE(wait_node("pin"));
    session_->push_dtmf('7');
    ASSERT_TRUE(wait_node("wrong", 10s));
    auto result = events_->wait_end(20s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->collected_variables, (json{{"code", "7"}}));
}

TEST_F(FlowSessionTest, KeysPressedAsTheNodeIsEnteredAreKeptForIt) {
    start({{"start_node_id", "pin"},
           {"nodes",
            {node("pin", "collect_digits", {{"max_digits", 2}, {"timeout_ms", 3000}, {"variable", "code"}}),
             node("right", "end_call", {{"text", "Welcome."}}), node("wrong", "end_call", {{"text", "Wrong code."}})}},
           {"edges",
            {edge("ok", "pin", "right", {{"type", "equation"}, {"expression", "code == 42"}}),
             edge("bad", "pin", "wrong")}}});
    // At once, while the node's first step is still on its way.
    session_->push_dtmf('4');
    session_->push_dtmf('2');
    ASSERT_TRUE(wait_node("right", 10s));
    auto result = events_->wait_end(20s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->collected_variables, (json{{"code", "42"}}));
}

TEST_F(FlowSessionTest, ACallersAnswerIsMatchedByKeywordsAndExtractedIntoVariables) {
    start({{"start_node_id", "ask"},
           {"nodes",
            {node("ask", "conversation", {{"text", "What can I do for you?"}}),
             node("get", "extract_variables",
                  {{"variables", {{{"name", "day"}, {"type", "date"}, {"description", "the day"}}}}}),
             node("booked", "end_call", {{"text", "See you on {{day}}."}}),
             node("other", "end_call", {{"text", "Goodbye."}})}},
           {"edges",
            {edge("book", "ask", "get", {{"type", "keyword"}, {"keywords", {"tomorrow", "open"}}}),
             edge("else", "ask", "other", {{"type", "equation"}, {"expression", "never exists"}}),
             edge("known", "get", "booked", {{"type", "equation"}, {"expression", "day exists"}})}}});
    ASSERT_TRUE(wait_spoken(1));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    auto result = events_->wait_end(30s);
    ASSERT_TRUE(result);
    EXPECT_EQ(path(), (std::vector<std::string>{"ask", "get", "booked"})) << agent_said();
    EXPECT_EQ(result->collected_variables["day"], "tomorrow");
    EXPECT_NE(agent_said().find("See you on tomorrow."), std::string::npos) << agent_said();
    // The caller's words are on the record.
    bool heard = false;
    for (const auto& line : result->transcript) heard |= line["speaker"] == "user";
    EXPECT_TRUE(heard);
}

TEST_F(FlowSessionTest, AnAnswerThatLeadsNowhereIsAskedForAgain) {
    start(
        {{"start_node_id", "ask"},
         {"nodes", {node("ask", "conversation", {{"text", "Say a colour."}}), node("bye", "end_call", json::object())}},
         {"edges", {edge("red", "ask", "bye", {{"type", "keyword"}, {"keywords", {"crimson"}}})}}});
    ASSERT_TRUE(wait_spoken(1));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(wait_spoken(2, 20s));
    EXPECT_NE(agent_said().find("Sorry, I didn't catch that. Say a colour."), std::string::npos) << agent_said();
    EXPECT_EQ(path(), (std::vector<std::string>{"ask"}));
}

TEST_F(FlowSessionTest, AnLlmConditionIsDecidedByTheAgentsLlm) {
    local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({"2"})});
    start({{"start_node_id", "ask"},
           {"nodes",
            {node("ask", "conversation", {{"text", "How can I help?"}}),
             node("book", "end_call", {{"text", "Booking."}}), node("cancel", "end_call", {{"text", "Cancelling."}})}},
           {"edges",
            {edge("to_book", "ask", "book", {{"type", "llm"}, {"prompt", "The caller wants to book a visit"}}),
             edge("to_cancel", "ask", "cancel", {{"type", "llm"}, {"prompt", "The caller wants to cancel a visit"}})}}},
          true);
    ASSERT_TRUE(wait_spoken(1));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    auto result = events_->wait_end(30s);
    ASSERT_TRUE(result);
    EXPECT_EQ(path(), (std::vector<std::string>{"ask", "cancel"}));
    // One routing request listed both conditions after the conversation.
    bool asked = false;
    for (const auto& request : local_.llm_server().received()) {
        std::string text = request.body.dump();
        asked |= text.find("1. The caller wants to book a visit") != std::string::npos &&
                 text.find("2. The caller wants to cancel a visit") != std::string::npos &&
                 text.find("How can I help?") != std::string::npos;
    }
    EXPECT_TRUE(asked);
}

TEST_F(FlowSessionTest, AVariableNotFoundOfflineIsExtractedByTheLlm) {
    local_.llm_server().set_script(
        {.chunks = OpenAiTestServer::content_chunks({"{\"topic\": ", "\"opening hours\"}"})});
    start({{"start_node_id", "ask"},
           {"nodes",
            {node("ask", "conversation", {{"text", "What is your question?"}}),
             node("get", "extract_variables",
                  {{"variables",
                    {{{"name", "day"}, {"type", "date"}, {"description", "the day"}},
                     {{"name", "topic"},
                      {"type", "enum"},
                      {"choices", {"opening hours", "prices"}},
                      {"description", "what the caller asks about"}}}}}),
             node("hours", "end_call", {{"text", "We open at nine."}}),
             node("other", "end_call", {{"text", "Goodbye."}})}},
           {"edges",
            {edge("asked", "ask", "get"),
             edge("about_hours", "get", "hours", {{"type", "equation"}, {"expression", "topic == 'opening hours'"}}),
             edge("else", "get", "other")}}},
          true);
    ASSERT_TRUE(wait_spoken(1));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    auto result = events_->wait_end(30s);
    ASSERT_TRUE(result);
    EXPECT_EQ(path(), (std::vector<std::string>{"ask", "get", "hours"}));
    EXPECT_EQ(result->collected_variables, (json{{"day", "tomorrow"}, {"topic", "opening hours"}}));
    // The LLM was asked only for what the words did not give.
    auto requests = local_.llm_server().received();
    ASSERT_EQ(requests.size(), 1U);
    std::string question = requests[0].body["messages"][1]["content"];
    EXPECT_NE(question.find("- topic (enum): what the caller asks about"), std::string::npos) << question;
    EXPECT_EQ(question.find("- day"), std::string::npos) << question;
}

TEST_F(FlowSessionTest, AFlowThatRunsOutOfEdgesHandsTheCallToTheLlm) {
    local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({"We open at nine ", "tomorrow."})});
    start({{"start_node_id", "hello"},
           {"global_prompt", "Always be brief."},
           {"nodes", {node("hello", "conversation", {{"text", "Hello, how can I help?"}})}},
           {"edges", json::array()}},
          true);
    ASSERT_TRUE(wait_spoken(1));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(wait_spoken(2, 20s));
    EXPECT_NE(agent_said().find("We open at nine tomorrow."), std::string::npos) << agent_said();
    auto end_of_flow = events_->wait_for(
        [](const json& e) { return e["type"] == "node_transition" && e["condition"] == "end_of_flow"; });
    EXPECT_TRUE(end_of_flow);
    auto requests = local_.llm_server().received();
    ASSERT_FALSE(requests.empty());
    std::string system = requests.back().body["messages"][0]["content"];
    EXPECT_NE(system.find("Riverside Clinic"), std::string::npos) << system;
    EXPECT_NE(system.find("Always be brief."), std::string::npos) << system;
}

TEST_F(FlowSessionTest, AFlowWithoutAnLlmHangsUpWhenItRunsOut) {
    start({{"start_node_id", "hello"},
           {"nodes",
            {node("hello", "conversation",
                  {{
                       "text",
                       "We are closed today.",
                   },
                   {"listen", false}})}},
           {"edges", json::array()}});
    auto result = events_->wait_end(20s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "agent_hangup");
    EXPECT_NE(agent_said().find("We are closed today."), std::string::npos) << agent_said();
}

TEST_F(FlowSessionTest, ALoopWithoutTheCallerEndsTheCallAsAFlowError) {
    start({{"start_node_id", "a"},
           {"nodes", {node("a", "branch", json::object()), node("b", "branch", json::object())}},
           {"edges", {edge("ab", "a", "b"), edge("ba", "b", "a")}}});
    auto result = events_->wait_end(20s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "error_flow");
    EXPECT_TRUE(result->failed);
    EXPECT_TRUE(events_->wait_for([](const json& e) { return e["type"] == "error" && e["code"] == "error_flow"; }));
}

TEST_F(FlowSessionTest, AFailedTransferIsReportedAndTheTransferNodesEdgesCarryOn) {
    start({{"start_node_id", "desk"},
           {"nodes",
            {node("desk", "transfer_call", {{"to", "+14155550123"}, {"text", "Transferring you now."}}),
             node("sorry", "end_call", {{"text", "The desk is busy."}})}},
           {"edges",
            {edge("failed", "desk", "sorry", {{"type", "equation"}, {"expression", "transfer_failed == true"}})}}});
    auto result = events_->wait_end(25s);
    ASSERT_TRUE(result);
    EXPECT_EQ(path(), (std::vector<std::string>{"desk", "sorry"}));
    EXPECT_TRUE(
        events_->wait_for([](const json& e) { return e["type"] == "error" && e["code"] == "transfer_failed"; }));
    EXPECT_EQ(result->disconnection_reason, "agent_hangup");
}

}  // namespace
}  // namespace vox::test
