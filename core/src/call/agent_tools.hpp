// The tools an agent's LLM may call in a call (agent.tools, schema
// core/schemas/agent_tool.json): end_call, transfer_call, and http APIs. An
// http tool runs as a call-flow function node (the builtin flow_node.function
// provider), so it has the same network guard, TLS checks, size limits and
// timeout as flows.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace vox::call::detail {

struct AgentTool {
    std::string type;  // end_call, transfer_call, http
    std::string name;  // what the LLM calls it
    nlohmann::json spec;
};

std::vector<AgentTool> agent_tools(const nlohmann::json& agent);
const AgentTool* find_tool(const std::vector<AgentTool>& tools, const std::string& name);

// The "tools" of an OpenAI-style chat request.
nlohmann::json openai_tools(const std::vector<AgentTool>& tools);

// The step state of a function node that makes an http tool's request: the
// arguments are the JSON body (POST, PUT, PATCH) and {{name}} values in the URL
// and headers; the call's variables fill the rest.
nlohmann::json http_tool_step_state(const AgentTool& tool, const nlohmann::json& arguments,
                                    const nlohmann::json& variables);

}  // namespace vox::call::detail
