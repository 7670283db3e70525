// voxd's call engine: starts web calls (record, access token, the transport
// told to expect the caller), opens a pipeline session when the caller
// connects, routes the transport's audio, DTMF and ends to the session, fans
// the session's events out to the caller's client and the event sockets, and
// at the end stores the record and the agent's statistics before sending
// call_ended (docs/protocol.md).
//
// Ends without a session: no_connection when the token expires unused,
// api_hangup (POST /api/calls/end), server_restart at shutdown; and at start
// calls left in_progress by a crash are failed with server_restart.
//
// Thread-safe. Transport callbacks arrive on the transport's threads, session
// reports on each call's strand, API calls on request threads.
#pragma once

#include "calls/active_call.hpp"
#include "calls/call_pipeline.hpp"
#include "calls/deadline_timer.hpp"
#include "calls/event_hub.hpp"
#include "calls/transport_binding.hpp"
#include "config/voxd_settings.hpp"
#include "providers/provider_catalog.hpp"

#include <vox/core/plugin_registry.hpp>
#include <vox/core/storage/store.hpp>

#include <Poco/Net/WebSocket.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace vox::host {

class PostCallAnalyzer;

inline constexpr const char* kWebCallTransport = "transport.websocket";

struct CallManagerOptions {
    CallSettings calls;  // vad_provider comes from the provider generation instead
    // How long POST /api/calls/end waits for a live call's record to be stored.
    std::chrono::milliseconds end_wait{10'000};
};

class CallManager final : public TransportEvents {
public:
    // Each call takes the providers' current generation when it starts and
    // keeps it until its session is gone (see ProviderCatalog).
    CallManager(storage::Store& store, const ProviderCatalog& providers, CallManagerOptions options,
                std::unique_ptr<CallPipeline> pipeline);
    ~CallManager() override;  // shutdown()
    CallManager(const CallManager&) = delete;
    CallManager& operator=(const CallManager&) = delete;

    // Fails the calls a previous process left in_progress (server_restart).
    // Returns how many. Call once, before taking calls.
    std::size_t recover_interrupted_calls();

    // Starts transport.websocket with `settings` when it is loaded. False (and
    // logged) when it is not loaded or refuses to start: web calls are then refused.
    bool start_transport(const nlohmann::json& settings);
    bool has_transport() const { return transport_ && transport_->started(); }

    // Ended calls whose caller spoke go to `analyzer` for the LLM's analysis
    // (calls.analysis = auto). Set before taking calls; it must outlive them.
    void set_post_call_analyzer(PostCallAnalyzer* analyzer) { analyzer_ = analyzer; }

    struct StartRequest {
        std::string agent_id;
        nlohmann::json variables = nlohmann::json::object();
        std::uint32_t sample_rate = 16000;
        bool test = false;  // metadata.test (a dashboard test room)
    };
    struct StartedCall {
        std::string call_id;
        std::string agent_id;
        std::string access_token;
        std::string expires_at;  // ISO-8601
        std::string socket_url;
        std::uint32_t sample_rate = 16000;
    };
    // Throws CallRefusal (agent_not_found, agent_inactive, transport_unavailable,
    // provider_unavailable, too_many_calls).
    StartedCall start_web_call(const StartRequest& request);

    // Ends a live call (api_hangup) and returns its stored record. Throws
    // CallRefusal (call_not_found, call_not_active).
    nlohmann::json end_call(const std::string& call_id);

    // Whether `token` is the access token of `call_id`, a call still live here.
    bool is_access_token(const std::string& call_id, const std::string& token) const;

    // An upgraded event socket for `call_id`: snapshot, live events, close
    // (or snapshot and close when the call is not live here).
    void watch(const std::string& call_id, std::unique_ptr<Poco::Net::WebSocket> socket);

    // Ends every call with server_restart, waits up to `timeout` for their
    // records, stops the transport, the pipeline and the event sockets. Idempotent.
    void shutdown(std::chrono::milliseconds timeout);

    std::size_t active_calls() const;
    EventHub& events() { return hub_; }

    // TransportEvents (the transport's threads).
    void on_call_started(vox_transport_call* call, const nlohmann::json& details) override;
    void on_audio(vox_transport_call* call, const vox_audio& audio) override;
    void on_dtmf(vox_transport_call* call, char digit) override;
    void on_played(vox_transport_call* call, std::uint64_t context, std::uint32_t played_ms) override;
    void on_call_ended(vox_transport_call* call, const std::string& reason) override;

private:
    std::shared_ptr<ActiveCall> find_by_transport(vox_transport_call* call) const;
    void expire(const std::string& call_id);
    void open_session(const std::shared_ptr<ActiveCall>& call);
    void on_session_event(const std::shared_ptr<ActiveCall>& call, const nlohmann::json& event);
    void on_session_ended(const std::shared_ptr<ActiveCall>& call, const call::CallResult& result);
    // Ends a call that has no session (nobody joined, or its session could not open).
    void end_without_session(const std::shared_ptr<ActiveCall>& call, const std::string& reason);
    // Stores `record`, counts the call in the agent's stats (when `counted`),
    // sends call_ended, closes the caller's connection and forgets the call.
    void conclude(const std::shared_ptr<ActiveCall>& call, nlohmann::json record, bool counted, std::int64_t t_ms,
                  std::int64_t duration_ms, std::optional<double> mean_e2e_ms);
    bool wait_finished(const std::shared_ptr<ActiveCall>& call, std::chrono::milliseconds timeout);

    storage::Store& store_;
    const ProviderCatalog& providers_;
    const CallManagerOptions options_;
    std::unique_ptr<CallPipeline> pipeline_;
    std::unique_ptr<TransportBinding> transport_;
    PostCallAnalyzer* analyzer_ = nullptr;
    EventHub hub_;
    DeadlineTimer timer_;

    mutable std::mutex mutex_;
    std::condition_variable finished_;
    std::map<std::string, std::shared_ptr<ActiveCall>> calls_;
    std::map<vox_transport_call*, std::shared_ptr<ActiveCall>> by_transport_;
    bool shutting_down_ = false;
    bool shut_down_ = false;
};

}  // namespace vox::host
