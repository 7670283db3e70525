#include "grammar.hpp"

#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

namespace vox::pocketsphinx {
namespace {

// Longer digit strings make the FSG large for no use a call has (card
// numbers are at most 19 digits).
constexpr int kMaxDigits = 20;

[[noreturn]] void invalid(const std::string& message) {
    throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "grammar: " + message);
}

using Known = std::function<bool(const std::string&)>;

// The carrier phrases of each type, as one JSGF alternative list each.
const std::vector<std::string> kYes = {"yes", "yeah", "yes please", "that's right", "correct", "sure"};
const std::vector<std::string> kNo = {"no", "nope", "no thanks", "that's wrong"};
const std::vector<std::string> kDigitWords = {"zero", "oh",  "one",   "two",   "three", "four",
                                              "five", "six", "seven", "eight", "nine"};
const std::vector<std::string> kWeekdays = {"monday", "tuesday",  "wednesday", "thursday",
                                            "friday", "saturday", "sunday"};

std::vector<std::string> split(const std::string& phrase) {
    std::vector<std::string> words;
    std::istringstream in(phrase);
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

// Every word of `phrases` must be in the dictionary.
void require_known(const std::vector<std::string>& phrases, const Known& known) {
    for (const auto& phrase : phrases)
        for (const auto& word : split(phrase))
            if (!known(word))
                invalid("the word \"" + word + "\" is not in the recogniser's dictionary, so it cannot be recognised");
}

std::string alternatives(const std::vector<std::string>& phrases) {
    std::string out;
    for (const auto& phrase : phrases) {
        if (!out.empty()) out += " | ";
        out += phrase;
    }
    return out;
}

// A choice as dictionary words: lower case, sentence punctuation dropped;
// anything else that JSGF would read as syntax is refused.
std::string normalise_choice(const nlohmann::json& choice, std::size_t index) {
    std::string where = "choices[" + std::to_string(index) + "]";
    if (!choice.is_string()) invalid(where + " must be a string, got " + std::string(choice.type_name()));
    std::string phrase;
    for (const auto& raw : split(choice.get<std::string>())) {
        std::string word;
        for (char c : raw) word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto punctuation = [](char c) { return std::string_view(".,!?;:\"").find(c) != std::string_view::npos; };
        while (!word.empty() && punctuation(word.back())) word.pop_back();
        while (!word.empty() && punctuation(word.front())) word.erase(word.begin());
        if (word.empty()) continue;
        for (char c : word)
            if (!(std::islower(static_cast<unsigned char>(c)) != 0 ||
                  std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '\'' || c == '-'))
                invalid(where + ": the word \"" + word + "\" has characters a spoken word cannot have");
        if (!phrase.empty()) phrase += ' ';
        phrase += word;
    }
    if (phrase.empty()) invalid(where + " has no words");
    return phrase;
}

int digit_bound(const nlohmann::json& grammar, const char* key, int fallback) {
    auto found = grammar.find(key);
    if (found == grammar.end() || found->is_null()) return fallback;
    if (!found->is_number_integer()) invalid(std::string("\"") + key + "\" must be an integer");
    auto value = found->get<long long>();
    if (value < 1 || value > kMaxDigits)
        invalid(std::string("\"") + key + "\" must be between 1 and " + std::to_string(kMaxDigits) + ", got " +
                std::to_string(value));
    return static_cast<int>(value);
}

void allow_keys(const nlohmann::json& grammar, std::initializer_list<std::string_view> keys) {
    for (const auto& [key, value] : grammar.items())
        if (key != "type" && std::find(keys.begin(), keys.end(), key) == keys.end())
            invalid("unknown key \"" + key + "\" for type \"" + grammar.at("type").get<std::string>() + "\"");
}

std::string jsgf(const std::string& rules) { return "#JSGF V1.0;\ngrammar vox;\n" + rules; }

std::string yes_no(const nlohmann::json& grammar, const Known& known) {
    allow_keys(grammar, {});
    require_known(kYes, known);
    require_known(kNo, known);
    return jsgf("public <answer> = <yes> | <no>;\n<yes> = " + alternatives(kYes) + ";\n<no> = " + alternatives(kNo) +
                ";\n");
}

std::string digits(const nlohmann::json& grammar, const Known& known) {
    allow_keys(grammar, {"min_digits", "max_digits"});
    int min = digit_bound(grammar, "min_digits", 1);
    int max = digit_bound(grammar, "max_digits", 16);
    if (min > max)
        invalid("\"min_digits\" (" + std::to_string(min) + ") is larger than \"max_digits\" (" + std::to_string(max) +
                ")");
    require_known(kDigitWords, known);
    // min required digits, then nested optional ones: one path per length.
    std::string body;
    for (int i = 0; i < min; ++i) body += (i == 0 ? "" : " ") + std::string("<digit>");
    std::string tail;
    for (int i = min; i < max; ++i) tail = " [<digit>" + tail + "]";
    return jsgf("public <digits> = " + body + tail + ";\n<digit> = " + alternatives(kDigitWords) + ";\n");
}

std::string choice(const nlohmann::json& grammar, const Known& known) {
    allow_keys(grammar, {"choices"});
    auto found = grammar.find("choices");
    if (found == grammar.end() || !found->is_array() || found->empty())
        invalid("type \"choice\" needs \"choices\", a non-empty array of phrases");
    std::vector<std::string> phrases;
    for (std::size_t i = 0; i < found->size(); ++i) phrases.push_back(normalise_choice((*found)[i], i));
    require_known(phrases, known);
    require_known({"the", "in", "please"}, known);
    return jsgf("public <answer> = [the | in the] <choice> [please];\n<choice> = " + alternatives(phrases) + ";\n");
}

std::string date(const nlohmann::json& grammar, const Known& known) {
    allow_keys(grammar, {});
    require_known(kWeekdays, known);
    require_known({"on", "next", "today", "tomorrow", "the", "day", "after"}, known);
    return jsgf("public <date> = [on | next] <weekday> | today | tomorrow | the day after tomorrow;\n<weekday> = " +
                alternatives(kWeekdays) + ";\n");
}

}  // namespace

bool WordList::contains(const std::string& word) const {
    std::call_once(loaded_, [this] {
        std::ifstream in(path_);
        if (!in) throw sdk::Error(VOX_ERR_UNAVAILABLE, "cannot read the pocketsphinx dictionary " + path_);
        for (std::string line; std::getline(in, line);) {
            std::string entry = line.substr(0, line.find_first_of(" \t"));
            // Alternative pronunciations are listed as word(2), word(3), ...
            if (auto paren = entry.find('('); paren != std::string::npos && paren > 0) entry.resize(paren);
            if (!entry.empty()) words_.insert(std::move(entry));
        }
    });
    return words_.count(word) != 0;
}

std::optional<std::string> grammar_to_jsgf(std::string_view grammar_json, const Known& known_word) {
    auto grammar = nlohmann::json::parse(grammar_json, nullptr, false);
    if (grammar.is_discarded()) invalid("not valid JSON: " + std::string(grammar_json.substr(0, 200)));
    if (grammar.is_null() || (grammar.is_object() && grammar.empty())) return std::nullopt;
    if (!grammar.is_object()) invalid("must be a JSON object or null, got " + std::string(grammar.type_name()));
    auto type = grammar.find("type");
    if (type == grammar.end() || !type->is_string())
        invalid("\"type\" is missing or not a string (yes_no, digits, choice, date)");
    const std::string& name = type->get_ref<const std::string&>();
    if (name == "yes_no") return yes_no(grammar, known_word);
    if (name == "digits") return digits(grammar, known_word);
    if (name == "choice") return choice(grammar, known_word);
    if (name == "date") return date(grammar, known_word);
    invalid("unknown type \"" + name + "\" (known: yes_no, digits, choice, date)");
}

}  // namespace vox::pocketsphinx
