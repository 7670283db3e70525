// Grammars in stt.pocketsphinx (ABI 1.2 set_grammar): the JSON-to-JSGF
// translation on its own, then the real plugin through SttClient on flite
// speech: what a grammar lets through, refusals, and the way back to free
// speech (also for the next session on a pooled decoder).
#include "grammar.hpp"
#include "pocketsphinx_test_support.hpp"

#include <vox/sdk/error.hpp>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace vox::test {
namespace {

using pocketsphinx::grammar_to_jsgf;
using pocketsphinx::WordList;

const char* const kModelDict = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict";
const char* const kGrammarSentence = "Please book a table for two people tomorrow evening at seven";

bool any_word(const std::string&) { return true; }

// The message of the sdk::Error grammar_to_jsgf throws, or "" when it accepts.
std::string refusal(const std::string& json, const std::function<bool(const std::string&)>& known = any_word) {
    try {
        grammar_to_jsgf(json, known);
    } catch (const sdk::Error& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT) << e.what();
        return e.what();
    }
    return "";
}

TEST(PocketsphinxGrammarJsgf, EmptyObjectAndNullMeanFreeSpeech) {
    EXPECT_FALSE(grammar_to_jsgf("{}", any_word).has_value());
    EXPECT_FALSE(grammar_to_jsgf("null", any_word).has_value());
}

TEST(PocketsphinxGrammarJsgf, DigitsHaveOnePathPerAllowedLength) {
    auto jsgf = grammar_to_jsgf(R"({"type":"digits","min_digits":3,"max_digits":5})", any_word);
    ASSERT_TRUE(jsgf.has_value());
    EXPECT_NE(jsgf->find("public <digits> = <digit> <digit> <digit> [<digit> [<digit>]];"), std::string::npos) << *jsgf;
    EXPECT_NE(jsgf->find("zero | oh | one"), std::string::npos) << *jsgf;
    auto exact = grammar_to_jsgf(R"({"type":"digits","min_digits":7,"max_digits":7})", any_word);
    ASSERT_TRUE(exact.has_value());
    EXPECT_EQ(exact->find('['), std::string::npos) << "exactly 7 digits needs no optional part: " << *exact;
}

TEST(PocketsphinxGrammarJsgf, ChoicesAreLowerCaseWordsWithCarrierPhrases) {
    auto jsgf = grammar_to_jsgf(R"({"type":"choice","choices":["Morning.","late  afternoon"]})", any_word);
    ASSERT_TRUE(jsgf.has_value());
    EXPECT_NE(jsgf->find("public <answer> = [the | in the] <choice> [please];"), std::string::npos) << *jsgf;
    EXPECT_NE(jsgf->find("<choice> = morning | late afternoon;"), std::string::npos) << *jsgf;
}

TEST(PocketsphinxGrammarJsgf, RefusalsSayWhatIsWrong) {
    EXPECT_NE(refusal("{not json").find("not valid JSON"), std::string::npos);
    EXPECT_NE(refusal("[1]").find("JSON object or null"), std::string::npos);
    EXPECT_NE(refusal(R"({"choices":["a"]})").find("\"type\" is missing"), std::string::npos);
    EXPECT_NE(refusal(R"({"type":"colour"})").find("unknown type \"colour\""), std::string::npos);
    EXPECT_NE(refusal(R"({"type":"yes_no","strict":true})").find("unknown key \"strict\""), std::string::npos);
    EXPECT_NE(refusal(R"({"type":"digits","min_digits":5,"max_digits":3})").find("larger than"), std::string::npos);
    EXPECT_NE(refusal(R"({"type":"digits","max_digits":50})").find("between 1 and 20"), std::string::npos);
    EXPECT_NE(refusal(R"({"type":"digits","max_digits":"7"})").find("must be an integer"), std::string::npos);
    EXPECT_NE(refusal(R"({"type":"choice","choices":[]})").find("non-empty array"), std::string::npos);
    EXPECT_NE(refusal(R"({"type":"choice","choices":["ok", 3]})").find("choices[1] must be a string"),
              std::string::npos);
    EXPECT_NE(refusal(R"({"type":"choice","choices":["  ... "]})").find("choices[0] has no words"), std::string::npos);
    EXPECT_NE(refusal(R"({"type":"choice","choices":["a <b>"]})").find("\"<b>\""), std::string::npos);
}

TEST(PocketsphinxGrammarJsgf, WordsOutsideTheDictionaryAreNamed) {
    WordList words(kModelDict);
    auto known = [&](const std::string& word) { return words.contains(word); };
    EXPECT_TRUE(words.contains("afternoon"));
    EXPECT_TRUE(words.contains("read"));  // also listed as read(2)
    EXPECT_FALSE(words.contains("read(2)"));
    EXPECT_EQ(refusal(R"({"type":"choice","choices":["morning","afternoon"]})", known), "");
    std::string message = refusal(R"({"type":"choice","choices":["morning","zorblaxian night"]})", known);
    EXPECT_NE(message.find("\"zorblaxian\" is not in the recogniser's dictionary"), std::string::npos) << message;
    for (const char* type : {"yes_no", "digits", "date"})
        EXPECT_EQ(refusal(std::string(R"({"type":")") + type + "\"}", known), "") << type;
}

// ---- The real plugin ---------------------------------------------------------------------

class PocketsphinxGrammarTest : public PocketsphinxTest {
protected:
    // Recognises one utterance in an open session; the final's text.
    std::string hear(SttClient& client, Results& results, const audio::AudioBuffer& audio) {
        std::size_t before = results.finals_copy().size();
        push_chunks(client, audio);
        client.flush();
        EXPECT_TRUE(results.wait_finals(before + 1));
        auto finals = results.finals_copy();
        return finals.size() > before ? finals[before].text : std::string("<no final>");
    }
};

std::string digits_of(const std::string& text) {
    static const std::map<std::string, char> kDigits = {{"zero", '0'},  {"oh", '0'},    {"one", '1'},  {"two", '2'},
                                                        {"three", '3'}, {"four", '4'},  {"five", '5'}, {"six", '6'},
                                                        {"seven", '7'}, {"eight", '8'}, {"nine", '9'}};
    std::string digits;
    for (const auto& word : split_words(text)) {
        auto found = kDigits.find(word);
        digits += found != kDigits.end() ? found->second : '?';
    }
    return digits;
}

TEST_F(PocketsphinxGrammarTest, DigitsGrammarGivesExactlySevenDigits) {
    audio::AudioBuffer number = speak("five five five, two oh one, nine", 16000);
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    std::string free_text = hear(client, results, number);
    ASSERT_TRUE(client.set_grammar({{"type", "digits"}, {"min_digits", 7}, {"max_digits", 7}}));
    std::string grammar_text = hear(client, results, number);
    std::printf("[digits] free speech \"%s\", grammar \"%s\"\n", free_text.c_str(), grammar_text.c_str());
    EXPECT_EQ(digits_of(grammar_text), "5552019") << grammar_text;
}

TEST_F(PocketsphinxGrammarTest, ChoiceGrammarHearsTheChoice) {
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    ASSERT_TRUE(client.set_grammar({{"type", "choice"}, {"choices", {"morning", "afternoon", "evening", "night"}}}));
    std::string text = hear(client, results, speak("In the afternoon, please.", 16000));
    std::printf("[choice] heard \"%s\"\n", text.c_str());
    EXPECT_NE(text.find("afternoon"), std::string::npos) << text;
    for (const char* other : {"morning", "evening", "night"}) EXPECT_EQ(text.find(other), std::string::npos) << text;
}

TEST_F(PocketsphinxGrammarTest, YesNoAndDateGrammars) {
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    ASSERT_TRUE(client.set_grammar({{"type", "yes_no"}}));
    std::string yes = hear(client, results, speak("Yes, please.", 16000));
    std::string no = hear(client, results, speak("No thanks.", 16000));
    ASSERT_TRUE(client.set_grammar({{"type", "date"}}));
    std::string date = hear(client, results, speak("Next Wednesday.", 16000));
    std::printf("[yes_no] \"%s\" / \"%s\", [date] \"%s\"\n", yes.c_str(), no.c_str(), date.c_str());
    EXPECT_EQ(split_words(yes).front(), "yes") << yes;
    EXPECT_EQ(split_words(no).front(), "no") << no;
    EXPECT_NE(date.find("wednesday"), std::string::npos) << date;
}

TEST_F(PocketsphinxGrammarTest, AGrammarOnlyLetsItsOwnWordsThroughAndEmptyFreesSpeechAgain) {
    audio::AudioBuffer sentence = speak(kGrammarSentence, 16000);
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    ASSERT_TRUE(client.set_grammar({{"type", "digits"}}));
    std::string constrained = hear(client, results, sentence);
    ASSERT_TRUE(client.set_grammar(nlohmann::json::object()));
    std::string free_again = hear(client, results, sentence);
    std::printf("[digits on a sentence] \"%s\"; after {} \"%s\"\n", constrained.c_str(), free_again.c_str());
    EXPECT_EQ(digits_of(constrained).find('?'), std::string::npos) << "a non-digit word got through: " << constrained;
    EXPECT_GE(word_overlap(kGrammarSentence, free_again), 0.6) << free_again;
    ASSERT_TRUE(client.set_grammar(nullptr));  // null too
}

TEST_F(PocketsphinxGrammarTest, AGrammarSetMidUtteranceAppliesFromTheNextOne) {
    audio::AudioBuffer sentence = speak(kGrammarSentence, 16000);
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    push_chunks(client, sentence);  // this utterance started under free speech
    ASSERT_TRUE(client.set_grammar({{"type", "yes_no"}}));
    client.flush();
    ASSERT_TRUE(results.wait_finals(1));
    std::string first = results.finals_copy().front().text;
    std::string second = hear(client, results, sentence);
    EXPECT_GE(word_overlap(kGrammarSentence, first), 0.6) << first;
    EXPECT_LT(word_overlap(kGrammarSentence, second), 0.3) << "the yes/no grammar did not apply: " << second;
}

TEST_F(PocketsphinxGrammarTest, RefusedGrammarsThrowWithTheReasonAndChangeNothing) {
    audio::AudioBuffer sentence = speak(kGrammarSentence, 16000);
    Results results;
    SttClient client(*stt_, results.callbacks(), {{}, 16000});
    try {
        client.set_grammar({{"type", "choice"}, {"choices", {"morning", "zorblaxian"}}});
        ADD_FAILURE() << "a word outside the dictionary was accepted";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
        EXPECT_NE(std::string(e.what()).find("zorblaxian"), std::string::npos) << e.what();
    }
    EXPECT_THROW(client.set_grammar({{"type", "postcode"}}), ProviderError);
    EXPECT_THROW(client.set_grammar(nlohmann::json::array({"yes"})), ProviderError);
    EXPECT_GE(word_overlap(kGrammarSentence, hear(client, results, sentence)), 0.6) << "still free speech";
    std::lock_guard lock(results.mutex);
    EXPECT_TRUE(results.errors.empty());
}

TEST_F(PocketsphinxGrammarTest, APooledDecoderComesBackWithFreeSpeech) {
    audio::AudioBuffer sentence = speak(kGrammarSentence, 16000);
    {
        Results results;
        SttClient first(*stt_, results.callbacks(), {{}, 16000});
        ASSERT_TRUE(first.set_grammar({{"type", "yes_no"}}));
        hear(first, results, sentence);  // the decoder now runs the grammar search
    }
    Results results;
    SttClient second(*stt_, results.callbacks(), {{}, 16000});  // the same decoder, from the pool
    std::string text = hear(second, results, sentence);
    EXPECT_GE(word_overlap(kGrammarSentence, text), 0.6) << text;
}

}  // namespace
}  // namespace vox::test
