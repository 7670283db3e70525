#include "api/call_routes.hpp"

#include "api/path_ids.hpp"
#include "api/query.hpp"
#include "api/request_body.hpp"
#include "calls/call_recording.hpp"
#include "calls/recording_download.hpp"
#include "http/http_exchange.hpp"
#include "http/problem_error.hpp"

#include <vox/core/ids.hpp>
#include <vox/core/time.hpp>

namespace vox::host {
namespace {

using nlohmann::json;

std::optional<std::string> enum_parameter(const std::map<std::string, std::string>& query, const std::string& name,
                                          std::initializer_list<const char*> allowed) {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    for (const char* value : allowed)
        if (it->second == value) return it->second;
    std::string list;
    for (const char* value : allowed) list += (list.empty() ? "" : ", ") + std::string(value);
    throw bad_request("invalid_parameter", name + " must be one of " + list + " (got '" + it->second + "')");
}

std::optional<std::string> time_parameter(const std::map<std::string, std::string>& query, const std::string& name) {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    auto when = time::parse_iso8601(it->second);
    if (!when)
        throw bad_request("invalid_parameter",
                          name + " must be an ISO-8601 time such as 2026-11-24T09:00:00Z (got '" + it->second + "')");
    return time::to_iso8601(*when);  // normalised to UTC so that text comparison is time comparison
}

// Timestamps in the record are stored normalised to UTC milliseconds.
std::string normalised_time(const json& input, const char* field, const std::string& fallback) {
    if (!input.contains(field)) return fallback;
    auto when = time::parse_iso8601(input[field].get<std::string>());
    if (!when)
        throw validation_failed(json::array(
            {{{"field", std::string("/") + field}, {"message", "not an ISO-8601 time such as 2026-11-24T09:00:00Z"}}}));
    return time::to_iso8601(*when);
}

}  // namespace

void add_call_routes(ApiRoutes& routes, ApiContext& context, std::filesystem::path recordings_dir) {
    const std::vector<std::string> tags{"Calls"};

    auto list_parameters = paging_parameters();
    list_parameters.push_back(query_parameter("agent_id", "Only this agent's calls."));
    list_parameters.push_back(query_parameter("status", "completed, failed or in_progress.",
                                              {{"enum", {"completed", "failed", "in_progress"}}}));
    list_parameters.push_back(
        query_parameter("direction", "inbound, outbound or web.", {{"enum", {"inbound", "outbound", "web"}}}));
    list_parameters.push_back(query_parameter("started_after", "Calls that started at or after this time (ISO-8601).",
                                              {{"type", "string"}, {"format", "date-time"}}));
    list_parameters.push_back(query_parameter("started_before", "Calls that started before this time (ISO-8601).",
                                              {{"type", "string"}, {"format", "date-time"}}));
    ApiOperation list{"get",
                      "/api/calls",
                      "listCalls",
                      "List calls, newest first",
                      "A JSON array; X-Next-Cursor and Link name the next page.",
                      tags,
                      list_parameters,
                      std::nullopt,
                      {{200, json_response("The calls", "call", true)}, {400, problem_response("A bad filter")}}};
    routes.add(list, [&context](HttpExchange& exchange) {
        auto query = query_parameters(exchange);
        reject_unknown_parameters(
            query, {"limit", "cursor", "agent_id", "status", "direction", "started_after", "started_before"});
        storage::CallFilter filter;
        if (auto it = query.find("agent_id"); it != query.end()) {
            if (!is_id_of("agent", it->second))
                throw bad_request("invalid_parameter", "agent_id must be an agent id (agent_...)");
            filter.agent_id = it->second;
        }
        filter.status = enum_parameter(query, "status", {"completed", "failed", "in_progress"});
        filter.direction = enum_parameter(query, "direction", {"inbound", "outbound", "web"});
        filter.started_after = time_parameter(query, "started_after");
        filter.started_before = time_parameter(query, "started_before");
        auto page = context.store.calls->list(filter, page_request(query));
        set_next_page_headers(exchange, page.next_cursor, query);
        exchange.send_json(200, json(page.items));
    });

    ApiOperation get{"get",
                     "/api/calls/{call_id}",
                     "getCall",
                     "Get a call with its transcript and latency",
                     "",
                     tags,
                     {path_parameter("call_id", "The call's id (call_...).")},
                     std::nullopt,
                     {{200, json_response("The call", "call")}, {404, problem_response("No such call")}}};
    routes.add(get, [&context](HttpExchange& exchange) {
        std::string id = path_id(exchange, "call_id", "call", "call");
        auto call = context.store.calls->get(id);
        if (!call) throw not_found("call", id);
        exchange.send_json(200, *call);
    });

    ApiOperation recording{
        "get",
        "/api/calls/{call_id}/recording",
        "getCallRecording",
        "Download a call's recording",
        "A stereo PCM16 WAV at the call's sample rate (left: the caller, right: the agent), when the call was "
        "recorded (its recording_url is set). Range requests are answered with 206 (one range).",
        tags,
        {path_parameter("call_id", "The call's id (call_...).")},
        std::nullopt,
        {{200,
          ApiResponse{"The recording", std::nullopt, {{"type", "string"}, {"format", "binary"}}, false, "audio/wav"}},
         {206, ApiResponse{"A byte range of the recording (Range)",
                           std::nullopt,
                           {{"type", "string"}, {"format", "binary"}},
                           false,
                           "audio/wav"}},
         {404, problem_response("No such call (call_not_found), or it has no recording (recording_not_found)")},
         {416, problem_response("The Range starts beyond the end (range_not_satisfiable)")}}};
    routes.add(recording, [&context, recordings_dir](HttpExchange& exchange) {
        std::string id = exchange.param("call_id");
        auto call = is_id_of("call", id) ? context.store.calls->get(id) : std::nullopt;
        if (!call)
            throw ProblemError(Problem{404, "call_not_found", "Not found",
                                       "call '" + id.substr(0, 80) + "' does not exist", json::object()});
        auto no_recording = [&id] {
            return ProblemError(Problem{404, "recording_not_found", "Not found",
                                        "call " + id +
                                            " has no recording (it is live, was not recorded, or its "
                                            "file was removed)",
                                        json::object()});
        };
        // Named by the record only once the file is complete; a live call's file is still being written.
        if (!call->value("recording_url", json(nullptr)).is_string()) throw no_recording();
        if (!send_recording_file(exchange, recording_path(recordings_dir, id))) throw no_recording();
    });

    ApiOperation create{"post",
                        "/api/calls",
                        "logCall",
                        "Log a call",
                        "Records a call that happened elsewhere (an import, another system). The agent must exist.",
                        tags,
                        {},
                        "call_input",
                        {{201, json_response("The call record", "call")}, {422, problem_response("Invalid input")}}};
    routes.add(create, [&context](HttpExchange& exchange) {
        json input = read_json_body(exchange, context.max_body_bytes);
        validate_against("call_input", input);
        std::string agent_id = input["agent_id"];
        if (!context.store.agents->get(agent_id))
            throw validation_failed(
                json::array({{{"field", "/agent_id"}, {"message", "agent " + agent_id + " does not exist"}}}));
        std::string now = time::now_iso8601();
        json call = {
            {"id", new_id("call")},
            {"agent_id", agent_id},
            {"phone_number", input.value("phone_number", "")},
            {"direction", input["direction"]},
            {"status", input["status"]},
            {"started_at", normalised_time(input, "started_at", now)},
            {"ended_at", input.contains("ended_at") ? json(normalised_time(input, "ended_at", now)) : json(nullptr)},
            {"duration", input.value("duration", 0.0)},
            {"sentiment", input.value("sentiment", "unknown")},
            {"disconnection_reason",
             input.contains("disconnection_reason") ? input["disconnection_reason"] : json(nullptr)},
            {"latency", input.value("latency", json::object())},
            {"transcript", input.value("transcript", json::array())},
            {"recording_url", input.contains("recording_url") ? input["recording_url"] : json(nullptr)},
            {"metadata", input.value("metadata", json::object())},
            {"created_at", now}};
        context.store.calls->create(call);
        exchange.response().set("Location", "/api/calls/" + call["id"].get<std::string>());
        exchange.send_json(201, call);
    });
}

}  // namespace vox::host
