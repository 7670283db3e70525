// When a flow edge is taken. A condition is a JSON object:
//
//   {"type": "always"}                                   (also: no condition)
//   {"type": "equation", "expression": "day exists && confirmed == true"}
//   {"type": "keyword", "keywords": ["appointment", "book"]}  any of them in the caller's words
//   {"type": "keyword", "intent": "yes"}                 a built-in intent: yes, no, repeat,
//                                                        goodbye, human (works offline)
//   {"type": "llm", "prompt": "The caller wants to cancel"}   decided by the agent's LLM
//
// Keywords and intents match whole words of the caller's latest turn,
// ignoring case; a keyword may be several words ("front desk").
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace vox::flow {

enum class ConditionKind { always, equation, keyword, llm };

// The kind of a valid condition (an absent or null condition is `always`).
ConditionKind condition_kind(const nlohmann::json& condition);

// Problems with a condition as [{"field": JSON pointer within the condition,
// "message"}]; empty when it is sound.
nlohmann::json check_condition(const nlohmann::json& condition);

// Whether an always, equation or keyword condition holds. llm conditions are
// decided by the LLM, not here: false.
bool condition_holds(const nlohmann::json& condition, const nlohmann::json& variables, const std::string& user_text);

// The built-in intents' names.
const std::vector<std::string>& intent_names();

}  // namespace vox::flow
