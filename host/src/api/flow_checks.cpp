#include "api/flow_checks.hpp"

#include <vox/core/flow/edge_condition.hpp>

#include <set>
#include <string>

namespace vox::host {
namespace {

void append_to_string(void* user, const char* data, std::size_t length) {
    static_cast<std::string*>(user)->append(data, length);
}

nlohmann::json problem(std::string field, std::string message) {
    return {{"field", std::move(field)}, {"message", std::move(message)}};
}

// The provider's problems with one node's config, fields as JSON pointers
// into the flow.
void check_node_config(const Provider& provider, const nlohmann::json& node, const std::string& at,
                       nlohmann::json& problems) {
    const std::string id = node.at("id");
    const std::string who = "node '" + id + "' (" + provider.name + ")";
    std::string config = node.contains("config") ? node["config"].dump() : "{}";
    std::string found;
    vox_string_sink sink{sizeof(vox_string_sink), &found, &append_to_string};
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_status status =
        provider.vtable<vox_flow_node_vtable>().validate(provider.plugin_context(), config.c_str(), &sink, &err);
    if (status == VOX_OK) return;
    auto list = nlohmann::json::parse(found, nullptr, false);
    if (status != VOX_ERR_INVALID_ARGUMENT || !list.is_array() || list.empty()) {
        std::string reason = err.message[0] != '\0' ? err.message : "no reason given";
        problems.push_back(problem(at + "/config", who + ": the node type could not check the config: " + reason));
        return;
    }
    for (const auto& item : list) {
        std::string field = item.contains("field") && item["field"].is_string() ? item["field"].get<std::string>() : "";
        std::string message = item.contains("message") && item["message"].is_string()
                                  ? item["message"].get<std::string>()
                                  : std::string("invalid config");
        if (!field.empty() && field[0] != '/') field = "/" + field;
        problems.push_back(problem(at + "/config" + field, who + ": " + message));
    }
}

}  // namespace

nlohmann::json check_flow_nodes(const nlohmann::json& flow, const PluginRegistry& plugins) {
    nlohmann::json problems = nlohmann::json::array();
    const auto& nodes = flow.at("nodes");
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto& node = nodes[i];
        std::string at = "/nodes/" + std::to_string(i);
        const std::string type = node.at("type");
        const Provider* provider = plugins.find(ProviderKind::flow_node, type);
        if (provider == nullptr) {
            nlohmann::json allowed = nlohmann::json::array();
            for (const auto* known : plugins.providers(ProviderKind::flow_node)) allowed.push_back(known->name);
            auto item = problem(at + "/type", "node '" + node.at("id").get<std::string>() + "' has type '" + type +
                                                  "', which is not a loaded node type");
            item["allowed"] = std::move(allowed);
            problems.push_back(std::move(item));
            continue;
        }
        check_node_config(*provider, node, at, problems);
    }
    return problems;
}

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
        if (edge.contains("condition"))
            for (const auto& item : flow::check_condition(edge["condition"]))
                add(at + "/condition" + item["field"].get<std::string>(),
                    "edge " + edge.at("source").get<std::string>() + " -> " + edge.at("target").get<std::string>() +
                        ": " + item["message"].get<std::string>());
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
