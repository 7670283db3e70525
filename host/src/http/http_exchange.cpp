#include "http/http_exchange.hpp"

#include <stdexcept>

namespace vox::host {

HttpExchange::HttpExchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                           std::string request_id, std::string path)
    : request_(request), response_(response), request_id_(std::move(request_id)), path_(std::move(path)) {}

std::string HttpExchange::param(std::string_view name) const {
    auto found = params_.find(name);
    return found == params_.end() ? std::string() : found->second;
}

bool HttpExchange::has_unread_body() const {
    if (body_consumed_) return false;
    if (request_.getChunkedTransferEncoding()) return true;
    return request_.hasContentLength() && request_.getContentLength64() > 0;
}

void HttpExchange::send_text(int status, std::string_view content_type, std::string_view body) {
    if (responded()) throw std::logic_error("a response was already sent for request " + request_id_);
    if (has_unread_body()) response_.setKeepAlive(false);
    response_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response_.setContentType(std::string(content_type));
    response_.setContentLength64(static_cast<Poco::Int64>(body.size()));
    status_ = status;
    response_.sendBuffer(body.data(), body.size());  // Poco leaves the body out for HEAD
}

void HttpExchange::send_json(int status, const nlohmann::json& body) {
    send_text(status, "application/json", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void HttpExchange::send_problem(const Problem& problem) {
    // Details may quote the request (a query name), which need not be valid UTF-8.
    send_text(problem.status, kProblemContentType,
              problem_json(problem, request_id_).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void HttpExchange::send_empty(int status) { send_text(status, "text/plain", {}); }

}  // namespace vox::host
