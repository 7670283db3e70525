#include "api/flow_checks.hpp"

#include <set>
#include <string>

namespace vox::host {

nlohmann::json check_flow_structure(const nlohmann::json& flow) {
    nlohmann::json problems = nlohmann::json::array();
    auto add = [&](std::string field, std::string message) {
        problems.push_back({{"field", std::move(field)}, {"message", std::move(message)}});
    };
    std::set<std::string> node_ids;
    const auto& nodes = flow.at("nodes");
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const std::string id = nodes[i].at("id");
        if (!node_ids.insert(id).second)
            add("/nodes/" + std::to_string(i) + "/id", "node id '" + id + "' is used by more than one node");
    }
    std::set<std::string> edge_ids;
    const auto& edges = flow.at("edges");
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const auto& edge = edges[i];
        std::string at = "/edges/" + std::to_string(i);
        for (const char* end : {"source", "target"}) {
            const std::string node = edge.at(end);
            if (node_ids.count(node) == 0)
                add(at + "/" + end, std::string(end) + " '" + node + "' is not a node of this flow");
        }
        if (edge.contains("id") && !edge_ids.insert(edge["id"].get<std::string>()).second)
            add(at + "/id", "edge id '" + edge["id"].get<std::string>() + "' is used by more than one edge");
    }
    if (flow.contains("start_node_id")) {
        const std::string start = flow["start_node_id"];
        if (node_ids.count(start) == 0) add("/start_node_id", "start node '" + start + "' is not a node of this flow");
    } else if (!nodes.empty()) {
        add("/start_node_id", "a flow with nodes needs start_node_id, the node where calls begin");
    }
    return problems;
}

}  // namespace vox::host
