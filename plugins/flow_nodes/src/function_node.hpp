// The function node with its plugin-level settings: the plugin parses them
// once (parse_function_settings) and steps the node with them.
#pragma once

#include "function_settings.hpp"
#include "node_common.hpp"

namespace vox::flow_nodes {

json step_function(const FunctionSettings& settings, const StepState& state);

}  // namespace vox::flow_nodes
