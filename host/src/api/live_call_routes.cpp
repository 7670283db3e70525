#include "api/live_call_routes.hpp"

#include "api/call_problems.hpp"
#include "api/request_body.hpp"
#include "http/http_exchange.hpp"

namespace vox::host {
namespace {

using nlohmann::json;

// Where this server's event sockets are, as the client reached it (the Host header).
std::string events_base_url(HttpExchange& exchange) {
    auto& request = exchange.request();
    std::string host = request.getHost();
    if (host.empty()) host = request.serverAddress().toString();
    return "ws://" + host;
}

json start_call(HttpExchange& exchange, ApiContext& context, CallManager& calls, bool test) {
    json input = read_json_body(exchange, context.max_body_bytes);
    validate_against("web_call_input", input);
    CallManager::StartRequest request;
    request.agent_id = input.at("agent_id");
    request.variables = input.value("variables", json::object());
    request.sample_rate = input.value("sample_rate", 16000u);
    request.test = test;
    CallManager::StartedCall started;
    try {
        started = calls.start_web_call(request);
    } catch (const CallRefusal& refusal) {
        throw call_problem(refusal);
    }
    return {{"call_id", started.call_id},
            {"agent_id", started.agent_id},
            {"access_token", started.access_token},
            {"expires_at", started.expires_at},
            {"socket_url", started.socket_url},
            {"events_url", events_base_url(exchange) + "/ws/calls/" + started.call_id},
            {"sample_rate", started.sample_rate}};
}

std::map<int, ApiResponse> start_responses() {
    return {{201, json_response("The call: connect to socket_url before expires_at", "web_call")},
            {404, problem_response("No such agent (agent_not_found)")},
            {409, problem_response("The agent is inactive (agent_inactive)")},
            {422, problem_response("Invalid input")},
            {503, problem_response("No web-call transport (transport_unavailable), a provider of the agent is not "
                                   "loaded (provider_unavailable), or too many live calls (too_many_calls)")}};
}

}  // namespace

void add_live_call_routes(ApiRoutes& routes, ApiContext& context, CallManager& calls) {
    ApiOperation start{"post", "/api/calls/start", "startWebCall", "Start a web call",
                       "Creates the call record (in_progress, direction web) and an access token that admits one "
                       "caller to socket_url until expires_at; a call nobody joins in time ends with no_connection. "
                       "See docs/protocol.md.",
                       {"Calls"}, {}, "web_call_input", start_responses()};
    routes.add(start, [&context, &calls](HttpExchange& exchange) {
        json answer = start_call(exchange, context, calls, false);
        exchange.response().set("Location", "/api/calls/" + answer["call_id"].get<std::string>());
        exchange.send_json(201, answer);
    });

    ApiOperation end{"post", "/api/calls/end", "endWebCall", "Hang up a live call",
                     "Ends the call with disconnection_reason api_hangup and answers with its record once stored.",
                     {"Calls"}, {}, "call_end_input",
                     {{200, json_response("The ended call's record", "call")},
                      {404, problem_response("No such call (call_not_found)")},
                      {409, problem_response("The call is not live (call_not_active; status names its state)")},
                      {422, problem_response("Invalid input")}}};
    routes.add(end, [&context, &calls](HttpExchange& exchange) {
        json input = read_json_body(exchange, context.max_body_bytes);
        validate_against("call_end_input", input);
        try {
            exchange.send_json(200, calls.end_call(input.at("call_id")));
        } catch (const CallRefusal& refusal) {
            throw call_problem(refusal);
        }
    });

    ApiOperation room{"post", "/api/test/create-room", "createTestRoom", "Start a test web call",
                      "Exactly like POST /api/calls/start, with the record's metadata.test set to true: the "
                      "dashboard's test room joins it from the browser.",
                      {"Testing"}, {}, "web_call_input", start_responses()};
    routes.add(room, [&context, &calls](HttpExchange& exchange) {
        json answer = start_call(exchange, context, calls, true);
        exchange.response().set("Location", "/api/calls/" + answer["call_id"].get<std::string>());
        exchange.send_json(201, answer);
    });
}

}  // namespace vox::host
