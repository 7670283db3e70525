// WS /ws/calls/{call_id} (docs/protocol.md section 3): the read-only event
// socket of a call. Authenticated by ?token= (an API key or the call's access
// token, since browsers cannot set headers on a WebSocket) or an
// Authorization: Bearer header. After the upgrade the socket belongs to the
// CallManager's EventHub and the request thread is free.
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"
#include "calls/call_manager.hpp"

namespace vox::host {

void add_event_socket_route(ApiRoutes& routes, ApiContext& context, CallManager& calls);

}  // namespace vox::host
