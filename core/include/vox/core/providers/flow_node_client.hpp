// One step of a flow_node provider (vox_flow_node_vtable.step): the node's
// config, the flow variables and the caller's latest words in, the node's
// actions out. A step may block (a function node calls an HTTP API), so call
// it off the real-time strand.
#pragma once

#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <nlohmann/json.hpp>

namespace vox {

// `state`: {"config", "variables", "user_text", "dtmf", "first"}. Returns the
// actions object. Throws ProviderError when the provider fails or answers
// with something that is not a JSON object.
nlohmann::json step_flow_node(const Provider& provider, const nlohmann::json& state);

}  // namespace vox
