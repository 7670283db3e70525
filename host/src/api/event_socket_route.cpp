#include "api/event_socket_route.hpp"

#include "api/query.hpp"
#include "http/http_exchange.hpp"
#include "http/problem_error.hpp"

#include <vox/core/id_format.hpp>

#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/String.h>

namespace vox::host {
namespace {

using nlohmann::json;

ProblemError unauthorized(const std::string& detail) {
    return ProblemError(Problem{401, "unauthorized", "Unauthorized", detail, json::object()},
                        {{"WWW-Authenticate", "Bearer realm=\"vox\""}});
}

ProblemError call_not_found(const std::string& id) {
    return ProblemError(Problem{404, "call_not_found", "Not found", "call " + id + " does not exist", json::object()});
}

bool is_websocket_upgrade(Poco::Net::HTTPServerRequest& request) {
    return Poco::icompare(request.get("Upgrade", ""), "websocket") == 0 &&
           Poco::toLower(request.get("Connection", "")).find("upgrade") != std::string::npos;
}

}  // namespace

void add_event_socket_route(ApiRoutes& routes, ApiContext& context, CallManager& calls) {
    ApiOperation watch{"get", "/ws/calls/{call_id}", "watchCall", "Watch a call's events (WebSocket)",
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
            auto& request = exchange.request();
            auto query = query_parameters(exchange);
            std::string token;
            if (auto it = query.find("token"); it != query.end()) {
                token = it->second;
            } else if (request.has("Authorization")) {
                token = auth::bearer_token(request.get("Authorization")).value_or("");
            }
            if (token.empty()) throw unauthorized("send ?token=<API key or access token> or Authorization: Bearer");
            std::string id = exchange.param("call_id");
            bool valid_id = is_id_of("call", id);
            if (!(valid_id && calls.is_access_token(id, token)) && !context.keys.authenticate(token))
                throw unauthorized("the token is neither a valid API key nor this call's access token");
            if (!valid_id) throw call_not_found("'" + id.substr(0, 80) + "'");
            if (!context.store.calls->get(id)) throw call_not_found(id);
            if (!is_websocket_upgrade(request))
                throw bad_request("websocket_required", "this is a WebSocket endpoint: send an upgrade request");

            std::unique_ptr<Poco::Net::WebSocket> socket;
            try {
                socket = std::make_unique<Poco::Net::WebSocket>(request, exchange.response());
            } catch (const Poco::Net::WebSocketException& error) {
                if (error.code() == Poco::Net::WebSocket::WS_ERR_HANDSHAKE_UNSUPPORTED_VERSION)
                    exchange.response().set("Sec-WebSocket-Version", Poco::Net::WebSocket::WEBSOCKET_VERSION);
                throw bad_request("websocket_required", "bad WebSocket handshake: " + error.message());
            }
            exchange.mark_sent(101);
            calls.watch(id, std::move(socket));
        },
        Access::open);
    routes.openapi().add(watch);
}

}  // namespace vox::host
