// WS /ws/events (docs/protocol.md section 3): every event of every call, as it
// happens, for dashboards. No snapshot; the socket stays open across calls.
// Authenticated by ?token= or Authorization: Bearer with an API key (a call's
// access token admits only its own call's socket). Slow readers are dropped,
// as on the per-call socket.
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"
#include "calls/call_manager.hpp"

namespace vox::host {

void add_all_events_route(ApiRoutes& routes, ApiContext& context, CallManager& calls);

}  // namespace vox::host
