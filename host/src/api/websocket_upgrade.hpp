// What the event sockets (/ws/calls/{call_id}, /ws/events) share: the token a
// browser can send (?token=, since it cannot set headers on a WebSocket, or
// Authorization: Bearer), the 401 without one, and the upgrade itself.
#pragma once

#include "http/http_exchange.hpp"
#include "http/problem_error.hpp"

#include <Poco/Net/WebSocket.h>

#include <memory>
#include <string>

namespace vox::host {

// ?token=, else the Authorization bearer token, else empty.
std::string websocket_token(HttpExchange& exchange);

ProblemError websocket_unauthorized(const std::string& detail);

// Answers the upgrade (101) and returns the socket; a 400 websocket_required
// problem for a request that is not a valid WebSocket upgrade.
std::unique_ptr<Poco::Net::WebSocket> accept_websocket(HttpExchange& exchange);

}  // namespace vox::host
