#include "call_api.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

namespace voxctl {
namespace {

// The problem+json's detail (and code), or the body's start, for a failed answer.
std::string describe_failure(int status, const std::string& reason, const std::string& body) {
    std::string message = "voxd answered " + std::to_string(status) + " " + reason;
    auto problem = nlohmann::json::parse(body, nullptr, false);
    if (problem.is_object()) {
        std::string detail = problem.value("detail", problem.value("title", ""));
        std::string code = problem.value("code", "");
        if (!detail.empty()) message += ": " + detail;
        if (!code.empty()) message += " [" + code + "]";
    } else if (!body.empty()) {
        message += ": " + body.substr(0, 200);
    }
    return message;
}

}  // namespace

nlohmann::json post_api(const std::string& base_url, const std::string& api_key, const std::string& path,
                        const nlohmann::json& body, int expected_status, int timeout_seconds) {
    Poco::URI base;
    try {
        base = Poco::URI(base_url);
    } catch (const Poco::Exception& error) {
        throw CallApiError("bad --url " + base_url + ": " + error.displayText());
    }
    std::string full_path = base.getPath();
    while (!full_path.empty() && full_path.back() == '/') full_path.pop_back();
    full_path += path;

    const std::string text = body.dump();
    std::string answer;
    Poco::Net::HTTPResponse response;
    try {
        Poco::Net::HTTPClientSession session(base.getHost(), base.getPort());
        session.setTimeout(Poco::Timespan(timeout_seconds, 0));
        Poco::Net::HTTPRequest post(Poco::Net::HTTPRequest::HTTP_POST, full_path, Poco::Net::HTTPMessage::HTTP_1_1);
        post.set("Authorization", "Bearer " + api_key);
        post.setContentType("application/json");
        post.setContentLength(static_cast<std::streamsize>(text.size()));
        session.sendRequest(post) << text;
        std::istream& in = session.receiveResponse(response);
        Poco::StreamCopier::copyToString(in, answer);
    } catch (const Poco::Exception& error) {
        throw CallApiError("cannot reach voxd at " + base_url + ": " + error.displayText());
    }
    if (static_cast<int>(response.getStatus()) != expected_status)
        throw CallApiError(describe_failure(static_cast<int>(response.getStatus()), response.getReason(), answer));
    auto parsed = nlohmann::json::parse(answer, nullptr, false);
    if (parsed.is_discarded())
        throw CallApiError("voxd's answer to POST " + full_path + " is not JSON: " + answer.substr(0, 200));
    return parsed;
}

StartedCall start_call(const StartCallRequest& request) {
    nlohmann::json body = {{"agent_id", request.agent_id}, {"sample_rate", request.sample_rate}};
    if (request.variables.is_object()) body["variables"] = request.variables;
    StartedCall call;
    call.body = post_api(request.base_url, request.api_key, "/api/calls/start", body, 201);
    if (!call.body.is_object() || !call.body.contains("call_id") || !call.body["call_id"].is_string() ||
        !call.body.contains("socket_url") || !call.body["socket_url"].is_string())
        throw CallApiError("voxd's answer to POST /api/calls/start has no call_id or socket_url: " +
                           call.body.dump().substr(0, 200));
    call.call_id = call.body["call_id"].get<std::string>();
    call.socket_url = call.body["socket_url"].get<std::string>();
    call.sample_rate = call.body.value("sample_rate", request.sample_rate);
    return call;
}

}  // namespace voxctl
