// A call flow as the API stores it (core/schemas/flow.json), indexed for
// running: nodes by id and each node's outgoing edges in their saved order
// (the order in which their conditions are tried).
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace vox::flow {

struct FlowNode {
    std::string id;
    std::string type;  // a flow_node provider name
    std::string name;
    nlohmann::json config = nlohmann::json::object();
};

struct FlowEdge {
    std::string id;  // may be empty
    std::string source;
    std::string target;
    nlohmann::json condition;  // null: always
};

class FlowGraph {
public:
    FlowGraph() = default;
    // From a flow that passed the API's checks; throws std::invalid_argument
    // for a structure that cannot run (no start node, an edge to nowhere).
    static FlowGraph from_json(const nlohmann::json& flow);

    // A flow without nodes: the agent converses freely.
    bool empty() const { return nodes_.empty(); }
    const std::string& start() const { return start_; }
    const std::string& global_prompt() const { return global_prompt_; }
    const nlohmann::json& initial_variables() const { return initial_variables_; }
    const FlowNode* node(const std::string& id) const;
    const std::vector<FlowEdge>& edges_from(const std::string& id) const;
    std::vector<std::string> node_types() const;

private:
    std::map<std::string, FlowNode> nodes_;
    std::map<std::string, std::vector<FlowEdge>> edges_;
    std::string start_;
    std::string global_prompt_;
    nlohmann::json initial_variables_ = nlohmann::json::object();
};

}  // namespace vox::flow
