// The structural rules of a call flow, beyond its schema: node ids unique,
// edges between existing nodes with sound conditions (equations that parse,
// known intents), and a start node that exists. What each node
// type means is checked by the node types themselves: flow_node providers.
#pragma once

#include <vox/core/plugin_registry.hpp>

#include <nlohmann/json.hpp>

namespace vox::host {

// Problems as [{field, message}], empty when the structure is sound.
nlohmann::json check_flow_structure(const nlohmann::json& flow);

// Each node's type must be a loaded flow_node provider (the problem at
// /nodes/<i>/type lists the allowed types), and the provider's validate()
// must accept the node's config (an absent config is {}): its problems come
// back at /nodes/<i>/config<field>, their messages naming the node.
nlohmann::json check_flow_nodes(const nlohmann::json& flow, const PluginRegistry& plugins);

}  // namespace vox::host
