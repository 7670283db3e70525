// One request and its response, as a route handler sees them: the Poco
// request/response (for bodies, headers, and taking the connection over for a
// WebSocket), the path parameters, the request id, and helpers that send JSON,
// text or a problem with the right headers exactly once.
#pragma once

#include "http/problem.hpp"
#include "http/router.hpp"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace vox::host {

class HttpExchange {
public:
    HttpExchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, std::string request_id,
                 std::string path);
    HttpExchange(const HttpExchange&) = delete;
    HttpExchange& operator=(const HttpExchange&) = delete;

    Poco::Net::HTTPServerRequest& request() { return request_; }
    Poco::Net::HTTPServerResponse& response() { return response_; }
    const std::string& method() const { return request_.getMethod(); }
    const std::string& path() const { return path_; }  // raw, without the query
    const std::string& request_id() const { return request_id_; }

    const PathParams& params() const { return params_; }
    // The value of {name} in the route's pattern; empty if the pattern has none.
    std::string param(std::string_view name) const;
    void set_params(PathParams params) { params_ = std::move(params); }

    void send_json(int status, const nlohmann::json& body);
    void send_text(int status, std::string_view content_type, std::string_view body);
    void send_problem(const Problem& problem);
    void send_empty(int status);
    // For a handler that answered through response() itself (a WebSocket
    // upgrade, a streamed body): records the status for logs and metrics.
    void mark_sent(int status) { status_ = status; }

    // A handler that read the request body to its end says so; a response sent
    // while body bytes are still unread closes the connection, or those bytes
    // would be parsed as the next request on it (request smuggling).
    void mark_body_consumed() { body_consumed_ = true; }
    bool has_unread_body() const;

    bool responded() const { return status_ != 0; }
    int status() const { return status_; }

private:
    Poco::Net::HTTPServerRequest& request_;
    Poco::Net::HTTPServerResponse& response_;
    std::string request_id_;
    std::string path_;
    PathParams params_;
    int status_ = 0;  // 0 until a response is sent
    bool body_consumed_ = false;
};

}  // namespace vox::host
