// The keypad node types: collect_digits (the caller presses keys) and
// press_digit (the agent presses keys, e.g. in a phone menu).
#include "node_common.hpp"

namespace vox::flow_nodes {
namespace {

constexpr const char* kDtmfKeys = "0123456789*#";

// ---- collect_digits ----------------------------------------------------------

constexpr const char* kCollectDigitsSchema = R"json({
  "type": "object",
  "title": "Collect digits",
  "description": "Collects keys the caller presses into a variable.",
  "properties": {
    "text": {"type": "string", "title": "Prompt", "minLength": 1, "maxLength": 10000,
             "description": "Said first, e.g. 'Please enter your account number, then press hash.'"},
    "max_digits": {"type": "integer", "title": "Maximum digits", "minimum": 1, "maximum": 64,
                   "description": "Collection ends when this many keys are pressed."},
    "terminator": {"enum": ["#", "*"], "title": "End key",
                   "description": "A key that ends the collection early; it is not stored."},
    "timeout_ms": {"type": "integer", "title": "Timeout (ms)", "minimum": 1000, "maximum": 60000, "default": 5000,
                   "description": "Collection ends when no key is pressed for this long."},
    "variable": {"type": "string", "title": "Variable", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                 "description": "The flow variable that receives the digits."}
  },
  "required": ["max_digits", "variable"],
  "additionalProperties": false
})json";

void validate_collect_digits(const json& config, Problems& problems) {
    only_fields(config, {"text", "max_digits", "terminator", "timeout_ms", "variable"}, problems);
    string_field(config, "text", false, problems);
    integer_field(config, "max_digits", true, 1, 64, problems);
    integer_field(config, "timeout_ms", false, 1000, 60000, problems);
    auto terminator = string_field(config, "terminator", false, problems, 1);
    if (terminator && *terminator != "#" && *terminator != "*")
        problems.add("/terminator", "terminator must be '#' or '*'");
    auto variable = string_field(config, "variable", true, problems, 100);
    if (variable && !is_variable_name(*variable))
        problems.add("/variable", "variable '" + *variable + "' is not a variable name (letters, digits, _)");
}

json step_collect_digits(const StepState& state) {
    const json& config = state.config;
    std::string variable = config.value("variable", "digits");
    auto max_digits = static_cast<std::size_t>(config.value("max_digits", 1LL));
    std::string terminator = config.value("terminator", "");
    std::string collected;
    if (!state.first && state.variables.contains(variable) && state.variables[variable].is_string())
        collected = state.variables[variable];
    bool done = collected.size() >= max_digits;
    for (char key : state.dtmf) {
        if (done) break;
        if (!terminator.empty() && key == terminator[0]) {
            done = true;
        } else if (std::string_view(kDtmfKeys).find(key) != std::string_view::npos) {
            collected += key;
            done = collected.size() >= max_digits;
        }
    }
    json actions = {{"set_variables", {{variable, collected}}},
                    {"listen", !done},
                    {"done", done},
                    {"collect_digits",
                     {{"max_digits", max_digits}, {"timeout_ms", config.value("timeout_ms", 5000LL)}}}};
    if (!terminator.empty()) actions["collect_digits"]["terminator"] = terminator;
    if (state.first && config.contains("text"))
        actions["say"] = substitute(config.value("text", ""), state.variables);
    return actions;
}

// ---- press_digit -------------------------------------------------------------

constexpr const char* kPressDigitSchema = R"json({
  "type": "object",
  "title": "Press digits",
  "description": "Presses keys on the line, e.g. to get through another system's phone menu.",
  "properties": {
    "digits": {"type": "string", "title": "Keys", "pattern": "^[0-9*#]+$", "minLength": 1, "maxLength": 64,
               "description": "The keys to press, in order: 0-9, * and #."}
  },
  "required": ["digits"],
  "additionalProperties": false
})json";

void validate_press_digit(const json& config, Problems& problems) {
    only_fields(config, {"digits"}, problems);
    auto digits = string_field(config, "digits", true, problems, 64);
    if (digits && digits->find_first_not_of(kDtmfKeys) != std::string::npos)
        problems.add("/digits", "digits may hold only 0-9, * and #, not '" + *digits + "'");
}

json step_press_digit(const StepState& state) {
    return {{"press_digits", state.config.value("digits", "")}, {"listen", false}, {"done", true}};
}

}  // namespace

const NodeSpec& collect_digits_node() {
    static const NodeSpec spec{"collect_digits", "Collects keys the caller presses into a variable",
                               kCollectDigitsSchema, &validate_collect_digits, &step_collect_digits};
    return spec;
}

const NodeSpec& press_digit_node() {
    static const NodeSpec spec{"press_digit", "Presses keys on the line", kPressDigitSchema, &validate_press_digit,
                               &step_press_digit};
    return spec;
}

}  // namespace vox::flow_nodes
