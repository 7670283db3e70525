#include "api/event_socket_route.hpp"

#include "api/websocket_upgrade.hpp"

#include <vox/core/id_format.hpp>

namespace vox::host {
namespace {

using nlohmann::json;

ProblemError call_not_found(const std::string& id) {
    return ProblemError(Problem{404, "call_not_found", "Not found", "call " + id + " does not exist", json::object()});
}

}  // namespace

void add_event_socket_route(ApiRoutes& routes, ApiContext& context, CallManager& calls) {
    ApiOperation watch{"get",
                       "/ws/calls/{call_id}",
                       "watchCall",
                       "Watch a call's events (WebSocket)",
                       "A WebSocket upgrade. The server sends {\"type\":\"snapshot\",\"call\":{...}}, then every event "
                       "of the call (docs/protocol.md section 4), then closes with 1000 after call_ended; on an ended "
                       "call it sends the snapshot and closes. Messages from the client are ignored. Authenticate "
                       "with ?token= (an API key or the call's access_token) or Authorization: Bearer.",
                       {"Calls"},
                       {path_parameter("call_id", "The call's id (call_...)."),
                        query_parameter("token", "An API key, or the call's access_token.")},
                       std::nullopt,
                       {{101, empty_response("Switching to the WebSocket protocol")},
                        {400, problem_response("Not a WebSocket upgrade (websocket_required)")},
                        {401, problem_response("No valid API key or access token (unauthorized)")},
                        {404, problem_response("No such call (call_not_found)")}}};
    // The route checks its own credentials (a call's access token is no API
    // key), so the router lets it through and only the document names the scheme.
    routes.router().get(
        watch.path,
        [&context, &calls](HttpExchange& exchange) {
            std::string token = websocket_token(exchange);
            if (token.empty())
                throw websocket_unauthorized("send ?token=<API key or access token> or Authorization: Bearer");
            std::string id = exchange.param("call_id");
            bool valid_id = is_id_of("call", id);
            if (!(valid_id && calls.is_access_token(id, token)) && !context.keys.authenticate(token))
                throw websocket_unauthorized("the token is neither a valid API key nor this call's access token");
            if (!valid_id) throw call_not_found("'" + id.substr(0, 80) + "'");
            if (!context.store.calls->get(id)) throw call_not_found(id);
            calls.watch(id, accept_websocket(exchange));
        },
        Access::open);
    routes.openapi().add(watch);
}

}  // namespace vox::host
