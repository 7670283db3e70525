// The node types that speak, route or end: conversation, branch, end_call and
// transfer_call.
#include "node_common.hpp"

#include <regex>

namespace vox::flow_nodes {
namespace {

// ---- conversation ----------------------------------------------------------

constexpr const char* kConversationSchema = R"json({
  "type": "object",
  "title": "Conversation",
  "description": "Says a text, or generates what to say from a prompt with the LLM; then listens to the caller.",
  "properties": {
    "text": {"type": "string", "title": "Text", "minLength": 1, "maxLength": 10000,
             "description": "What the agent says, word for word. {{variable}} is replaced by the variable's value."},
    "prompt": {"type": "string", "title": "Prompt", "minLength": 1, "maxLength": 10000,
               "description": "Instructions for the LLM, which writes what to say. Needs an LLM."},
    "listen": {"type": "boolean", "title": "Listen", "default": true,
               "description": "Wait for the caller's answer before following an edge."}
  },
  "oneOf": [{"required": ["text"]}, {"required": ["prompt"]}],
  "additionalProperties": false
})json";

void validate_conversation(const json& config, Problems& problems) {
    only_fields(config, {"text", "prompt", "listen"}, problems);
    bool has_text = config.contains("text");
    bool has_prompt = config.contains("prompt");
    if (has_text && has_prompt)
        problems.add("/prompt", "a conversation node says either a static text or a prompt's answer, not both");
    else if (!has_text && !has_prompt)
        problems.add("/text", "a conversation node needs a text to say or a prompt for the LLM");
    string_field(config, "text", false, problems);
    string_field(config, "prompt", false, problems);
    bool_field(config, "listen", problems);
}

json step_conversation(const StepState& state) {
    bool listen = state.config.value("listen", true);
    if (!state.first) return {{"listen", false}, {"done", true}};
    json actions = {{"listen", listen}, {"done", !listen}};
    if (state.config.contains("prompt")) {
        actions["needs"] = "llm";
        actions["prompt"] = substitute(state.config.value("prompt", ""), state.variables);
    } else {
        actions["say"] = substitute(state.config.value("text", ""), state.variables);
    }
    return actions;
}

// ---- branch ----------------------------------------------------------------

constexpr const char* kBranchSchema = R"json({
  "type": "object",
  "title": "Branch",
  "description": "Says nothing: the conditions of its outgoing edges choose where the call goes next.",
  "properties": {
    "description": {"type": "string", "title": "Description", "maxLength": 1000,
                    "description": "A note for people reading the flow."}
  },
  "additionalProperties": false
})json";

void validate_branch(const json& config, Problems& problems) {
    only_fields(config, {"description"}, problems);
    if (config.contains("description") && !config["description"].is_string())
        problems.add("/description", "description must be a string");
}

json step_branch(const StepState&) { return {{"listen", false}, {"done", true}}; }

// ---- end_call --------------------------------------------------------------

constexpr const char* kEndCallSchema = R"json({
  "type": "object",
  "title": "End call",
  "description": "Hangs up, after an optional goodbye.",
  "properties": {
    "text": {"type": "string", "title": "Goodbye", "minLength": 1, "maxLength": 10000,
             "description": "Said before hanging up. {{variable}} is replaced by the variable's value."}
  },
  "additionalProperties": false
})json";

void validate_end_call(const json& config, Problems& problems) {
    only_fields(config, {"text"}, problems);
    string_field(config, "text", false, problems);
}

json step_end_call(const StepState& state) {
    json actions = {{"listen", false}, {"end_call", true}, {"done", true}};
    if (state.config.contains("text")) actions["say"] = substitute(state.config.value("text", ""), state.variables);
    return actions;
}

// ---- transfer_call -----------------------------------------------------------

constexpr const char* kTransferCallSchema = R"json({
  "type": "object",
  "title": "Transfer call",
  "description": "Transfers the caller to a phone number or a SIP address.",
  "properties": {
    "to": {"type": "string", "title": "Transfer to", "minLength": 1, "maxLength": 500,
           "description": "A phone number in E.164 form (+14155550123) or a SIP URI (sip:desk@example.com)."},
    "text": {"type": "string", "title": "Message", "minLength": 1, "maxLength": 10000,
             "description": "Said before transferring."}
  },
  "required": ["to"],
  "additionalProperties": false
})json";

bool is_transfer_target(const std::string& to) {
    static const std::regex e164(R"(^\+[1-9][0-9]{6,14}$)");
    static const std::regex sip(R"(^sips?:([^\s@:]+@)?[A-Za-z0-9.\-\[\]:]+(;[^\s]*)?$)");
    return std::regex_match(to, e164) || std::regex_match(to, sip);
}

void validate_transfer_call(const json& config, Problems& problems) {
    only_fields(config, {"to", "text"}, problems);
    auto to = string_field(config, "to", true, problems, 500);
    if (to && to->find("{{") == std::string::npos && !is_transfer_target(*to))
        problems.add("/to", "to must be a phone number in E.164 form (+14155550123) or a sip: URI, not '" + *to + "'");
    string_field(config, "text", false, problems);
}

json step_transfer_call(const StepState& state) {
    json actions = {{"listen", false},
                    {"done", true},
                    {"transfer", {{"to", substitute(state.config.value("to", ""), state.variables)}}}};
    if (state.config.contains("text")) actions["say"] = substitute(state.config.value("text", ""), state.variables);
    return actions;
}

}  // namespace

const NodeSpec& conversation_node() {
    static const NodeSpec spec{"conversation", "Says a text or an LLM answer to a prompt, then listens",
                               kConversationSchema, &validate_conversation, &step_conversation};
    return spec;
}

const NodeSpec& branch_node() {
    static const NodeSpec spec{"branch", "Chooses the next node by its edges' conditions", kBranchSchema,
                               &validate_branch, &step_branch};
    return spec;
}

const NodeSpec& end_call_node() {
    static const NodeSpec spec{"end_call", "Says goodbye and hangs up", kEndCallSchema, &validate_end_call,
                               &step_end_call};
    return spec;
}

const NodeSpec& transfer_call_node() {
    static const NodeSpec spec{"transfer_call", "Transfers the call to a number or SIP address", kTransferCallSchema,
                               &validate_transfer_call, &step_transfer_call};
    return spec;
}

}  // namespace vox::flow_nodes
