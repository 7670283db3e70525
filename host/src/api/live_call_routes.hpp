// Live web calls (docs/protocol.md sections 1 and 8):
//   POST /api/calls/start        start a web call with an agent: 201 with socket_url and access_token
//   POST /api/calls/end          hang up a live call: 200 with its stored record
//   POST /api/test/create-room   the same as /api/calls/start, marked metadata.test = true
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"
#include "calls/call_manager.hpp"

namespace vox::host {

void add_live_call_routes(ApiRoutes& routes, ApiContext& context, CallManager& calls);

}  // namespace vox::host
