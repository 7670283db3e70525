// extract_variables: takes values out of the caller's words. Offline, by
// pattern and keywords: string, number, digits, boolean (yes/no), enum
// (choices) and date (weekday names, today, tomorrow). A variable not found
// is listed in "missing"; the host may then ask an LLM when one is configured.
#include "node_common.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace vox::flow_nodes {
namespace {

constexpr const char* kExtractSchema = R"json({
  "type": "object",
  "title": "Extract variables",
  "description": "Takes values out of what the caller said into flow variables.",
  "properties": {
    "variables": {
      "type": "array", "title": "Variables", "minItems": 1, "maxItems": 50,
      "items": {
        "type": "object",
        "properties": {
          "name": {"type": "string", "title": "Name", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
          "type": {"enum": ["string", "number", "boolean", "enum", "date", "digits"], "title": "Type",
                   "default": "string"},
          "description": {"type": "string", "title": "Description", "minLength": 1, "maxLength": 1000,
                          "description": "What the value is, for people and for the LLM."},
          "choices": {"type": "array", "title": "Choices", "items": {"type": "string", "minLength": 1},
                      "minItems": 1, "description": "The allowed values of an enum variable."},
          "pattern": {"type": "string", "title": "Pattern", "minLength": 1,
                      "description": "A regular expression (ECMAScript) found in the caller's words; its first group, or the whole match, is the value."}
        },
        "required": ["name", "type", "description"],
        "additionalProperties": false
      }
    }
  },
  "required": ["variables"],
  "additionalProperties": false
})json";

const std::set<std::string> kTypes = {"string", "number", "boolean", "enum", "date", "digits"};

void validate_variable(const json& variable, const std::string& at, std::set<std::string>& names,
                       Problems& problems) {
    if (!variable.is_object()) {
        problems.add(at, "a variable must be an object with name, type and description");
        return;
    }
    Problems local;
    only_fields(variable, {"name", "type", "description", "choices", "pattern"}, local);
    auto name = string_field(variable, "name", true, local, 100);
    if (name && !is_variable_name(*name))
        local.add("/name", "'" + *name + "' is not a variable name (letters, digits, _)");
    else if (name && !names.insert(*name).second)
        local.add("/name", "variable '" + *name + "' is extracted twice");
    auto type = string_field(variable, "type", true, local, 20);
    if (type && kTypes.count(*type) == 0)
        local.add("/type", "type must be one of string, number, boolean, enum, date, digits; not '" + *type + "'");
    string_field(variable, "description", true, local, 1000);
    if (variable.contains("choices")) {
        const json& choices = variable["choices"];
        if (!choices.is_array() || choices.empty())
            local.add("/choices", "choices must be a non-empty array of strings");
        else
            for (std::size_t i = 0; i < choices.size(); ++i)
                if (!choices[i].is_string() || choices[i].get<std::string>().empty())
                    local.add("/choices/" + std::to_string(i), "a choice must be a non-empty string");
        if (type && *type != "enum") local.add("/choices", "choices belong to enum variables only");
    } else if (type && *type == "enum") {
        local.add("/choices", "an enum variable needs its choices");
    }
    if (auto pattern = string_field(variable, "pattern", false, local, 1000)) {
        try {
            std::regex compiled(*pattern, std::regex::ECMAScript | std::regex::icase);
        } catch (const std::regex_error& e) {
            local.add("/pattern", "pattern is not a valid regular expression: " + std::string(e.what()));
        }
    }
    for (const auto& problem : local.list())
        problems.add(at + problem["field"].get<std::string>(), problem["message"]);
}

void validate_extract(const json& config, Problems& problems) {
    only_fields(config, {"variables"}, problems);
    auto it = config.find("variables");
    if (it == config.end()) {
        problems.add("/variables", "variables is required: the values to take from the caller's words");
        return;
    }
    if (!it->is_array() || it->empty() || it->size() > 50) {
        problems.add("/variables", "variables must be an array of 1 to 50 variables");
        return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < it->size(); ++i)
        validate_variable((*it)[i], "/variables/" + std::to_string(i), names, problems);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// The words of a text, lower case, letters, digits and apostrophes only.
std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : lower(text) + " ") {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'') {
            word += c;
        } else if (!word.empty()) {
            words.push_back(word);
            word.clear();
        }
    }
    return words;
}

const std::map<std::string, int>& number_words() {
    static const std::map<std::string, int> words = {
        {"zero", 0},     {"oh", 0},         {"one", 1},       {"two", 2},       {"three", 3},   {"four", 4},
        {"five", 5},     {"six", 6},        {"seven", 7},     {"eight", 8},     {"nine", 9},    {"ten", 10},
        {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16},
        {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19}, {"twenty", 20}};
    return words;
}

std::optional<json> extract_number(const std::string& text) {
    static const std::regex number(R"(-?\d+(\.\d+)?)");
    std::smatch match;
    if (std::regex_search(text, match, number)) {
        if (match[1].matched) return json(std::stod(match.str()));
        return json(std::stoll(match.str()));
    }
    for (const auto& word : words_of(text)) {
        auto it = number_words().find(word);
        if (it != number_words().end() && word != "oh") return json(it->second);
    }
    return std::nullopt;
}

std::optional<json> extract_digits(const std::string& text) {
    std::string digits;
    for (const auto& word : words_of(text)) {
        if (std::all_of(word.begin(), word.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
            digits += word;
            continue;
        }
        auto it = number_words().find(word);
        if (it != number_words().end() && it->second < 10) digits += static_cast<char>('0' + it->second);
    }
    if (digits.empty()) return std::nullopt;
    return json(digits);
}

std::optional<json> extract_boolean(const std::string& text) {
    static const std::set<std::string> yes = {"yes", "yeah", "yep", "yup", "sure", "correct", "right",
                                              "ok", "okay", "affirmative", "absolutely", "definitely"};
    static const std::set<std::string> no = {"no", "nope", "nah", "not", "don't", "incorrect", "wrong", "negative"};
    for (const auto& word : words_of(text)) {
        if (no.count(word)) return json(false);
        if (yes.count(word)) return json(true);
    }
    return std::nullopt;
}

std::optional<json> extract_choice(const std::string& text, const json& choices) {
    std::string padded = " " + [&] {
        std::string joined;
        for (const auto& word : words_of(text)) joined += word + " ";
        return joined;
    }();
    for (const auto& choice : choices) {
        if (!choice.is_string()) continue;
        std::string wanted;
        for (const auto& word : words_of(choice.get<std::string>())) wanted += word + " ";
        if (!wanted.empty() && padded.find(" " + wanted) != std::string::npos) return choice;
    }
    return std::nullopt;
}

std::optional<json> extract_date(const std::string& text) {
    static const std::set<std::string> days = {"today", "tomorrow", "monday", "tuesday", "wednesday",
                                               "thursday", "friday", "saturday", "sunday"};
    for (const auto& word : words_of(text))
        if (days.count(word)) return json(word);
    return std::nullopt;
}

std::optional<json> extract_one(const json& variable, const std::string& text) {
    std::string type = variable.value("type", "string");
    std::string source = text;
    if (variable.contains("pattern") && variable["pattern"].is_string()) {
        std::regex pattern(variable["pattern"].get<std::string>(), std::regex::ECMAScript | std::regex::icase);
        std::smatch match;
        if (!std::regex_search(text, match, pattern)) return std::nullopt;
        source = match.size() > 1 && match[1].matched ? match.str(1) : match.str();
        if (type == "string" || type == "date") return json(source);
    }
    if (type == "number") return extract_number(source);
    if (type == "digits") return extract_digits(source);
    if (type == "boolean") return extract_boolean(source);
    if (type == "enum") return extract_choice(source, variable.value("choices", json::array()));
    if (type == "date") return extract_date(source);
    auto start = source.find_first_not_of(" \t\r\n");
    if (start == std::string::npos) return std::nullopt;
    return json(source.substr(start, source.find_last_not_of(" \t\r\n") - start + 1));
}

json step_extract(const StepState& state) {
    json found = json::object();
    json missing = json::array();
    for (const auto& variable : state.config.value("variables", json::array())) {
        std::string name = variable.value("name", "");
        if (name.empty()) continue;
        auto value = extract_one(variable, state.user_text);
        if (value)
            found[name] = *value;
        else
            missing.push_back(name);
    }
    return {{"set_variables", found}, {"missing", missing}, {"listen", false}, {"done", true}};
}

}  // namespace

const NodeSpec& extract_variables_node() {
    static const NodeSpec spec{"extract_variables", "Takes values from the caller's words into variables",
                               kExtractSchema, &validate_extract, &step_extract};
    return spec;
}

}  // namespace vox::flow_nodes
