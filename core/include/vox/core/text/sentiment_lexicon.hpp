// Offline sentiment of what a caller said, for the post-call analysis of calls
// whose agent has no LLM (and as the first answer for those that do). A small
// English valence lexicon in the manner of VADER (Hutto & Gilbert, 2014):
// words and a few phrases carry a valence from -3 to +3; a negator within the
// three words before flips and damps it ("not happy"), an intensifier just
// before strengthens it ("really bad"), and after "but" the clause weighs more
// than before it. Later utterances weigh more: how a call ends says more about
// the caller than how it began.
//
//   auto verdict = vox::text::score_sentiment({"this is useless", "no, not really"});
//   verdict.label;     // "negative"
//   verdict.compound;  // -1 … +1
//
// English only; nothing is downloaded or loaded at run time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vox::text {

struct SentimentVerdict {
    std::string label = "unknown";  // positive / negative / neutral / unknown (nothing said)
    double compound = 0;            // -1 … +1; |compound| < threshold is neutral
    std::size_t positive_terms = 0;
    std::size_t negative_terms = 0;
};

// The valence of one utterance: the sum over its scored words, unnormalised.
double utterance_valence(std::string_view utterance);

// Scores the caller's utterances in call order. `threshold`: the |compound|
// from which a call counts as positive or negative.
SentimentVerdict score_sentiment(const std::vector<std::string>& utterances, double threshold = 0.25);

}  // namespace vox::text
