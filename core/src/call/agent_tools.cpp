#include "agent_tools.hpp"

namespace vox::call::detail {

using nlohmann::json;

namespace {
const char* default_description(const std::string& type) {
    if (type == "end_call") return "End the call, after saying goodbye, when the conversation is over.";
    if (type == "transfer_call") return "Transfer the caller to a human colleague.";
    return "Call an API.";
}
}  // namespace

std::vector<AgentTool> agent_tools(const json& agent) {
    std::vector<AgentTool> tools;
    auto list = agent.find("tools");
    if (list == agent.end() || !list->is_array()) return tools;
    for (const auto& spec : *list) {
        if (!spec.is_object()) continue;
        std::string type = spec.value("type", "");
        if (type != "end_call" && type != "transfer_call" && type != "http") continue;
        std::string name = spec.value("name", type == "http" ? "" : type);
        if (name.empty()) continue;
        tools.push_back({type, name, spec});
    }
    return tools;
}

const AgentTool* find_tool(const std::vector<AgentTool>& tools, const std::string& name) {
    for (const auto& tool : tools)
        if (tool.name == name) return &tool;
    return nullptr;
}

json openai_tools(const std::vector<AgentTool>& tools) {
    json out = json::array();
    for (const auto& tool : tools) {
        json parameters = tool.spec.value("parameters", json{{"type", "object"}, {"properties", json::object()}});
        out.push_back({{"type", "function"},
                       {"function",
                        {{"name", tool.name},
                         {"description", tool.spec.value("description", default_description(tool.type))},
                         {"parameters", parameters}}}});
    }
    return out;
}

json http_tool_step_state(const AgentTool& tool, const json& arguments, const json& variables) {
    std::string method = tool.spec.value("method", "POST");
    json config = {{"url", tool.spec.value("url", "")},
                   {"method", method},
                   {"timeout_ms", tool.spec.value("timeout_ms", 5000)},
                   {"result_variable", "result"}};
    if (tool.spec.contains("headers")) config["headers"] = tool.spec["headers"];
    if (method != "GET" && method != "DELETE") config["body"] = arguments.dump();
    json values = variables.is_object() ? variables : json::object();
    if (arguments.is_object())
        for (const auto& [name, value] : arguments.items()) values[name] = value;
    return {{"config", config}, {"variables", values}, {"user_text", ""}, {"dtmf", ""}, {"first", false}};
}

}  // namespace vox::call::detail
