// The answers grammar_accuracy speaks, the grammar a flow node would set for
// each, and how a recognised text is turned into the answer's value.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace vox::bench {

struct Answer {
    std::string type;    // yes_no, digits, choice, date
    std::string spoken;  // what the caller says
    std::string value;   // the value a flow needs from it
    nlohmann::json grammar;
};

// 10 answers of each type.
std::vector<Answer> answers();

// The value of `text` read as an answer of `type` ("" when it holds none):
// digit words (and their homophones) to digits; yes/no synonyms to "yes" or
// "no"; the one choice named; a date as "today", "tomorrow", "day after
// tomorrow", "<weekday>" or "next <weekday>".
std::string value_of(const std::string& type, const std::string& text);

}  // namespace vox::bench
