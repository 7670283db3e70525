// The call records of live calls: created when a web call is started,
// completed from the pipeline's CallResult (or ended without a caller), and
// failed after a crash; and the agent statistics a finished call updates.
// Pure functions on the stored JSON documents (schema core/schemas/call.json).
#pragma once

#include <vox/core/call/call_session.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace vox::host {

// docs/protocol.md section 6: user_hangup, agent_hangup, api_hangup,
// inactivity and max_duration_reached end a call as completed; the rest as failed.
bool is_completed_reason(const std::string& reason);

// A web call that has just been started: status in_progress, direction web,
// metadata {"variables": ..., "test": ...}.
nlohmann::json new_web_call_record(const std::string& call_id, const std::string& agent_id,
                                   const nlohmann::json& variables, bool test);

// `record` ended with the pipeline's result at `ended_at` (ISO-8601). The
// transcript and latency are kept to the fields the call schema names.
nlohmann::json completed_record(nlohmann::json record, const call::CallResult& result, const std::string& ended_at);

// `record` ended before any caller joined (no_connection, api_hangup, server_restart).
nlohmann::json ended_without_caller(nlohmann::json record, const std::string& reason, const std::string& ended_at);

// A call found in progress when voxd starts: it died with the previous process.
nlohmann::json recovered_record(nlohmann::json record, const std::string& ended_at);

// `agent` with one more call counted in its stats: calls_handled + 1,
// success_rate = completed / handled, and avg_latency the running mean of the
// calls that answered at least one turn (`mean_e2e_ms`, absent when none
// was), whose count is kept in stats.latency_calls.
nlohmann::json agent_with_call_counted(nlohmann::json agent, bool completed, std::optional<double> mean_e2e_ms);

}  // namespace vox::host
