// The LLM context keeps only what the caller heard; variables; latency summaries.
#include <vox/core/call/conversation.hpp>
#include <vox/core/call/latency_stats.hpp>

#include <gtest/gtest.h>

namespace vox::call {
namespace {

TEST(ConversationTest, MessagesStartWithTheSystemPromptAndSkipEmptyAgentTurns) {
    Conversation conversation("You are a receptionist.");
    conversation.begin_agent(1);
    conversation.add_user("Hello?");
    conversation.begin_agent(2);
    conversation.append_agent(2, "Hi there.");
    conversation.append_agent(2, "How can I help?");
    auto messages = conversation.messages();
    ASSERT_EQ(messages.size(), 3U);
    EXPECT_EQ(messages[0]["role"], "system");
    EXPECT_EQ(messages[1], (nlohmann::json{{"role", "user"}, {"content", "Hello?"}}));
    EXPECT_EQ(messages[2], (nlohmann::json{{"role", "assistant"}, {"content", "Hi there. How can I help?"}}));
}

TEST(ConversationTest, AnInterruptedAnswerKeepsOnlyTheWordsHeard) {
    Conversation conversation("");
    conversation.add_user("What are your hours?");
    conversation.begin_agent(7);
    conversation.append_agent(7, "We open at nine and close at five, every day except Sunday.");
    std::string text = conversation.agent_text(7);
    std::vector<TimedWord> words = {{"we", 0}, {"open", 200}, {"at", 450}, {"nine", 550}, {"and", 900},
                                    {"close", 1050}, {"at", 1400}, {"five", 1500}, {"every", 1900},
                                    {"day", 2200}, {"except", 2400}, {"sunday", 2800}};
    std::string heard = heard_prefix(text, words, 1000, 3200);
    EXPECT_EQ(heard, "We open at nine and");
    conversation.truncate_agent(7, heard);
    EXPECT_EQ(conversation.messages().back()["content"], "We open at nine and");
}

TEST(ConversationTest, WithoutWordTimingsTheHeardShareFollowsThePlayedShare) {
    std::string text = "one two three four five six seven eight nine ten";
    EXPECT_EQ(heard_prefix(text, {}, 500, 1000), "one two three four five");
    EXPECT_EQ(heard_prefix(text, {}, 0, 1000), "");
    EXPECT_EQ(heard_prefix(text, {}, 5000, 1000), text);
}

TEST(ConversationTest, ASynthesisCutShortKeepsTheWordsItsAudioCovers) {
    std::string text = "one two three four five six seven eight nine ten";
    // Timed words: as many words as were timed.
    EXPECT_EQ(spoken_prefix(text, {{"one", 0}, {"two", 300}, {"three", 600}}, 900), "one two three");
    // No timings: 150 words a minute.
    EXPECT_EQ(spoken_prefix(text, {}, 1200), "one two three");
    EXPECT_EQ(spoken_prefix(text, {}, 200), "");
    EXPECT_EQ(spoken_prefix(text, {}, 60000), text);
}

TEST(ConversationTest, VariablesAreSubstituted) {
    nlohmann::json variables = {{"name", "Ada"}, {"count", 3}};
    EXPECT_EQ(substitute_variables("Hi {{name}}, you have {{ count }} messages {{unknown}}.", variables),
              "Hi Ada, you have 3 messages {{unknown}}.");
    EXPECT_EQ(substitute_variables("no braces {{", variables), "no braces {{");
}

TEST(LatencyStatsTest, NearestRankPercentiles) {
    std::vector<double> samples;
    for (int i = 1; i <= 100; ++i) samples.push_back(i);
    auto summary = summarize_latencies(samples);
    EXPECT_EQ(summary["p50"], 50.0);
    EXPECT_EQ(summary["p90"], 90.0);
    EXPECT_EQ(summary["p95"], 95.0);
    EXPECT_EQ(summary["p99"], 99.0);
    EXPECT_EQ(summary["min"], 1.0);
    EXPECT_EQ(summary["max"], 100.0);
    EXPECT_EQ(summary["count"], 100);
    EXPECT_TRUE(summarize_latencies({}).empty());

    LatencyStats stats;
    stats.add("e2e", 400);
    stats.add("e2e", 600);
    EXPECT_DOUBLE_EQ(stats.mean("e2e"), 500.0);
    EXPECT_EQ(stats.to_json()["e2e"]["p50"], 400.0);
    EXPECT_FALSE(stats.to_json().contains("stt"));
}

}  // namespace
}  // namespace vox::call
