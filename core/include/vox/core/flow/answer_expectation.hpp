// The answer a flow node expects from the caller, as the node's "expect"
// config says it (the same object is handed to the STT as its grammar):
//
//   {"type": "yes_no"}
//   {"type": "digits", "min_digits": 10, "max_digits": 11}
//   {"type": "choice", "choices": ["morning", "afternoon"]}
//   {"type": "date"}
//
// Turn-taking uses it to wait for a whole answer: a phone number read out in
// groups comes in several utterances, and the flow takes it once all the
// digits are there instead of at the first pause.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace vox::flow {

// Digits spoken in `text`, as digits: "five five five, one two" -> "55512";
// "oh" counts as zero, numerals count digit by digit.
std::string spoken_digits(const std::string& text);

// Whether `text` (the caller's words so far) is a complete answer for `expect`.
bool answer_complete(const nlohmann::json& expect, const std::string& text);

}  // namespace vox::flow
