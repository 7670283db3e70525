#include "api/all_events_route.hpp"

#include "api/websocket_upgrade.hpp"

namespace vox::host {

void add_all_events_route(ApiRoutes& routes, ApiContext& context, CallManager& calls) {
    ApiOperation watch{"get",
                       "/ws/events",
                       "watchAllCalls",
                       "Watch every call's events (WebSocket)",
                       "A WebSocket upgrade. The server sends every event of every call as it happens, the same "
                       "objects as /ws/calls/{call_id} (docs/protocol.md section 4: each has type, call_id and t_ms; "
                       "call_started has agent_id, call_ended has reason). No snapshot; the socket stays open "
                       "across calls. Messages from the client are ignored; a reader too slow to keep up is "
                       "dropped. Authenticate with ?token=<API key> or Authorization: Bearer.",
                       {"Calls"},
                       {query_parameter("token", "An API key.")},
                       std::nullopt,
                       {{101, empty_response("Switching to the WebSocket protocol")},
                        {400, problem_response("Not a WebSocket upgrade (websocket_required)")},
                        {401, problem_response("No valid API key (unauthorized)")}}};
    // Like the per-call socket, the route reads its own token (?token= is no header).
    routes.router().get(
        watch.path,
        [&context, &calls](HttpExchange& exchange) {
            std::string token = websocket_token(exchange);
            if (token.empty()) throw websocket_unauthorized("send ?token=<API key> or Authorization: Bearer");
            if (!context.keys.authenticate(token)) throw websocket_unauthorized("the token is not a valid API key");
            EventHub& hub = calls.events();
            auto watcher = hub.adopt(accept_websocket(exchange));
            hub.subscribe_all(watcher);
            watcher->begin({}, false);
        },
        Access::open);
    routes.openapi().add(watch);
}

}  // namespace vox::host
