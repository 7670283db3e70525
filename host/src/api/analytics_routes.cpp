#include "api/analytics_routes.hpp"

#include "api/call_analytics.hpp"
#include "api/query.hpp"
#include "http/http_exchange.hpp"
#include "http/problem_error.hpp"

#include <vox/core/id_format.hpp>
#include <vox/core/time.hpp>

namespace vox::host {
namespace {

using nlohmann::json;
using Clock = std::chrono::system_clock;

constexpr auto kDefaultWindow = std::chrono::hours(24 * 30);
constexpr auto kLongestWindow = std::chrono::hours(24 * 366);
constexpr std::size_t kBatch = 500;

ProblemError invalid_query(const std::string& detail) { return bad_request("invalid_query", detail); }

std::optional<Clock::time_point> time_of(const std::map<std::string, std::string>& query, const std::string& name) {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    auto when = time::parse_iso8601(it->second);
    if (!when)
        throw invalid_query(name + " must be an ISO-8601 time or date such as 2026-11-24T09:00:00Z (got '" +
                            it->second.substr(0, 80) + "')");
    return std::chrono::time_point_cast<std::chrono::milliseconds>(*when);
}

// The window asked for: [started_after, started_before), the last 30 days by default.
AnalyticsWindow window_of(const std::map<std::string, std::string>& query) {
    auto after = time_of(query, "started_after");
    auto before = time_of(query, "started_before");
    AnalyticsWindow window;
    Clock::time_point now = std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now());
    window.to = before.value_or(after ? *after + kDefaultWindow : now);
    window.from = after.value_or(window.to - kDefaultWindow);
    if (window.from >= window.to) throw invalid_query("started_after must be before started_before");
    if (window.to - window.from > kLongestWindow) throw invalid_query("the window may span at most 366 days");
    return window;
}

// Every call that started in the window, page after page.
std::vector<json> calls_in(storage::CallRepository& calls, const storage::CallFilter& filter) {
    std::vector<json> all;
    storage::PageRequest page{kBatch, std::nullopt};
    while (true) {
        auto batch = calls.list(filter, page);
        for (auto& call : batch.items) all.push_back(std::move(call));
        if (!batch.next_cursor) return all;
        page.cursor = batch.next_cursor;
    }
}

}  // namespace

void add_analytics_routes(ApiRoutes& routes, ApiContext& context) {
    ApiOperation operation{
        "get",
        "/api/analytics",
        "getAnalytics",
        "Call statistics over a time window",
        "Computed from the stored call records that started in [started_after, started_before) (default: the last "
        "30 days; at most 366 days): counts by status, success_rate = completed / (completed + failed), the mean "
        "duration, latency_ms.avg = the mean of the calls' end-to-end p50 weighted by their turn count, "
        "latency_ms.p95 = the 95th percentile (nearest rank) of the calls' end-to-end p95, and the record's "
        "sentiment; overall, per agent (busiest first) and per UTC day (every day of the window, zeros included). "
        "Latency figures are null when no call in the group answered a turn.",
        {"Calls"},
        {query_parameter("agent_id", "Only this agent's calls (agent_...)."),
         query_parameter("started_after", "Start of the window, inclusive (ISO-8601 time or date).",
                         {{"type", "string"}, {"format", "date-time"}}),
         query_parameter("started_before", "End of the window, exclusive (ISO-8601 time or date).",
                         {{"type", "string"}, {"format", "date-time"}})},
        std::nullopt,
        {{200, json_response("The statistics", "analytics")},
         {400, problem_response("A bad parameter or window (invalid_query)")}}};
    routes.add(operation, [&context](HttpExchange& exchange) {
        auto query = query_parameters(exchange);
        for (const auto& [name, value] : query)
            if (name != "agent_id" && name != "started_after" && name != "started_before")
                throw invalid_query("unknown query parameter '" + name.substr(0, 80) +
                                    "' (allowed: agent_id, started_after, started_before)");
        storage::CallFilter filter;
        if (auto it = query.find("agent_id"); it != query.end()) {
            if (!is_id_of("agent", it->second)) throw invalid_query("agent_id must be an agent id (agent_...)");
            filter.agent_id = it->second;
        }
        AnalyticsWindow window = window_of(query);
        filter.started_after = time::to_iso8601(window.from);
        filter.started_before = time::to_iso8601(window.to);

        std::vector<json> calls = calls_in(*context.store.calls, filter);
        std::map<std::string, std::string> names;
        for (const auto& call : calls) {
            std::string agent_id = call.value("agent_id", "");
            if (names.count(agent_id)) continue;
            if (auto agent = context.store.agents->get(agent_id)) names[agent_id] = agent->value("name", "");
        }
        exchange.send_json(200, compute_analytics(calls, window, names));
    });
}

}  // namespace vox::host
