// What voxd knows about one call between POST /api/calls/start and its end:
// the agent and providers it was started with, its access token, the
// caller's connection once they join, and the pipeline session. Fields are
// guarded by the CallManager's lock.
#pragma once

#include "calls/call_providers.hpp"
#include "calls/call_recording.hpp"
#include "calls/deadline_timer.hpp"
#include "calls/transport_call.hpp"
#include "providers/provider_catalog.hpp"

#include <vox/core/call/call_session.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace vox::host {

struct ActiveCall {
    enum class State {
        waiting,  // started; nobody has connected with the token yet
        joining,  // the caller connected; the session is being opened
        live,     // the session runs
        ending,   // being concluded (record, call_ended, close)
    };

    std::string call_id;
    std::string agent_id;
    std::string access_token;
    nlohmann::json agent;      // as it was when the call started
    nlohmann::json variables;  // {{name}} substitutions
    nlohmann::json flow;       // the agent's flow as it was when the call started (null: none)
    nlohmann::json record;     // the stored record (in_progress)
    std::uint32_t sample_rate = 16000;
    ResolvedProviders providers;
    ProviderGenerationPtr generation;  // what `providers` point into
    std::chrono::steady_clock::time_point created_at = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point started_at{};  // the session's start (t_ms 0)

    State state = State::waiting;
    DeadlineTimer::Id expiry = 0;
    std::shared_ptr<TransportCall> transport;
    std::shared_ptr<call::CallSession> session;
    std::shared_ptr<CallRecording> recording;  // from the session's opening, when calls are recorded
    // An end asked for while the session was being opened.
    std::optional<std::string> pending_end;
    bool finished = false;  // concluded: the record is stored
};

}  // namespace vox::host
