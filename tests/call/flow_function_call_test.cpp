// A call flow's function node in a live call: the waiting message is spoken
// while the request runs, the API's JSON answer lands in a variable, and an
// equation edge reads into it. The API is a local Poco HTTP server that takes
// its time; the rest are the real local providers.
#include "call_test_support.hpp"
#include "slots_api.hpp"

#include <vox/core/call/call_runtime.hpp>

namespace vox::test {
namespace {

using json = nlohmann::json;

TEST(FlowFunctionCall, TheWaitingMessagePlaysWhileTheApiAnswersAndItsJsonChoosesTheBranch) {
    LocalProviders local;
    call::CallRuntime runtime{{.threads = 2}};
    auto transport = std::make_shared<RecordingTransport>();
    auto events = std::make_shared<EventLog>();
    SlotsApi api(std::chrono::milliseconds(1500));

    json flow = {{"start_node_id", "lookup"},
                 {"variables", {{"day", "tuesday"}}},
                 {"nodes",
                  {{{"id", "lookup"},
                    {"type", "function"},
                    {"config",
                     {{"url", api.url("/slots?day={{day}}")},
                      {"method", "GET"},
                      {"result_variable", "free"},
                      {"speak_while_waiting", "One moment while I check {{day}}."}}}},
                   {{"id", "afternoon"}, {"type", "end_call"}, {"config", {{"text", "We have a slot at two."}}}},
                   {{"id", "none"}, {"type", "end_call"}, {"config", {{"text", "Nothing is free."}}}}}},
                 {"edges",
                  {{{"source", "lookup"},
                    {"target", "afternoon"},
                    {"condition", {{"type", "equation"}, {"expression", "free.slots contains '2pm'"}}}},
                   {{"source", "lookup"}, {"target", "none"}}}}};
    call::CallSetup setup;
    setup.call_id = "call_function";
    setup.agent = {{"id", "agent_function"}, {"settings", {{"endpointing_ms", 300}}}};
    setup.sample_rate = 16000;
    setup.providers = local.providers();
    setup.providers.llm = nullptr;
    setup.tts_settings = {{"voice", "slt"}};
    for (const auto& node : flow["nodes"])
        setup.flow_node_types[node["type"]] = local.registry().find("flow_node." + node["type"].get<std::string>());
    setup.flow = flow;
    auto session = call::CallSession::create(runtime, std::move(setup), transport, events);
    session->start();
    PacedCaller caller(*session, 16000);
    ASSERT_TRUE(caller.silence_until([&] { return events->ends() > 0; }, 20s));
    auto result = events->wait_end(1s);
    ASSERT_TRUE(result);

    EXPECT_EQ(api.last_uri(), "/slots?day=tuesday");
    std::vector<std::string> said;
    for (const auto& line : result->transcript) said.push_back(line["text"]);
    EXPECT_EQ(said, (std::vector<std::string>{"One moment while I check tuesday.", "We have a slot at two."}));
    EXPECT_EQ(result->collected_variables["free"]["slots"], (json{"9am", "2pm"}));
    EXPECT_EQ(result->disconnection_reason, "agent_hangup");
    // The waiting message started before the API answered (1.5 s), not after.
    auto first_words = events->wait_type("agent_start_talking");
    ASSERT_TRUE(first_words);
    EXPECT_LT((*first_words)["t_ms"].get<int>(), 1000) << first_words->dump();
    session.reset();
    runtime.stop();
}

}  // namespace
}  // namespace vox::test
