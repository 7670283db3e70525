#include "api/call_analytics.hpp"

#include <vox/core/time.hpp>

#include <algorithm>
#include <cmath>

namespace vox::host {
namespace {

using nlohmann::json;

// Running totals of one group of calls (everything, an agent, a day).
struct Tally {
    std::size_t calls = 0, completed = 0, failed = 0, in_progress = 0;
    double duration_sum = 0;
    std::size_t durations = 0;
    double weighted_p50_sum = 0;  // p50 x turns
    double turns = 0;
    std::vector<double> p95s;
    std::map<std::string, std::size_t> sentiment{{"positive", 0}, {"neutral", 0}, {"negative", 0}, {"unknown", 0}};

    void add(const json& call) {
        ++calls;
        std::string status = call.value("status", "");
        if (status == "completed")
            ++completed;
        else if (status == "failed")
            ++failed;
        else if (status == "in_progress")
            ++in_progress;
        // A live call's duration is not final yet (a record starts at 0).
        auto duration = call.find("duration");
        if (status != "in_progress" && duration != call.end() && duration->is_number()) {
            duration_sum += duration->get<double>();
            ++durations;
        }
        std::string feeling = call.value("sentiment", "unknown");
        ++sentiment[sentiment.count(feeling) ? feeling : "unknown"];
        const json e2e = call.value("latency", json::object()).value("e2e", json::object());
        double count = e2e.value("count", 0.0);
        if (count > 0 && e2e.contains("p50") && e2e["p50"].is_number()) {
            weighted_p50_sum += e2e["p50"].get<double>() * count;
            turns += count;
        }
        if (count > 0 && e2e.contains("p95") && e2e["p95"].is_number()) p95s.push_back(e2e["p95"].get<double>());
    }

    json average_latency() const { return turns > 0 ? json(weighted_p50_sum / turns) : json(nullptr); }

    json summary() const {
        std::size_t finished = completed + failed;
        return {{"calls", calls},
                {"completed", completed},
                {"failed", failed},
                {"in_progress", in_progress},
                {"success_rate",
                 finished > 0 ? json(static_cast<double>(completed) / static_cast<double>(finished)) : json(nullptr)},
                {"avg_duration_s", durations > 0 ? json(duration_sum / static_cast<double>(durations)) : json(nullptr)},
                {"latency_ms", {{"avg", average_latency()}, {"p95", nearest_rank_p95(p95s)}}},
                {"sentiment", sentiment}};
    }

    json day(const std::string& date) const {
        return {{"date", date},
                {"calls", calls},
                {"completed", completed},
                {"failed", failed},
                {"avg_latency_ms", average_latency()},
                {"p95_latency_ms", nearest_rank_p95(p95s)}};
    }
};

std::string utc_date(std::chrono::system_clock::time_point when) { return time::to_iso8601(when).substr(0, 10); }

}  // namespace

json nearest_rank_p95(std::vector<double> values) {
    if (values.empty()) return nullptr;
    std::sort(values.begin(), values.end());
    auto rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(values.size())));
    return values[std::max<std::size_t>(rank, 1) - 1];
}

json compute_analytics(const std::vector<json>& calls, const AnalyticsWindow& window,
                       const std::map<std::string, std::string>& agent_names) {
    Tally overall;
    std::map<std::string, Tally> by_agent;
    std::map<std::string, Tally> by_day;
    // Every UTC day the window touches, so the chart has no gaps.
    for (auto day = window.from; day < window.to; day += std::chrono::hours(24)) by_day[utc_date(day)];
    by_day[utc_date(window.to - std::chrono::milliseconds(1))];

    for (const auto& call : calls) {
        overall.add(call);
        by_agent[call.value("agent_id", "")].add(call);
        // started_at is stored normalised to UTC ("YYYY-MM-DDT...Z"): its date is the UTC day.
        std::string started = call.value("started_at", "");
        if (started.size() >= 10) by_day[started.substr(0, 10)].add(call);
    }

    json agents = json::array();
    for (const auto& [agent_id, tally] : by_agent) {
        json entry = {{"agent_id", agent_id}};
        auto name = agent_names.find(agent_id);
        entry["agent_name"] = name == agent_names.end() ? json(nullptr) : json(name->second);
        entry.update(tally.summary());
        agents.push_back(std::move(entry));
    }
    // Busiest first: what a dashboard lists.
    std::stable_sort(agents.begin(), agents.end(), [](const json& a, const json& b) {
        return a["calls"].get<std::size_t>() > b["calls"].get<std::size_t>();
    });
    json days = json::array();
    for (const auto& [date, tally] : by_day) days.push_back(tally.day(date));
    return {{"from", time::to_iso8601(window.from)},
            {"to", time::to_iso8601(window.to)},
            {"overall", overall.summary()},
            {"agents", agents},
            {"days", days}};
}

}  // namespace vox::host
