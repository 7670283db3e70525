#include <vox/core/flow/flow_graph.hpp>
#include <vox/core/json_text.hpp>

#include <set>
#include <stdexcept>

namespace vox::flow {

using nlohmann::json;

namespace {}  // namespace

FlowGraph FlowGraph::from_json(const json& flow) {
    FlowGraph graph;
    if (!flow.is_object()) throw std::invalid_argument("a flow must be a JSON object");
    for (const auto& item : flow.value("nodes", json::array())) {
        FlowNode node{json_text(item, "id"), json_text(item, "type"), json_text(item, "name"),
                      item.contains("config") && item["config"].is_object() ? item["config"] : json::object()};
        if (node.id.empty() || node.type.empty()) throw std::invalid_argument("a flow node needs an id and a type");
        std::string id = node.id;
        graph.nodes_.emplace(id, std::move(node));
    }
    if (graph.nodes_.empty()) return graph;
    for (const auto& item : flow.value("edges", json::array())) {
        FlowEdge edge{json_text(item, "id"), json_text(item, "source"), json_text(item, "target"),
                      item.contains("condition") ? item["condition"] : json()};
        if (!graph.nodes_.contains(edge.source) || !graph.nodes_.contains(edge.target))
            throw std::invalid_argument("edge " + edge.source + " -> " + edge.target + " joins a missing node");
        graph.edges_[edge.source].push_back(std::move(edge));
    }
    graph.start_ = json_text(flow, "start_node_id");
    if (!graph.nodes_.contains(graph.start_)) throw std::invalid_argument("the flow's start node does not exist");
    graph.global_prompt_ = json_text(flow, "global_prompt");
    if (flow.contains("variables") && flow["variables"].is_object()) graph.initial_variables_ = flow["variables"];
    return graph;
}

const FlowNode* FlowGraph::node(const std::string& id) const {
    auto it = nodes_.find(id);
    return it == nodes_.end() ? nullptr : &it->second;
}

const std::vector<FlowEdge>& FlowGraph::edges_from(const std::string& id) const {
    static const std::vector<FlowEdge> none;
    auto it = edges_.find(id);
    return it == edges_.end() ? none : it->second;
}

std::vector<std::string> FlowGraph::node_types() const {
    std::set<std::string> types;
    for (const auto& [id, node] : nodes_) types.insert(node.type);
    return {types.begin(), types.end()};
}

}  // namespace vox::flow
