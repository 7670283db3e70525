#include "api/websocket_upgrade.hpp"

#include "api/query.hpp"

#include <vox/core/auth/api_keys.hpp>

#include <Poco/Net/NetException.h>
#include <Poco/String.h>

namespace vox::host {
namespace {

bool is_websocket_upgrade(Poco::Net::HTTPServerRequest& request) {
    return Poco::icompare(request.get("Upgrade", ""), "websocket") == 0 &&
           Poco::toLower(request.get("Connection", "")).find("upgrade") != std::string::npos;
}

}  // namespace

std::string websocket_token(HttpExchange& exchange) {
    auto query = query_parameters(exchange);
    if (auto it = query.find("token"); it != query.end()) return it->second;
    auto& request = exchange.request();
    if (request.has("Authorization")) return auth::bearer_token(request.get("Authorization")).value_or("");
    return {};
}

ProblemError websocket_unauthorized(const std::string& detail) {
    return ProblemError(Problem{401, "unauthorized", "Unauthorized", detail, nlohmann::json::object()},
                        {{"WWW-Authenticate", "Bearer realm=\"vox\""}});
}

std::unique_ptr<Poco::Net::WebSocket> accept_websocket(HttpExchange& exchange) {
    if (!is_websocket_upgrade(exchange.request()))
        throw bad_request("websocket_required", "this is a WebSocket endpoint: send an upgrade request");
    std::unique_ptr<Poco::Net::WebSocket> socket;
    try {
        socket = std::make_unique<Poco::Net::WebSocket>(exchange.request(), exchange.response());
    } catch (const Poco::Net::WebSocketException& error) {
        if (error.code() == Poco::Net::WebSocket::WS_ERR_HANDSHAKE_UNSUPPORTED_VERSION)
            exchange.response().set("Sec-WebSocket-Version", Poco::Net::WebSocket::WEBSOCKET_VERSION);
        throw bad_request("websocket_required", "bad WebSocket handshake: " + error.message());
    }
    exchange.mark_sent(101);
    return socket;
}

}  // namespace vox::host
