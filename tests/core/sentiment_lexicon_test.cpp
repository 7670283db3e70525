// The offline sentiment scorer behind the post-call analysis.
#include <vox/core/text/sentiment_lexicon.hpp>

#include <gtest/gtest.h>

namespace vox::text {
namespace {

std::string label_of(std::vector<std::string> utterances) { return score_sentiment(utterances).label; }

TEST(SentimentLexicon, NothingSaidIsUnknown) {
    EXPECT_EQ(label_of({}), "unknown");
    EXPECT_EQ(label_of({"", "  ...  "}), "unknown");
    EXPECT_EQ(score_sentiment({}).compound, 0);
}

TEST(SentimentLexicon, PlainAnswersAreNeutral) {
    EXPECT_EQ(label_of({"yes"}), "neutral");
    EXPECT_EQ(label_of({"What time do you open tomorrow?", "Tuesday at ten", "okay"}), "neutral");
    EXPECT_EQ(label_of({"I want to cancel my appointment"}), "neutral");
}

TEST(SentimentLexicon, ThanksAndPraiseArePositive) {
    EXPECT_EQ(label_of({"thank you so much, that's great"}), "positive");
    EXPECT_EQ(label_of({"yes", "perfect, thanks"}), "positive");
    EXPECT_EQ(label_of({"no problem"}), "positive");
    // "No" as an answer does not negate what follows it in the next clause.
    EXPECT_EQ(label_of({"No, that's wonderful"}), "positive");
}

TEST(SentimentLexicon, ComplaintsAreNegative) {
    EXPECT_EQ(label_of({"this is useless", "I'm really frustrated"}), "negative");
    EXPECT_EQ(label_of({"what a waste of time"}), "negative");
    EXPECT_EQ(label_of({"I'm fed up with this"}), "negative");
    EXPECT_EQ(label_of({"you are the worst"}), "negative");
}

TEST(SentimentLexicon, NegationFlipsAndDamps) {
    EXPECT_LT(utterance_valence("I am not happy"), 0);
    EXPECT_LT(utterance_valence("that wasn't helpful at all"), 0);
    EXPECT_LT(utterance_valence("that don\xE2\x80\x99t help, it's no good"), 0);  // curly apostrophe; "no good"
    EXPECT_GT(utterance_valence("not bad"), 0);
    // Negation keeps 74% of the strength, so a flipped word is weaker than the plain opposite.
    EXPECT_LT(std::abs(utterance_valence("not happy")), std::abs(utterance_valence("happy")));
    // It does not reach across a clause boundary.
    EXPECT_GT(utterance_valence("I did not call before. Great service"), 0);
}

TEST(SentimentLexicon, BoostersStrengthenAndButShiftsTheWeight) {
    EXPECT_GT(utterance_valence("really good"), utterance_valence("good"));
    EXPECT_LT(utterance_valence("very bad"), utterance_valence("bad"));
    EXPECT_LT(utterance_valence("somewhat good"), utterance_valence("good"));
    // After "but" counts more than before it.
    EXPECT_LT(utterance_valence("the booking was good but the wait was terrible"), 0);
    EXPECT_GT(utterance_valence("the wait was bad but you were wonderful"), 0);
}

TEST(SentimentLexicon, HowTheCallEndsWeighsMore) {
    // One complaint early and the same strength of thanks at the end: positive.
    EXPECT_EQ(label_of({"this is bad", "hmm", "okay, good, thank you"}), "positive");
    EXPECT_EQ(label_of({"great", "hmm", "this is terrible, awful"}), "negative");
    auto verdict = score_sentiment({"great", "this is terrible"});
    EXPECT_EQ(verdict.positive_terms, 1U);
    EXPECT_EQ(verdict.negative_terms, 1U);
    EXPECT_GT(verdict.compound, -1);
    EXPECT_LT(verdict.compound, 0);
}

TEST(SentimentLexicon, ThresholdDecidesNeutral) {
    // "fine" alone is mildly positive: neutral at the default threshold, positive at a low one.
    EXPECT_EQ(label_of({"fine"}), "neutral");
    EXPECT_EQ(score_sentiment({"fine"}, 0.1).label, "positive");
}

}  // namespace
}  // namespace vox::text
