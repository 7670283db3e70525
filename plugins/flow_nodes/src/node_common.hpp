// Shared by the built-in node types: hand-written config checks that report
// problems as {"field": JSON pointer within the config, "message"}, the step
// state, and {{variable}} substitution.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>

namespace vox::flow_nodes {

using json = nlohmann::json;

class Problems {
public:
    void add(std::string field, std::string message);
    bool empty() const { return list_.empty(); }
    const json& list() const { return list_; }

private:
    json list_ = json::array();
};

// A key as one JSON pointer token ("/" and "~" escaped as ~1 and ~0).
std::string pointer_token(const std::string& key);

// Reports every key of `config` not in `known` (the schemas say
// additionalProperties: false).
void only_fields(const json& config, std::initializer_list<const char*> known, Problems& problems);
// A string field: absent is a problem when `required`; present but not a
// string, empty, or longer than max_length is one. Returns it when usable.
std::optional<std::string> string_field(const json& config, const char* key, bool required, Problems& problems,
                                        std::size_t max_length = 10000);
// An integer field in [min, max].
std::optional<long long> integer_field(const json& config, const char* key, bool required, long long min,
                                       long long max, Problems& problems);
std::optional<bool> bool_field(const json& config, const char* key, Problems& problems);
// A flow variable name: a letter or _, then letters, digits or _.
bool is_variable_name(const std::string& name);

// What the host hands to step().
struct StepState {
    json config = json::object();
    json variables = json::object();
    std::string user_text;
    std::string dtmf;
    bool first = true;
};
StepState parse_state(const std::string& state_json);

// Replaces {{name}} with the variable's value (strings as they are, other
// values as JSON); an unknown variable becomes the empty string.
std::string substitute(const std::string& text, const json& variables);

// One node type: its schema, its checks and its step.
struct NodeSpec {
    const char* type;
    const char* description;
    const char* settings_schema;
    void (*validate)(const json& config, Problems& problems);
    json (*step)(const StepState& state);
};

const NodeSpec& conversation_node();
const NodeSpec& branch_node();
const NodeSpec& end_call_node();
const NodeSpec& transfer_call_node();
const NodeSpec& collect_digits_node();
const NodeSpec& press_digit_node();
const NodeSpec& extract_variables_node();
const NodeSpec& function_node();

}  // namespace vox::flow_nodes
