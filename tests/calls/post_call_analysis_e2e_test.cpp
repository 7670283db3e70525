// The post-call analysis after real calls through voxd (the cloud fixture:
// OpenAI's chat fake as the agent's LLM): the record is stored with the
// offline verdict, then the agent's LLM is asked for a summary, the
// sentiment and a success verdict; the record gets them and /ws/events says
// call_analyzed. An answer that is not the JSON asked for, and an LLM that
// answers its own way (llm.custom_websocket), leave the offline analysis.
#include "cloud_call_fixture.hpp"

namespace vox::calltest {
namespace {

class PostCallAnalysisEndToEndTest : public CloudCallEndToEndTest {};

TEST_P(PostCallAnalysisEndToEndTest, TheAgentsLlmAnalysesTheCallAfterItEnds) {
    Json agent_doc = openai_agent();  // first: its models request would take a queued script
    // The turn's answer, then the analysis: in a code fence, as models often answer.
    openai->queue_scripts(
        {{.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."})},
         {.chunks = OpenAiTestServer::content_chunks(
              {"```json\n{\"call_summary\": \"The caller asked when the clinic opens tomorrow; ",
               "the agent said nine.\", \"user_sentiment\": \"Positive\", \"call_successful\": true}\n```"})}});
    AudioTestServer::Script script;
    script.text = kQuestion;
    audio->set_script(script);
    auto events = EventSocket::open(voxd->port(), "/ws/events?token=" + apitest::url_encode(test::kTestApiKey));
    ASSERT_TRUE(events);

    Json record = check_call(call(agent_doc["id"]), kAnswer);
    // Stored at the end: the offline verdict on the caller's words (a plain question: neutral).
    ASSERT_TRUE(record.contains("call_analysis")) << record.dump();
    const std::string call_id = record["id"];

    // Then call_analyzed, after call_ended, with the LLM's verdict.
    std::optional<Json> analyzed;
    bool ended_first = false;
    for (auto deadline = std::chrono::steady_clock::now() + 20s;
         !analyzed && std::chrono::steady_clock::now() < deadline;) {
        auto event = events->next(1s);
        if (!event || event->value("call_id", "") != call_id) continue;
        if ((*event)["type"] == "call_ended") ended_first = true;
        if ((*event)["type"] == "call_analyzed") analyzed = *event;
    }
    ASSERT_TRUE(analyzed) << "no call_analyzed event";
    EXPECT_TRUE(ended_first);
    EXPECT_EQ((*analyzed)["sentiment"], "positive");
    EXPECT_TRUE((*analyzed)["t_ms"].is_number());
    EXPECT_EQ((*analyzed)["call_analysis"]["method"], "llm");

    Json stored = api->get("/api/calls/" + call_id).json();
    const Json& analysis = stored["call_analysis"];
    EXPECT_EQ(analysis["method"], "llm") << stored.dump();
    EXPECT_EQ(analysis["call_summary"], "The caller asked when the clinic opens tomorrow; the agent said nine.");
    EXPECT_EQ(analysis["user_sentiment"], "positive") << "read case-insensitively";
    EXPECT_EQ(analysis["call_successful"], true);
    EXPECT_EQ(analysis["provider"], "llm.openai");
    EXPECT_EQ(stored["sentiment"], "positive");
    EXPECT_EQ(analysis, (*analyzed)["call_analysis"]);
    EXPECT_EQ(stored["transcript"], record["transcript"]) << "only the analysis changed";

    // The analysis asked the agent's model for JSON, with the agent's prompt quoted and the whole transcript.
    auto asked = analysis_chats();
    ASSERT_EQ(asked.size(), 1U);
    EXPECT_EQ(asked[0].authorization, "Bearer " + openai->api_key());
    EXPECT_EQ(asked[0].body.value("model", ""), "gpt-test");
    EXPECT_EQ(asked[0].body.value("temperature", -1.0), 0.0);
    EXPECT_FALSE(asked[0].body.contains("tools")) << "the analysis offers the LLM no tools";
    const Json& messages = asked[0].body["messages"];
    ASSERT_EQ(messages.size(), 2U) << asked[0].body.dump();
    EXPECT_NE(messages[0]["content"].get<std::string>().find("receptionist of"), std::string::npos);
    const std::string transcript = messages[1]["content"];
    EXPECT_NE(transcript.find(std::string("Caller: ") + kQuestion), std::string::npos) << transcript;
    EXPECT_NE(transcript.find(std::string("Agent: ") + kAnswer), std::string::npos) << transcript;
    EXPECT_NE(transcript.find("user_hangup"), std::string::npos) << transcript;
}

TEST_P(PostCallAnalysisEndToEndTest, AnUnreadableAnalysisKeepsTheOfflineOne) {
    Json agent_doc = openai_agent();
    openai->queue_scripts({{.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."})},
                           {.chunks = OpenAiTestServer::content_chunks({"I think the caller was happy."})}});
    AudioTestServer::Script script;
    script.text = kQuestion;
    audio->set_script(script);
    Json record = check_call(call(agent_doc["id"]), kAnswer);
    for (auto deadline = std::chrono::steady_clock::now() + 10s;
         voxd->output().find("was not the JSON asked for") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline;)
        std::this_thread::sleep_for(50ms);
    EXPECT_NE(voxd->output().find("was not the JSON asked for"), std::string::npos) << voxd->output();
    EXPECT_EQ(analysis_chats().size(), 1U);
    Json stored = api->get("/api/calls/" + record["id"].get<std::string>()).json();
    EXPECT_EQ(stored["call_analysis"]["method"], "lexicon") << stored.dump();
    EXPECT_EQ(stored["call_analysis"]["user_sentiment"], "neutral");
    EXPECT_EQ(stored["call_analysis"]["call_summary"], nullptr);
    EXPECT_EQ(stored["sentiment"], "neutral");
}

TEST_P(PostCallAnalysisEndToEndTest, AnLlmThatAnswersItsOwnWayIsNotAskedToAnalyse) {
    // llm.custom_websocket bridges to the user's own server (follows_prompts: false): the call is not sent
    // there a second time as an analysis.
    custom_llm->set_script({.pieces = {"We open ", "at nine ", "tomorrow."}});
    AudioTestServer::Script script;
    script.text = kQuestion;
    audio->set_script(script);
    Json agent_doc = agent({{"stt_provider", "openai"},
                            {"llm_provider", "custom_websocket"},
                            {"tts_provider", "openai"},
                            {"voice", "af_bella"},
                            {"language", "en-US"}});
    Json record = check_call(call(agent_doc["id"]), kAnswer);
    // An analysis would connect within milliseconds of the end (see the test above); give it ample time.
    std::this_thread::sleep_for(1500ms);
    std::size_t asked = 0;
    for (const auto& connection : custom_llm->connections()) asked += connection.of("response_required").size();
    EXPECT_EQ(asked, 1U) << "only the call's one turn";
    EXPECT_EQ(voxd->output().find("\"component\":\"analysis\""), std::string::npos) << voxd->output();
    Json stored = api->get("/api/calls/" + record["id"].get<std::string>()).json();
    EXPECT_EQ(stored["call_analysis"]["method"], "lexicon") << stored.dump();
    EXPECT_EQ(stored["sentiment"], "neutral");
    EXPECT_TRUE(analysis_chats().empty());
}

VOX_API_BOTH_BACKENDS(PostCallAnalysisEndToEndTest);

}  // namespace
}  // namespace vox::calltest
