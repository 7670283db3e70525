// /api/agents: list, create, read, update, delete, and each agent's call flow.
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"

namespace vox::host {

void add_agent_routes(ApiRoutes& routes, ApiContext& context);

}  // namespace vox::host
