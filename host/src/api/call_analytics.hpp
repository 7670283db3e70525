// Call analytics from stored call records (GET /api/analytics, docs/api.md):
// counts by status, success rate, mean duration, latency and sentiment, for
// all calls, per agent, and per UTC day of the window.
//
// Latency: only per-call figures are stored, so avg is the mean of the calls'
// e2e p50 weighted by their turn count (e2e.count), and p95 is the 95th
// percentile (nearest rank) of the calls' e2e p95. Both null when no call in
// the group answered a turn.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace vox::host {

struct AnalyticsWindow {
    std::chrono::system_clock::time_point from;  // inclusive
    std::chrono::system_clock::time_point to;    // exclusive
};

// `calls`: the records that started in the window. `agent_names`: agent id ->
// name (an agent missing from it is shown with a null name: deleted since).
// Returns {from, to, overall, agents[], days[]} (core/schemas/analytics.json).
nlohmann::json compute_analytics(const std::vector<nlohmann::json>& calls, const AnalyticsWindow& window,
                                 const std::map<std::string, std::string>& agent_names);

// The 95th percentile by nearest rank (the ceil(0.95 n)-th smallest); null when empty.
nlohmann::json nearest_rank_p95(std::vector<double> values);

}  // namespace vox::host
