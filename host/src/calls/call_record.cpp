#include "calls/call_record.hpp"

#include <vox/core/call/disconnection_reasons.hpp>
#include <vox/core/time.hpp>

#include <algorithm>
#include <cmath>

namespace vox::host {
namespace {

using nlohmann::json;

json percentiles_of(const json& figures) {
    json kept = json::object();
    if (!figures.is_object()) return kept;
    for (const char* name : {"p50", "p90", "p95", "p99", "min", "max"})
        if (auto it = figures.find(name); it != figures.end() && it->is_number() && it->get<double>() >= 0)
            kept[name] = *it;
    if (auto it = figures.find("count"); it != figures.end() && it->is_number_integer() && it->get<long long>() >= 0)
        kept["count"] = *it;
    return kept;
}

json latency_of(const json& latency) {
    json kept = json::object();
    if (!latency.is_object()) return kept;
    for (const char* stage : {"e2e", "stt", "llm", "tts"})
        if (auto it = latency.find(stage); it != latency.end() && it->is_object()) kept[stage] = percentiles_of(*it);
    return kept;
}

json transcript_of(const json& transcript) {
    json kept = json::array();
    if (!transcript.is_array()) return kept;
    for (const auto& entry : transcript) {
        if (!entry.is_object()) continue;
        auto speaker = entry.find("speaker");
        auto text = entry.find("text");
        if (speaker == entry.end() || text == entry.end() || !text->is_string()) continue;
        if (*speaker != "user" && *speaker != "agent") continue;
        json item = {{"speaker", *speaker}, {"text", *text}};
        for (const char* name : {"start", "end"})
            if (auto it = entry.find(name); it != entry.end() && it->is_number()) item[name] = *it;
        if (auto it = entry.find("timestamp"); it != entry.end() && it->is_string()) item["timestamp"] = *it;
        kept.push_back(std::move(item));
    }
    return kept;
}

double number_or(const json& object, const char* name, double fallback) {
    auto it = object.find(name);
    return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

}  // namespace

bool is_completed_reason(const std::string& reason) {
    return call::counts_as_completed(reason);
}

json new_web_call_record(const std::string& call_id, const std::string& agent_id, const json& variables, bool test) {
    std::string now = time::now_iso8601();
    return {{"id", call_id},
            {"agent_id", agent_id},
            {"phone_number", ""},
            {"direction", "web"},
            {"status", "in_progress"},
            {"started_at", now},
            {"ended_at", nullptr},
            {"duration", 0.0},
            {"sentiment", "unknown"},
            {"disconnection_reason", nullptr},
            {"latency", json::object()},
            {"transcript", json::array()},
            {"recording_url", nullptr},
            {"metadata", {{"variables", variables.is_object() ? variables : json::object()}, {"test", test}}},
            {"created_at", now}};
}

json completed_record(json record, const call::CallResult& result, const std::string& ended_at) {
    std::string reason = result.disconnection_reason.empty() ? "error_internal" : result.disconnection_reason;
    bool failed = result.failed || !is_completed_reason(reason);
    record["status"] = failed ? "failed" : "completed";
    record["ended_at"] = ended_at;
    record["duration"] = std::isfinite(result.duration_seconds) ? std::max(0.0, result.duration_seconds) : 0.0;
    record["disconnection_reason"] = reason;
    record["transcript"] = transcript_of(result.transcript);
    record["latency"] = latency_of(result.latency);
    if (!result.provider_switches.empty()) record["provider_switches"] = result.provider_switches;
    if (!result.flow_path.empty()) {
        record["flow_path"] = result.flow_path;
        record["collected_variables"] = result.collected_variables;
    }
    return record;
}

json ended_without_caller(json record, const std::string& reason, const std::string& ended_at) {
    record["status"] = is_completed_reason(reason) ? "completed" : "failed";
    record["ended_at"] = ended_at;
    record["duration"] = 0.0;
    record["disconnection_reason"] = reason;
    return record;
}

json recovered_record(json record, const std::string& ended_at) {
    record["status"] = "failed";
    record["ended_at"] = ended_at;
    record["disconnection_reason"] = "server_restart";
    return record;
}

json agent_with_call_counted(json agent, bool completed, std::optional<double> mean_e2e_ms) {
    json stats = agent.value("stats", json::object());
    if (!stats.is_object()) stats = json::object();
    double handled = std::max(0.0, number_or(stats, "calls_handled", 0));
    double rate = std::clamp(number_or(stats, "success_rate", 0), 0.0, 1.0);
    double average = std::max(0.0, number_or(stats, "avg_latency", 0));
    // Older documents lack the count behind avg_latency: every handled call then counts.
    double latency_calls = number_or(stats, "latency_calls", average > 0 ? handled : 0.0);

    double completed_before = std::round(rate * handled);
    handled += 1;
    stats["calls_handled"] = static_cast<long long>(handled);
    stats["success_rate"] = (completed_before + (completed ? 1 : 0)) / handled;
    if (mean_e2e_ms && std::isfinite(*mean_e2e_ms) && *mean_e2e_ms >= 0) {
        latency_calls += 1;
        average += (*mean_e2e_ms - average) / latency_calls;
    }
    stats["avg_latency"] = average;
    stats["latency_calls"] = static_cast<long long>(latency_calls);
    agent["stats"] = std::move(stats);
    return agent;
}

}  // namespace vox::host
