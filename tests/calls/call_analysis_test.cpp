// The pure parts of the post-call analysis: the offline verdict, the LLM's
// request, and reading its answer.
#include "calls/call_analysis.hpp"

#include <gtest/gtest.h>

namespace vox::host {
namespace {

using nlohmann::json;

const json kTranscript = json::array({
    {{"speaker", "agent"}, {"text", "Hello, this is Northside."}},
    {{"speaker", "user"}, {"text", "This is useless, I have been waiting forever."}},
    {{"speaker", "agent"}, {"text", "I am sorry to hear that."}},
    {{"speaker", "user"}, {"text", "Terrible service."}},
});

TEST(CallAnalysis, CallerSpokeOnlyWithWordsOfTheCaller) {
    EXPECT_TRUE(caller_spoke(kTranscript));
    EXPECT_FALSE(caller_spoke(json::array({{{"speaker", "agent"}, {"text", "Hello?"}}})));
    EXPECT_FALSE(caller_spoke(json::array({{{"speaker", "user"}, {"text", "  "}}})));
    EXPECT_FALSE(caller_spoke(json()));
}

TEST(CallAnalysis, TheLexiconScoresEnglishCallersOnly) {
    json analysis = lexicon_analysis(kTranscript, "en-US", "2026-11-24T10:00:00.000Z");
    EXPECT_EQ(analysis["method"], "lexicon");
    EXPECT_EQ(analysis["user_sentiment"], "negative");
    EXPECT_EQ(analysis["call_summary"], nullptr);
    EXPECT_EQ(analysis["call_successful"], nullptr);
    EXPECT_EQ(analysis["analyzed_at"], "2026-11-24T10:00:00.000Z");
    EXPECT_FALSE(analysis.contains("provider"));
    EXPECT_EQ(lexicon_analysis(kTranscript, "EN", "t")["user_sentiment"], "negative");
    // The agent's words are not the caller's feelings: "sorry" said by the agent does not count.
    json agent_only = json::array(
        {{{"speaker", "agent"}, {"text", "Terrible news, sorry."}}, {{"speaker", "user"}, {"text", "okay"}}});
    EXPECT_EQ(lexicon_analysis(agent_only, "en", "t")["user_sentiment"], "neutral");
    EXPECT_EQ(lexicon_analysis(kTranscript, "de-DE", "t")["user_sentiment"], "unknown");
    EXPECT_EQ(lexicon_analysis(json::array(), "en-US", "t")["user_sentiment"], "unknown");
}

TEST(CallAnalysis, TheAnalystKeepsTheAgentsLlmAndQuotesItsPrompt) {
    json agent = {{"id", "agent_1"},
                  {"system_prompt", "You book tables at Luigi's."},
                  {"begin_message", "Luigi's, hello!"},
                  {"llm_provider", "openai"},
                  {"model", "gpt-test"},
                  {"tools", json::array({{{"type", "end_call"}}})},
                  {"settings", {{"temperature", 0.9}, {"max_tokens", 50}}}};
    json analyst = analysis_agent(agent);
    EXPECT_EQ(analyst["llm_provider"], "openai");
    EXPECT_EQ(analyst["model"], "gpt-test");
    EXPECT_EQ(analyst["settings"]["temperature"], 0);
    EXPECT_EQ(analyst["settings"]["max_tokens"], 400);
    EXPECT_FALSE(analyst.contains("tools"));
    EXPECT_FALSE(analyst.contains("begin_message"));
    std::string prompt = analyst["system_prompt"];
    EXPECT_EQ(prompt.rfind("You analyse a finished phone call", 0), 0U);
    EXPECT_NE(prompt.find("\"user_sentiment\""), std::string::npos);
    EXPECT_NE(prompt.find("You book tables at Luigi's."), std::string::npos);
    // An enormous prompt is cut.
    agent["system_prompt"] = std::string(20000, 'x');
    EXPECT_LT(analysis_agent(agent)["system_prompt"].get<std::string>().size(), 6000U);
}

TEST(CallAnalysis, TheMessageCarriesTheTranscriptAndTheEnd) {
    json record = {{"transcript", kTranscript}, {"disconnection_reason", "agent_hangup"}};
    json messages = analysis_messages(record);
    ASSERT_EQ(messages.size(), 1U);
    EXPECT_EQ(messages[0]["role"], "user");
    std::string content = messages[0]["content"];
    EXPECT_NE(content.find("Agent: Hello, this is Northside.\nCaller: This is useless"), std::string::npos) << content;
    EXPECT_NE(content.find("Caller: Terrible service.\n"), std::string::npos);
    EXPECT_NE(content.find("agent_hangup"), std::string::npos);
    // A long call keeps its end.
    json long_call = json::array();
    for (int i = 0; i < 2000; ++i) long_call.push_back({{"speaker", "user"}, {"text", "line " + std::to_string(i)}});
    std::string cut = analysis_messages({{"transcript", long_call}})[0]["content"];
    EXPECT_LT(cut.size(), 25000U);
    EXPECT_NE(cut.find("line 1999"), std::string::npos);
    EXPECT_EQ(cut.find("line 0\n"), std::string::npos);
}

TEST(CallAnalysis, TheLlmsAnswerIsReadLeniently) {
    auto plain = parse_llm_analysis(
        R"({"call_summary": " Booked a table. ", "user_sentiment": "Positive", "call_successful": true})", "llm.openai",
        "t");
    ASSERT_TRUE(plain);
    EXPECT_EQ((*plain)["method"], "llm");
    EXPECT_EQ((*plain)["call_summary"], "Booked a table.");
    EXPECT_EQ((*plain)["user_sentiment"], "positive");
    EXPECT_EQ((*plain)["call_successful"], true);
    EXPECT_EQ((*plain)["provider"], "llm.openai");
    EXPECT_EQ((*plain)["analyzed_at"], "t");

    auto fenced = parse_llm_analysis(
        "Here is the analysis:\n```json\n{\"call_summary\": \"No {table} free.\", \"user_sentiment\": \"negative\", "
        "\"call_successful\": \"false\"}\n```\nAnything else?",
        "llm.x", "t");
    ASSERT_TRUE(fenced);
    EXPECT_EQ((*fenced)["call_summary"], "No {table} free.");
    EXPECT_EQ((*fenced)["call_successful"], false);

    // What is not understood is null or unknown; a reply with nothing usable is no analysis.
    auto partial = parse_llm_analysis(R"({"user_sentiment": "ecstatic", "call_successful": "maybe",
                                          "call_summary": "Asked for hours."})",
                                      "llm.x", "t");
    ASSERT_TRUE(partial);
    EXPECT_EQ((*partial)["user_sentiment"], "unknown");
    EXPECT_EQ((*partial)["call_successful"], nullptr);
    EXPECT_FALSE(parse_llm_analysis("The caller was happy.", "llm.x", "t"));
    EXPECT_FALSE(parse_llm_analysis(R"({"mood": "happy"})", "llm.x", "t"));
    EXPECT_FALSE(parse_llm_analysis("{not json}", "llm.x", "t"));
    EXPECT_FALSE(parse_llm_analysis("", "llm.x", "t"));
}

}  // namespace
}  // namespace vox::host
