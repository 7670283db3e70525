// POST /api/test/agent/{agent_id}: a text-only turn of an agent (docs/protocol.md section 7).
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"
#include "calls/agent_test_turn.hpp"

namespace vox::host {

void add_agent_test_routes(ApiRoutes& routes, ApiContext& context, AgentTurnRunner& runner);

}  // namespace vox::host
