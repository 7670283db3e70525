#include "answers.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

namespace vox::bench {
namespace {

const std::vector<std::string> kChoices = {"morning", "afternoon", "evening", "night"};
const std::vector<std::string> kWeekdays = {"monday", "tuesday",  "wednesday", "thursday",
                                            "friday", "saturday", "sunday"};

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string raw; in >> raw;) {
        std::string word;
        for (char c : raw)
            if (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '\'')
                word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!word.empty()) words.push_back(word);
    }
    return words;
}

bool has(const std::vector<std::string>& words, const std::string& word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

// Free speech hears digits as homophones too ("for", "to"); a flow reading
// free text would accept them, so the comparison is fair to it.
std::string digits_value(const std::vector<std::string>& words) {
    static const std::map<std::string, char> kDigits = {
        {"zero", '0'}, {"oh", '0'},    {"o", '0'},     {"one", '1'},  {"won", '1'}, {"two", '2'},
        {"to", '2'},   {"too", '2'},   {"three", '3'}, {"four", '4'}, {"for", '4'}, {"five", '5'},
        {"six", '6'},  {"seven", '7'}, {"eight", '8'}, {"ate", '8'},  {"nine", '9'}};
    std::string digits;
    for (const auto& word : words) {
        if (auto found = kDigits.find(word); found != kDigits.end())
            digits += found->second;
        else if (word.size() > 0 && std::all_of(word.begin(), word.end(), [](char c) { return std::isdigit(c); }))
            digits += word;
    }
    return digits;
}

std::string yes_no_value(const std::vector<std::string>& words) {
    for (const char* no : {"no", "nope", "wrong", "not", "nah"})
        if (has(words, no)) return "no";
    for (const char* yes : {"yes", "yeah", "yep", "sure", "correct", "right"})
        if (has(words, yes)) return "yes";
    return "";
}

std::string choice_value(const std::vector<std::string>& words) {
    std::set<std::string> named;
    for (const auto& choice : kChoices)
        if (has(words, choice)) named.insert(choice);
    return named.size() == 1 ? *named.begin() : "";
}

std::string date_value(const std::vector<std::string>& words) {
    if (has(words, "day") && has(words, "after") && has(words, "tomorrow")) return "day after tomorrow";
    if (has(words, "today")) return "today";
    if (has(words, "tomorrow")) return "tomorrow";
    for (std::size_t i = 0; i < words.size(); ++i)
        if (std::find(kWeekdays.begin(), kWeekdays.end(), words[i]) != kWeekdays.end())
            return (i > 0 && words[i - 1] == "next" ? "next " : "") + words[i];
    return "";
}

}  // namespace

std::vector<Answer> answers() {
    std::vector<Answer> out;
    const nlohmann::json digits = {{"type", "digits"}, {"min_digits", 4}, {"max_digits", 10}};
    const std::vector<std::pair<std::string, std::string>> numbers = {
        {"four two seven one", "4271"},
        {"nine oh eight three", "9083"},
        {"one five five two zero", "15520"},
        {"three six nine, two eight one", "369281"},
        {"eight eight zero, four one, six", "880416"},
        {"five five five, two oh one, nine", "5552019"},
        {"two seven, three one, nine four, six", "2731946"},
        {"six one four, seven seven, three oh two", "61477302"},
        {"four four one, two zero nine, eight five seven", "441209857"},
        {"oh seven seven, nine zero oh, one two three four", "0779001234"}};
    for (const auto& [spoken, value] : numbers) out.push_back({"digits", spoken, value, digits});

    const nlohmann::json yes_no = {{"type", "yes_no"}};
    for (const auto& [spoken, value] : std::vector<std::pair<std::string, std::string>>{{"Yes.", "yes"},
                                                                                        {"Yeah.", "yes"},
                                                                                        {"Yes, please.", "yes"},
                                                                                        {"That's right.", "yes"},
                                                                                        {"Correct.", "yes"},
                                                                                        {"Sure.", "yes"},
                                                                                        {"No.", "no"},
                                                                                        {"Nope.", "no"},
                                                                                        {"No, thanks.", "no"},
                                                                                        {"That's wrong.", "no"}})
        out.push_back({"yes_no", spoken, value, yes_no});

    const nlohmann::json choice = {{"type", "choice"}, {"choices", kChoices}};
    for (const auto& [spoken, value] :
         std::vector<std::pair<std::string, std::string>>{{"Morning.", "morning"},
                                                          {"Afternoon.", "afternoon"},
                                                          {"Evening.", "evening"},
                                                          {"Night.", "night"},
                                                          {"The morning, please.", "morning"},
                                                          {"In the afternoon.", "afternoon"},
                                                          {"In the evening, please.", "evening"},
                                                          {"The night.", "night"},
                                                          {"Afternoon, please.", "afternoon"},
                                                          {"In the morning.", "morning"}})
        out.push_back({"choice", spoken, value, choice});

    const nlohmann::json date = {{"type", "date"}};
    for (const auto& [spoken, value] :
         std::vector<std::pair<std::string, std::string>>{{"Today.", "today"},
                                                          {"Tomorrow.", "tomorrow"},
                                                          {"The day after tomorrow.", "day after tomorrow"},
                                                          {"On Monday.", "monday"},
                                                          {"Next Tuesday.", "next tuesday"},
                                                          {"Wednesday.", "wednesday"},
                                                          {"On Thursday.", "thursday"},
                                                          {"Next Friday.", "next friday"},
                                                          {"Saturday.", "saturday"},
                                                          {"On Sunday.", "sunday"}})
        out.push_back({"date", spoken, value, date});
    return out;
}

std::string value_of(const std::string& type, const std::string& text) {
    std::vector<std::string> words = words_of(text);
    if (type == "digits") return digits_value(words);
    if (type == "yes_no") return yes_no_value(words);
    if (type == "choice") return choice_value(words);
    if (type == "date") return date_value(words);
    return "";
}

}  // namespace vox::bench
