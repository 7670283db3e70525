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
               "description": "Wait for the caller's answer before following an edge."},
    "expect": {
      "type": "object", "title": "Expected answer",
      "description": "What the caller will answer. The local STT then recognises against that grammar, and a digits answer is waited for in full (a whole phone number) instead of ending at the first pause.",
      "properties": {
        "type": {"enum": ["yes_no", "digits", "choice", "date"], "title": "Answer"},
        "min_digits": {"type": "integer", "minimum": 1, "maximum": 32, "title": "Fewest digits"},
        "max_digits": {"type": "integer", "minimum": 1, "maximum": 32, "title": "Most digits"},
        "choices": {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": 100},
                    "minItems": 1, "maxItems": 50, "title": "Choices"}
      },
      "required": ["type"],
      "additionalProperties": false
    }
  },
  "oneOf": [{"required": ["text"]}, {"required": ["prompt"]}],
  "additionalProperties": false
})json";

void validate_expect(const json& config, Problems& problems) {
    auto it = config.find("expect");
    if (it == config.end()) return;
    if (!it->is_object()) {
        problems.add("/expect", "expect must be an object such as {\"type\": \"yes_no\"}");
        return;
    }
    const json& expect = *it;
    Problems local;
    only_fields(expect, {"type", "min_digits", "max_digits", "choices"}, local);
    auto type = string_field(expect, "type", true, local, 20);
    if (type && *type != "yes_no" && *type != "digits" && *type != "choice" && *type != "date")
        local.add("/type", "type must be yes_no, digits, choice or date; not '" + *type + "'");
    auto least = integer_field(expect, "min_digits", false, 1, 32, local);
    auto most = integer_field(expect, "max_digits", false, 1, 32, local);
    if ((expect.contains("min_digits") || expect.contains("max_digits")) && type && *type != "digits")
        local.add("/type", "min_digits and max_digits belong to a digits answer");
    if (least && most && *least > *most) local.add("/max_digits", "max_digits is less than min_digits");
    if (expect.contains("choices")) {
        const json& choices = expect["choices"];
        if (!choices.is_array() || choices.empty() || choices.size() > 50)
            local.add("/choices", "choices must be an array of 1 to 50 phrases");
        else
            for (std::size_t i = 0; i < choices.size(); ++i)
                if (!choices[i].is_string() || choices[i].get<std::string>().empty())
                    local.add("/choices/" + std::to_string(i), "a choice must be a non-empty string");
        if (type && *type != "choice") local.add("/choices", "choices belong to a choice answer");
    } else if (type && *type == "choice") {
        local.add("/choices", "a choice answer needs its choices");
    }
    for (const auto& problem : local.list())
        problems.add("/expect" + problem["field"].get<std::string>(), problem["message"]);
}

void validate_conversation(const json& config, Problems& problems) {
    only_fields(config, {"text", "prompt", "listen", "expect"}, problems);
    validate_expect(config, problems);
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
    if (listen && state.config.contains("expect")) actions["expect"] = state.config["expect"];
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
