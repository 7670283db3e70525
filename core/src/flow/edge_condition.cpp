#include <vox/core/flow/edge_condition.hpp>
#include <vox/core/flow/equation.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace vox::flow {

using nlohmann::json;

namespace {

// Lower-case words of a text: letters, digits and apostrophes.
std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text + " ") {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'') {
            word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    return words;
}

// Whether `phrase` (one or more words) occurs as whole words in `words`.
bool has_phrase(const std::vector<std::string>& words, const std::string& phrase) {
    auto wanted = words_of(phrase);
    if (wanted.empty() || wanted.size() > words.size()) return false;
    return std::search(words.begin(), words.end(), wanted.begin(), wanted.end()) != words.end();
}

struct Intent {
    std::vector<std::string> phrases;
    std::vector<std::string> unless;  // phrases that mean the opposite
};

const std::map<std::string, Intent>& intents() {
    static const std::map<std::string, Intent> table = {
        {"yes",
         {{"yes", "yeah", "yep", "yup", "sure", "correct", "right", "ok", "okay", "absolutely", "definitely",
           "please do", "that's right", "of course"},
          {"no", "not", "nope", "don't", "wrong", "incorrect"}}},
        {"no", {{"no", "nope", "nah", "not", "don't", "wrong", "incorrect", "negative"}, {}}},
        {"repeat", {{"repeat", "again", "pardon", "sorry", "what did you say", "say that again"}, {}}},
        {"goodbye", {{"bye", "goodbye", "that's all", "that is all", "hang up", "nothing else"}, {}}},
        {"human",
         {{"human", "person", "agent", "operator", "representative", "someone", "receptionist", "front desk"}, {}}},
    };
    return table;
}

bool intent_holds(const Intent& intent, const std::vector<std::string>& words) {
    auto any = [&](const std::vector<std::string>& phrases) {
        return std::any_of(phrases.begin(), phrases.end(), [&](const std::string& p) { return has_phrase(words, p); });
    };
    return any(intent.phrases) && !any(intent.unless);
}

std::string type_of(const json& condition) {
    if (condition.is_null()) return "always";
    if (!condition.is_object()) return "";
    auto it = condition.find("type");
    if (it == condition.end()) return "always";
    return it->is_string() ? it->get<std::string>() : "";
}

void only_fields(const json& condition, std::initializer_list<const char*> known, json& problems) {
    for (const auto& [key, value] : condition.items())
        if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; }))
            problems.push_back({{"field", "/" + key}, {"message", "unknown field '" + key + "' in a condition"}});
}

}  // namespace

const std::vector<std::string>& intent_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> list;
        for (const auto& [name, intent] : intents()) list.push_back(name);
        return list;
    }();
    return names;
}

ConditionKind condition_kind(const json& condition) {
    std::string type = type_of(condition);
    if (type == "equation") return ConditionKind::equation;
    if (type == "keyword") return ConditionKind::keyword;
    if (type == "llm") return ConditionKind::llm;
    return ConditionKind::always;
}

json check_condition(const json& condition) {
    json problems = json::array();
    auto add = [&](std::string field, std::string message) {
        problems.push_back({{"field", std::move(field)}, {"message", std::move(message)}});
    };
    if (condition.is_null()) return problems;
    if (!condition.is_object()) {
        add("", "a condition must be an object such as {\"type\": \"always\"}");
        return problems;
    }
    std::string type = type_of(condition);
    if (type == "always") {
        only_fields(condition, {"type"}, problems);
    } else if (type == "equation") {
        only_fields(condition, {"type", "expression"}, problems);
        auto it = condition.find("expression");
        if (it == condition.end() || !it->is_string() || it->get<std::string>().empty()) {
            add("/expression", "an equation condition needs an expression, e.g. \"day exists && confirmed == true\"");
        } else {
            try {
                Equation::parse(it->get<std::string>());
            } catch (const EquationError& e) {
                add("/expression", std::string("the expression does not parse at position ") +
                                       std::to_string(e.position()) + ": " + e.what());
            }
        }
    } else if (type == "keyword") {
        only_fields(condition, {"type", "keywords", "intent"}, problems);
        bool has_keywords = condition.contains("keywords");
        bool has_intent = condition.contains("intent");
        if (!has_keywords && !has_intent) add("/keywords", "a keyword condition needs keywords or an intent");
        if (has_keywords) {
            const json& keywords = condition["keywords"];
            if (!keywords.is_array() || keywords.empty())
                add("/keywords", "keywords must be a non-empty array of words or phrases");
            else
                for (std::size_t i = 0; i < keywords.size(); ++i)
                    if (!keywords[i].is_string() || words_of(keywords[i].get<std::string>()).empty())
                        add("/keywords/" + std::to_string(i), "a keyword must be a string with at least one word");
        }
        if (has_intent) {
            const json& intent = condition["intent"];
            if (!intent.is_string() || intents().count(intent.get<std::string>()) == 0) {
                std::string list;
                for (const auto& name : intent_names()) list += (list.empty() ? "" : ", ") + name;
                add("/intent", "intent must be one of " + list);
            }
        }
    } else if (type == "llm") {
        only_fields(condition, {"type", "prompt"}, problems);
        auto it = condition.find("prompt");
        if (it == condition.end() || !it->is_string() || it->get<std::string>().empty())
            add("/prompt", "an llm condition needs a prompt: what must be true to take the edge");
        else if (it->get<std::string>().size() > 2000)
            add("/prompt", "prompt is longer than 2000 characters");
    } else {
        add("/type", "type must be always, equation, keyword or llm");
    }
    return problems;
}

bool condition_holds(const json& condition, const json& variables, const std::string& user_text) {
    switch (condition_kind(condition)) {
    case ConditionKind::always: return true;
    case ConditionKind::llm: return false;
    case ConditionKind::equation: try { return Equation::parse(condition.value("expression", "")).holds(variables);
        } catch (const EquationError&) {
            return false;  // checked when the flow was saved
        }
    case ConditionKind::keyword: {
        auto words = words_of(user_text);
        if (auto it = condition.find("intent"); it != condition.end() && it->is_string()) {
            auto intent = intents().find(it->get<std::string>());
            if (intent != intents().end() && intent_holds(intent->second, words)) return true;
        }
        for (const auto& keyword : condition.value("keywords", json::array()))
            if (keyword.is_string() && has_phrase(words, keyword.get<std::string>())) return true;
        return false;
    }
    }
    return false;
}

}  // namespace vox::flow
