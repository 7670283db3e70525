// The structural rules of a call flow, beyond its schema: node ids unique,
// edges between existing nodes, and a start node that exists. What each node
// type means is checked by the node types themselves (the call-flows issue).
#pragma once

#include <nlohmann/json.hpp>

namespace vox::host {

// Problems as [{field, message}], empty when the structure is sound.
nlohmann::json check_flow_structure(const nlohmann::json& flow);

}  // namespace vox::host
