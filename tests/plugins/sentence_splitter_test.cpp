// How tts_flite cuts streamed text into sentences.
#include "sentence_splitter.hpp"

#include <gtest/gtest.h>

namespace vox::flite {
namespace {

using Sentences = std::vector<std::string>;

TEST(SentenceSplitter, EmitsASentenceOnceWhitespaceFollowsItsEnd) {
    SentenceSplitter splitter;
    EXPECT_EQ(splitter.push("Hello there."), Sentences{});  // could still be "Hello there.com"
    EXPECT_EQ(splitter.push(" How"), Sentences{"Hello there."});
    EXPECT_EQ(splitter.push(" are you? Fine!"), Sentences{"How are you?"});
    EXPECT_EQ(splitter.finish(), "Fine!");
    EXPECT_TRUE(splitter.empty());
}

TEST(SentenceSplitter, TokensArriveInPieces) {
    SentenceSplitter splitter;
    Sentences all;
    for (const char* token : {"It", " is", " 3", ".", "5", " degrees", ".", " Nice", " day", "!", " "}) {
        for (auto& s : splitter.push(token)) all.push_back(s);
    }
    EXPECT_EQ(all, (Sentences{"It is 3.5 degrees.", "Nice day!"}));
    EXPECT_EQ(splitter.finish(), "");
}

TEST(SentenceSplitter, KeepsAbbreviationsAndInitialsTogether) {
    SentenceSplitter splitter;
    EXPECT_EQ(splitter.push("Dr. Smith met J. R. Jones, e.g. at noon. Then "),
              Sentences{"Dr. Smith met J. R. Jones, e.g. at noon."});
}

TEST(SentenceSplitter, HandlesQuotesEllipsesAndLineBreaks) {
    SentenceSplitter splitter;
    EXPECT_EQ(splitter.push("He said \"stop.\" Then... silence?! Next\nline two\n"),
              (Sentences{"He said \"stop.\"", "Then...", "silence?!", "Next", "line two"}));
}

TEST(SentenceSplitter, CutsOverlongRunsAtAClauseOrSpace) {
    SentenceSplitter splitter(40);
    Sentences out = splitter.push("one two three four five, six seven eight nine ten eleven twelve");
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0], "one two three four five,");
    std::string rest = splitter.finish();
    EXPECT_EQ(rest, "six seven eight nine ten eleven twelve");
}

TEST(SentenceSplitter, NothingButSpaceGivesNothing) {
    SentenceSplitter splitter;
    EXPECT_EQ(splitter.push("   \n\n  "), Sentences{});
    EXPECT_EQ(splitter.finish(), "");
}

}  // namespace
}  // namespace vox::flite
