#include <vox/core/text/sentiment_lexicon.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace vox::text {
namespace {

// VADER's constants: a negated word keeps 74% of its strength, reversed; a
// booster adds 0.293; the sum s is normalised as s / sqrt(s² + 15).
constexpr double kNegationScale = -0.74;
constexpr double kBoost = 0.293;
constexpr double kNormalisation = 15.0;
constexpr double kBeforeBut = 0.5;
constexpr double kAfterBut = 1.5;
constexpr std::size_t kNegationReach = 3;

// Valences on VADER's -4…+4 scale, kept within ±3. Words a caller says to a
// voice agent; domain words that are not feelings ("cancel", "refund") stay out.
const std::unordered_map<std::string, double>& word_valences() {
    static const std::unordered_map<std::string, double> valences{
        // positive
        {"amazing", 2.8},
        {"appreciate", 2.0},
        {"appreciated", 2.0},
        {"awesome", 3.0},
        {"beautiful", 2.5},
        {"best", 3.0},
        {"better", 1.9},
        {"brilliant", 2.8},
        {"cheers", 1.5},
        {"cool", 1.3},
        {"delighted", 2.8},
        {"easy", 1.5},
        {"excellent", 3.0},
        {"excited", 2.0},
        {"fantastic", 3.0},
        {"fine", 0.8},
        {"friendly", 2.0},
        {"glad", 2.0},
        {"good", 1.9},
        {"grateful", 2.5},
        {"great", 3.0},
        {"happy", 2.7},
        {"helpful", 2.0},
        {"impressed", 2.2},
        {"love", 3.0},
        {"lovely", 2.8},
        {"nice", 1.8},
        {"perfect", 3.0},
        {"pleasant", 2.2},
        {"pleased", 2.0},
        {"quick", 1.0},
        {"relieved", 1.8},
        {"satisfied", 2.0},
        {"smooth", 1.2},
        {"superb", 3.0},
        {"terrific", 3.0},
        {"thank", 1.5},
        {"thanks", 1.9},
        {"useful", 1.9},
        {"welcome", 1.5},
        {"wonderful", 3.0},
        // negative
        {"angry", -3.0},
        {"annoyed", -2.0},
        {"annoying", -2.2},
        {"awful", -3.0},
        {"bad", -2.5},
        {"broken", -2.0},
        {"complain", -1.8},
        {"complaint", -2.0},
        {"confused", -1.5},
        {"confusing", -1.6},
        {"crap", -2.5},
        {"damn", -2.0},
        {"disappointed", -2.5},
        {"disappointing", -2.5},
        {"disgusting", -3.0},
        {"dreadful", -3.0},
        {"frustrated", -2.5},
        {"frustrating", -2.5},
        {"furious", -3.0},
        {"garbage", -2.5},
        {"hate", -3.0},
        {"hopeless", -2.5},
        {"horrible", -3.0},
        {"idiot", -2.8},
        {"incompetent", -2.8},
        {"irritated", -2.2},
        {"lousy", -2.5},
        {"mad", -2.2},
        {"mess", -1.8},
        {"miserable", -3.0},
        {"nonsense", -2.0},
        {"pathetic", -2.8},
        {"poor", -2.0},
        {"problem", -1.5},
        {"problems", -1.5},
        {"ridiculous", -2.5},
        {"rubbish", -2.5},
        {"rude", -2.5},
        {"sad", -2.1},
        {"scam", -2.8},
        {"slow", -1.0},
        {"stupid", -2.5},
        {"sucks", -2.5},
        {"terrible", -3.0},
        {"unacceptable", -2.8},
        {"unhappy", -2.5},
        {"upset", -2.5},
        {"useless", -2.5},
        {"waste", -2.0},
        {"worse", -2.3},
        {"worst", -3.0},
        {"wrong", -2.0},
    };
    return valences;
}

struct Phrase {
    std::array<const char*, 3> words;  // nullptr after the last
    double valence;
};

// Scored as one unit, before their words are looked at on their own.
const std::array<Phrase, 12>& phrases() {
    static const std::array<Phrase, 12> list{{
        {{"thank", "you", nullptr}, 2.0},
        {{"no", "problem", nullptr}, 1.2},
        {{"no", "worries", nullptr}, 1.2},
        {{"well", "done", nullptr}, 2.0},
        {{"makes", "sense", nullptr}, 1.0},
        {{"waste", "of", "time"}, -2.5},
        {{"fed", "up", nullptr}, -2.5},
        {{"sick", "of", nullptr}, -2.5},
        {{"tired", "of", nullptr}, -2.0},
        {{"ripped", "off", nullptr}, -2.8},
        {{"rip", "off", nullptr}, -2.5},
        {{"pissed", "off", nullptr}, -3.0},
    }};
    return list;
}

bool is_negator(const std::string& word) {
    static const std::unordered_set<std::string> negators{
        "not",    "never",   "none", "nobody",  "nothing",  "neither", "nor",   "without", "hardly",
        "barely", "cannot",  "dont", "doesnt",  "didnt",    "isnt",    "arent", "wasnt",   "werent",
        "cant",   "couldnt", "wont", "wouldnt", "shouldnt", "havent",  "hasnt", "hadnt"};
    if (negators.count(word) != 0) return true;
    return word.size() > 3 && word.compare(word.size() - 3, 3, "n't") == 0;
}

bool is_booster(const std::string& word) {
    static const std::unordered_set<std::string> boosters{
        "very", "really", "so", "extremely", "super", "totally", "absolutely", "incredibly", "too", "truly", "quite"};
    return boosters.count(word) != 0;
}

bool is_dampener(const std::string& word) {
    static const std::unordered_set<std::string> dampeners{"somewhat", "slightly", "fairly", "kinda", "sort"};
    return dampeners.count(word) != 0;
}

// Lower-case words; "," "." ";" ":" "!" "?" become an empty token (a clause
// boundary that negation and boosters do not reach across).
std::vector<std::string> tokens_of(std::string_view text) {
    std::vector<std::string> tokens;
    std::string word;
    auto finish = [&] {
        if (!word.empty()) tokens.push_back(std::move(word));
        word.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        // U+2019 (right single quotation mark) is an apostrophe in "don’t".
        if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
            static_cast<unsigned char>(text[i + 2]) == 0x99) {
            word += '\'';
            i += 2;
        } else if (std::isalnum(c) != 0) {
            word += static_cast<char>(std::tolower(c));
        } else if (c == '\'' && !word.empty()) {
            word += '\'';
        } else {
            finish();
            if (c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?')
                if (!tokens.empty() && !tokens.back().empty()) tokens.emplace_back();
        }
    }
    finish();
    return tokens;
}

// The phrase starting at `at`, with its length.
std::pair<double, std::size_t> phrase_at(const std::vector<std::string>& tokens, std::size_t at) {
    for (const auto& phrase : phrases()) {
        std::size_t length = 0;
        while (length < phrase.words.size() && phrase.words[length] != nullptr) ++length;
        if (at + length > tokens.size()) continue;
        bool match = true;
        for (std::size_t k = 0; k < length && match; ++k) match = tokens[at + k] == phrase.words[k];
        if (match) return {phrase.valence, length};
    }
    return {0.0, 0};
}

struct ScoredUtterance {
    double valence = 0;
    std::size_t positive = 0;
    std::size_t negative = 0;
};

ScoredUtterance score_utterance(std::string_view utterance) {
    auto tokens = tokens_of(utterance);
    auto but = std::find(tokens.begin(), tokens.end(), "but");
    auto but_at = static_cast<std::size_t>(but - tokens.begin());
    ScoredUtterance scored;
    for (std::size_t i = 0; i < tokens.size();) {
        double valence = 0;
        std::size_t length = 1;
        if (auto [phrase_valence, phrase_length] = phrase_at(tokens, i); phrase_length > 0) {
            valence = phrase_valence;
            length = phrase_length;
        } else if (auto it = word_valences().find(tokens[i]); it != word_valences().end()) {
            valence = it->second;
        }
        if (valence != 0) {
            // Look back within the clause: a booster or dampener just before, a negator within reach.
            // "no" negates only the word right after it ("no good"); "No, that's fine" stays positive.
            bool negated = false;
            for (std::size_t back = 1; back <= kNegationReach && back <= i; ++back) {
                const std::string& before = tokens[i - back];
                if (before.empty()) break;
                if (back == 1 && is_booster(before)) valence += valence > 0 ? kBoost : -kBoost;
                if (back == 1 && is_dampener(before)) valence -= valence > 0 ? kBoost : -kBoost;
                if (is_negator(before) || (back == 1 && before == "no")) negated = true;
            }
            if (negated) valence *= kNegationScale;
            if (but != tokens.end()) valence *= i < but_at ? kBeforeBut : kAfterBut;
            scored.valence += valence;
            ++(valence > 0 ? scored.positive : scored.negative);
        }
        i += length;
    }
    return scored;
}

}  // namespace

double utterance_valence(std::string_view utterance) { return score_utterance(utterance).valence; }

SentimentVerdict score_sentiment(const std::vector<std::string>& utterances, double threshold) {
    SentimentVerdict verdict;
    std::vector<std::string_view> said;
    for (const auto& utterance : utterances)
        if (!tokens_of(utterance).empty()) said.push_back(utterance);
    if (said.empty()) return verdict;  // unknown: the caller said nothing

    double sum = 0;
    for (std::size_t i = 0; i < said.size(); ++i) {
        // The first utterance weighs 1, the last 2.
        double weight = said.size() == 1 ? 1.0 : 1.0 + static_cast<double>(i) / static_cast<double>(said.size() - 1);
        auto scored = score_utterance(said[i]);
        sum += weight * scored.valence;
        verdict.positive_terms += scored.positive;
        verdict.negative_terms += scored.negative;
    }
    verdict.compound = sum / std::sqrt(sum * sum + kNormalisation);
    if (verdict.compound >= threshold)
        verdict.label = "positive";
    else if (verdict.compound <= -threshold)
        verdict.label = "negative";
    else
        verdict.label = "neutral";
    return verdict;
}

}  // namespace vox::text
