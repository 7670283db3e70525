#include <vox/core/text/clause_splitter.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vox::text {
namespace {

using Clauses = std::vector<std::string>;

// Feeds `text` in tokens of `size` characters, as an LLM would.
Clauses stream(const std::string& text, std::size_t size, ClauseSplitterOptions options = {}) {
    ClauseSplitter splitter(options);
    Clauses out;
    for (std::size_t at = 0; at < text.size(); at += size)
        for (auto& clause : splitter.push(text.substr(at, size))) out.push_back(clause);
    if (auto rest = splitter.flush(); !rest.empty()) out.push_back(rest);
    return out;
}

TEST(ClauseSplitter, SplitsAtSentenceEnds) {
    EXPECT_EQ(split_clauses("Hello there! How are you? I am fine."),
              (Clauses{"Hello there!", "How are you?", "I am fine."}));
}

TEST(ClauseSplitter, WaitsForTheNextCharacterBeforeCutting) {
    ClauseSplitter splitter;
    EXPECT_TRUE(splitter.push("It costs 3.").empty());  // maybe 3.14 follows
    EXPECT_TRUE(splitter.push("14 dollars").empty());
    EXPECT_EQ(splitter.push(". Then"), (Clauses{"It costs 3.14 dollars."}));
    EXPECT_EQ(splitter.flush(), "Then");
    EXPECT_EQ(splitter.flush(), "");
}

TEST(ClauseSplitter, NeverCutsInsideNumbers) {
    EXPECT_EQ(split_clauses("Pi is 3.14 and a lot is 1,000,000 at 10:30 sharp. Done"),
              (Clauses{"Pi is 3.14 and a lot is 1,000,000 at 10:30 sharp.", "Done"}));
}

TEST(ClauseSplitter, KeepsAbbreviationsAndInitials) {
    EXPECT_EQ(split_clauses("Dr. Smith met Mr. J. R. Jones at 5 p.m. today. See e.g. the notes."),
              (Clauses{"Dr. Smith met Mr. J. R. Jones at 5 p.m. today.", "See e.g. the notes."}));
}

TEST(ClauseSplitter, CutsAtCommasOnlyWhenTheClauseIsLongEnough) {
    EXPECT_EQ(split_clauses("Yes, sure, I can help."), (Clauses{"Yes, sure, I can help."}));
    EXPECT_EQ(split_clauses("I checked your account this morning, and the payment arrived; thanks for waiting"),
              (Clauses{"I checked your account this morning,", "and the payment arrived; thanks for waiting"}));
    EXPECT_EQ(split_clauses("one two three four five six: seven", {.min_words = 3}),
              (Clauses{"one two three four five six:", "seven"}));
}

TEST(ClauseSplitter, HandlesQuotesEllipsesAndRepeatedMarks) {
    EXPECT_EQ(split_clauses("He said \"stop.\" Then... nothing?! Really"),
              (Clauses{"He said \"stop.\"", "Then...", "nothing?!", "Really"}));
}

TEST(ClauseSplitter, TokenBoundariesDoNotMatter) {
    std::string text =
        "Welcome to Acme. Your appointment with Dr. Lee is at 3.30 p.m. on Friday, which is two days from now, "
        "and it will take about 45 minutes. Anything else?";
    Clauses whole = split_clauses(text);
    for (std::size_t size : {1u, 2u, 3u, 5u, 7u, 16u}) EXPECT_EQ(stream(text, size), whole) << "token size " << size;
    EXPECT_EQ(whole, (Clauses{"Welcome to Acme.", "Your appointment with Dr. Lee is at 3.30 p.m. on Friday,",
                              "which is two days from now,", "and it will take about 45 minutes.", "Anything else?"}));
}

TEST(ClauseSplitter, CutsOverlongTextAtASpace) {
    std::string text;
    for (int i = 0; i < 30; ++i) text += "word ";
    auto clauses = split_clauses(text, {.min_words = 6, .max_chars = 40});
    ASSERT_GT(clauses.size(), 3u);
    for (const auto& clause : clauses) {
        EXPECT_LE(clause.size(), 40u);
        EXPECT_EQ(clause.front(), 'w');
        EXPECT_EQ(clause.back(), 'd');
    }
}

TEST(ClauseSplitter, ResetDropsPendingText) {
    ClauseSplitter splitter;
    EXPECT_TRUE(splitter.push("Half a sent").empty());
    splitter.reset();
    EXPECT_EQ(splitter.pending(), "");
    EXPECT_EQ(splitter.push("New one. "), (Clauses{"New one."}));
}

}  // namespace
}  // namespace vox::text
