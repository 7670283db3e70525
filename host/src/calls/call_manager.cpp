#include "calls/call_manager.hpp"

#include "calls/access_token.hpp"
#include "calls/call_analysis.hpp"
#include "calls/call_observer.hpp"
#include "calls/call_record.hpp"
#include "calls/call_refusal.hpp"
#include "calls/post_call_analyzer.hpp"
#include "calls/recording_maintenance.hpp"

#include <vox/core/ids.hpp>
#include <vox/core/log.hpp>
#include <vox/core/providers/provider_error.hpp>
#include <vox/core/time.hpp>

#include <cmath>

namespace vox::host {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

std::int64_t ms_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// The reason a transport gave for the end, as a disconnection reason.
std::string caller_end_reason(const std::string& reason) {
    if (reason == "error_transport" || reason == "user_hangup") return reason;
    return reason.find("error") != std::string::npos ? "error_transport" : "user_hangup";
}

// A provider that refused to open its session, as a disconnection reason.
std::string provider_failure_reason(const std::string& provider_key) {
    for (const char* kind : {"stt", "llm", "tts"})
        if (provider_key.rfind(std::string(kind) + ".", 0) == 0) return std::string("error_") + kind;
    return "error_internal";
}

}  // namespace

CallManager::CallManager(storage::Store& store, const ProviderCatalog& providers, CallManagerOptions options,
                         std::unique_ptr<CallPipeline> pipeline)
    : store_(store), providers_(providers), options_(std::move(options)), pipeline_(std::move(pipeline)) {}

CallManager::~CallManager() { shutdown(std::chrono::milliseconds(0)); }

std::size_t CallManager::recover_interrupted_calls() {
    std::size_t recovered = 0;
    std::string now = time::now_iso8601();
    for (const auto& call : store_.calls->in_progress()) {
        json record = recovered_record(call, now);
        // What was recorded up to the crash is kept: its header is mended and the record names it.
        if (options_.calls.recording)
            if (auto url = recover_recording(options_.calls.recordings_dir, record.value("id", "")))
                record["recording_url"] = *url;
        if (store_.calls->replace(record)) ++recovered;
    }
    if (recovered > 0)
        vox::log::warn("calls", "calls left in progress by the previous run marked failed (server_restart)",
                       {{"calls", recovered}});
    return recovered;
}

bool CallManager::start_transport(const json& settings) {
    auto generation = providers_.current();
    const Provider* provider = generation ? generation->plugins->find(kWebCallTransport) : nullptr;
    if (provider == nullptr) {
        vox::log::info("calls", "no web-call transport loaded: POST /api/calls/start answers 503",
                       {{"provider", kWebCallTransport}});
        return false;
    }
    auto binding = std::make_unique<TransportBinding>(*provider, generation->plugins->keep_plugin(*provider), settings);
    try {
        binding->start(*this);
    } catch (const ProviderError& error) {
        vox::log::error("calls", "the web-call transport did not start: web calls are refused",
                        {{"provider", kWebCallTransport}, {"error", error.what()}});
        return false;
    }
    transport_ = std::move(binding);
    vox::log::info("calls", "web calls accepted", {{"provider", kWebCallTransport}, {"url", transport_->base_url()}});
    return true;
}

CallManager::StartedCall CallManager::start_web_call(const StartRequest& request) {
    auto agent = store_.agents->get(request.agent_id);
    if (!agent)
        throw CallRefusal(CallRefusalKind::agent_not_found, "agent " + request.agent_id + " does not exist",
                          {{"agent_id", request.agent_id}});
    if (agent->value("status", "active") != "active")
        throw CallRefusal(CallRefusalKind::agent_inactive,
                          "agent " + request.agent_id + " is inactive; set its status to active to take calls",
                          {{"agent_id", request.agent_id}});
    if (!has_transport())
        throw CallRefusal(CallRefusalKind::transport_unavailable,
                          std::string("no web-call transport is running (") + kWebCallTransport + " is not loaded)",
                          {{"provider", kWebCallTransport}});
    std::string base_url = transport_->base_url();
    if (base_url.empty())
        throw CallRefusal(CallRefusalKind::transport_unavailable,
                          std::string(kWebCallTransport) + " does not say where callers connect (no listen_url)",
                          {{"provider", kWebCallTransport}});
    json flow = store_.agents->get_flow(request.agent_id).value_or(json());
    ProviderGenerationPtr generation = providers_.current();
    auto providers =
        resolve_call_providers(*agent, flow, *generation->plugins, generation->agents, generation->vad_provider);

    auto call = std::make_shared<ActiveCall>();
    call->call_id = new_id("call");
    call->agent_id = request.agent_id;
    call->access_token = new_access_token();
    call->agent = *agent;
    call->variables = request.variables;
    call->flow = std::move(flow);
    call->sample_rate = request.sample_rate;
    call->providers = providers;
    call->generation = std::move(generation);
    call->record = new_web_call_record(call->call_id, call->agent_id, request.variables, request.test);
    {
        std::lock_guard lock(mutex_);
        if (shutting_down_)
            throw CallRefusal(CallRefusalKind::transport_unavailable, "voxd is stopping", json::object());
        if (calls_.size() >= options_.calls.max_concurrent_calls)
            throw CallRefusal(
                CallRefusalKind::too_many_calls,
                "this server already has " + std::to_string(calls_.size()) + " live calls (calls.max_concurrent_calls)",
                {{"max_concurrent_calls", options_.calls.max_concurrent_calls}});
        calls_.emplace(call->call_id, call);  // holds the slot
    }
    try {
        store_.calls->create(call->record);
    } catch (...) {
        std::lock_guard lock(mutex_);
        calls_.erase(call->call_id);
        finished_.notify_all();
        throw;
    }

    auto ttl = options_.calls.token_ttl;
    std::string expires_at = time::to_iso8601(std::chrono::system_clock::now() + ttl);
    {
        std::lock_guard lock(mutex_);
        call->expiry = timer_.schedule(ttl, [this, id = call->call_id] { expire(id); });
    }
    try {
        transport_->dial({{"call_id", call->call_id},
                          {"access_token", call->access_token},
                          {"expires_in_ms", ttl.count()},
                          {"sample_rate", call->sample_rate}});
    } catch (const ProviderError& error) {
        {
            std::lock_guard lock(mutex_);
            timer_.cancel(call->expiry);
            call->state = ActiveCall::State::ending;
        }
        end_without_session(call, "error_transport");
        throw CallRefusal(CallRefusalKind::transport_unavailable,
                          std::string("the transport refused the call: ") + error.what(),
                          {{"provider", kWebCallTransport}});
    }
    vox::log::info("calls", "web call started",
                   {{"call_id", call->call_id}, {"agent_id", call->agent_id}, {"test", request.test}});
    return StartedCall{call->call_id,
                       call->agent_id,
                       call->access_token,
                       expires_at,
                       base_url + "/calls/" + call->call_id + "?access_token=" + call->access_token,
                       call->sample_rate};
}

json CallManager::end_call(const std::string& call_id) {
    std::shared_ptr<ActiveCall> call;
    std::shared_ptr<call::CallSession> session;
    bool without_session = false;
    {
        std::lock_guard lock(mutex_);
        if (auto it = calls_.find(call_id); it != calls_.end()) {
            call = it->second;
            switch (call->state) {
            case ActiveCall::State::waiting:
                timer_.cancel(call->expiry);
                call->state = ActiveCall::State::ending;
                without_session = true;
                break;
            case ActiveCall::State::joining:
                if (!call->pending_end) call->pending_end = "api_hangup";
                break;
            case ActiveCall::State::live: session = call->session; break;
            case ActiveCall::State::ending: break;
            }
        }
    }
    if (!call) {
        auto record = store_.calls->get(call_id);
        if (!record) throw CallRefusal(CallRefusalKind::call_not_found, "call " + call_id + " does not exist");
        std::string status = record->value("status", "");
        throw CallRefusal(CallRefusalKind::call_not_active,
                          status == "in_progress" ? "call " + call_id + " is not live on this server"
                                                  : "call " + call_id + " already ended (" + status + ")",
                          {{"call_status", status}});
    }
    if (without_session) end_without_session(call, "api_hangup");
    if (session) session->end("api_hangup");
    if (!wait_finished(call, options_.end_wait))
        vox::log::warn("calls", "a call did not end in time after POST /api/calls/end", {{"call_id", call_id}});
    auto record = store_.calls->get(call_id);
    if (!record) throw CallRefusal(CallRefusalKind::call_not_found, "call " + call_id + " does not exist");
    return *record;
}

bool CallManager::is_access_token(const std::string& call_id, const std::string& token) const {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(call_id);
    return it != calls_.end() && !token.empty() && same_token(it->second->access_token, token);
}

void CallManager::watch(const std::string& call_id, std::unique_ptr<Poco::Net::WebSocket> socket) {
    auto watcher = hub_.adopt(std::move(socket));
    bool live = false;
    json transcript_so_far = json::array();
    {
        // Under the lock that conclude() takes to forget the call: either the
        // watcher is subscribed before the call's end closes its watchers, or
        // the call is already stored as ended and the snapshot says so.
        std::lock_guard lock(mutex_);
        auto it = calls_.find(call_id);
        live = it != calls_.end() && !it->second->finished;
        if (live) transcript_so_far = hub_.subscribe(call_id, watcher);
    }
    std::optional<json> record;
    try {
        record = store_.calls->get(call_id);
    } catch (const std::exception& error) {
        vox::log::error("events", "cannot read the call for its snapshot",
                        {{"call_id", call_id}, {"error", error.what()}});
    }
    bool ended = !live || !record || record->value("status", "") != "in_progress";
    // A live call's stored record has no transcript yet: the lines said so far
    // (the rest follow as events) let a page opened mid-call show the whole conversation.
    if (!ended) (*record)["transcript"] = std::move(transcript_so_far);
    json snapshot = {{"type", "snapshot"}, {"call", record ? *record : json(nullptr)}};
    watcher->begin(snapshot.dump(-1, ' ', false, json::error_handler_t::replace), ended);
}

void CallManager::shutdown(std::chrono::milliseconds timeout) {
    std::vector<std::shared_ptr<ActiveCall>> waiting;
    std::vector<std::shared_ptr<call::CallSession>> sessions;
    {
        std::lock_guard lock(mutex_);
        if (shut_down_) return;
        shutting_down_ = true;
        for (auto& [id, call] : calls_) {
            if (call->state == ActiveCall::State::waiting) {
                timer_.cancel(call->expiry);
                call->state = ActiveCall::State::ending;
                waiting.push_back(call);
            } else if (call->state == ActiveCall::State::joining) {
                if (!call->pending_end) call->pending_end = "server_restart";
            } else if (call->state == ActiveCall::State::live) {
                sessions.push_back(call->session);
            }
        }
    }
    if (!waiting.empty() || !sessions.empty())
        vox::log::info("calls", "ending live calls (server_restart)", {{"calls", waiting.size() + sessions.size()}});
    for (auto& call : waiting) end_without_session(call, "server_restart");
    for (auto& session : sessions)
        if (session) session->end("server_restart");
    {
        std::unique_lock lock(mutex_);
        if (!finished_.wait_for(lock, timeout, [this] { return calls_.empty(); }))
            vox::log::warn("calls", "calls still running at shutdown stay in_progress until the next start",
                           {{"calls", calls_.size()}});
        shut_down_ = true;
    }
    timer_.stop();
    if (transport_) transport_->stop();
    pipeline_->stop();
    hub_.stop();
}

std::size_t CallManager::active_calls() const {
    std::lock_guard lock(mutex_);
    return calls_.size();
}

// --- the transport's side -------------------------------------------------

std::shared_ptr<ActiveCall> CallManager::find_by_transport(vox_transport_call* call) const {
    std::lock_guard lock(mutex_);
    auto it = by_transport_.find(call);
    return it == by_transport_.end() ? nullptr : it->second;
}

void CallManager::on_call_started(vox_transport_call* raw, const json& details) {
    std::string call_id = details.value("call_id", "");
    std::shared_ptr<ActiveCall> call;
    {
        std::lock_guard lock(mutex_);
        auto it = calls_.find(call_id);
        if (it != calls_.end() && it->second->state == ActiveCall::State::waiting && !shutting_down_) {
            call = it->second;
            timer_.cancel(call->expiry);  // if it fired meanwhile, expire() finds the call joining and leaves it
            call->state = ActiveCall::State::joining;
            call->transport = std::make_shared<TransportCall>(transport_->vtable(), raw, call->sample_rate);
            by_transport_[raw] = call;
        }
    }
    if (!call) {
        // Ended (expired, ended by the API) or unknown: the caller is too late.
        vox::log::info("calls", "a caller connected to a call that is not waiting; hanging up", {{"call_id", call_id}});
        TransportCall(transport_->vtable(), raw, 0).close("no_connection");
        return;
    }
    vox::log::info("calls", "caller connected", {{"call_id", call_id}});
    pipeline_->post([this, call] { open_session(call); });
}

void CallManager::on_audio(vox_transport_call* raw, const vox_audio& audio) {
    auto call = find_by_transport(raw);
    if (!call) return;
    std::shared_ptr<call::CallSession> session;
    {
        std::lock_guard lock(mutex_);
        session = call->session;
    }
    if (!session || audio.samples == nullptr) return;
    std::uint32_t channels = audio.channels == 0 ? 1 : audio.channels;
    session->push_audio(audio::AudioView{std::span<const std::int16_t>(audio.samples, audio.frames * channels),
                                         audio.sample_rate, channels});
}

void CallManager::on_dtmf(vox_transport_call* raw, char digit) {
    auto call = find_by_transport(raw);
    if (!call) return;
    std::shared_ptr<call::CallSession> session;
    {
        std::lock_guard lock(mutex_);
        session = call->session;
    }
    if (session) session->push_dtmf(digit);
}

void CallManager::on_played(vox_transport_call* raw, std::uint64_t context, std::uint32_t played_ms) {
    auto call = find_by_transport(raw);
    if (!call) return;
    std::shared_ptr<call::CallSession> session;
    {
        std::lock_guard lock(mutex_);
        session = call->session;
    }
    if (session) session->on_played(context, played_ms);
}

void CallManager::on_call_ended(vox_transport_call* raw, const std::string& reason) {
    auto call = find_by_transport(raw);
    if (!call) return;
    std::string why = caller_end_reason(reason);
    std::shared_ptr<call::CallSession> session;
    std::shared_ptr<TransportCall> transport;
    {
        std::lock_guard lock(mutex_);
        transport = call->transport;
        by_transport_.erase(raw);
        if (call->state == ActiveCall::State::joining && !call->pending_end) call->pending_end = why;
        if (call->state == ActiveCall::State::live) session = call->session;
    }
    // Waits for a play or send in progress; the pointer is not used after this.
    if (transport) transport->mark_gone();
    vox::log::info("calls", "the caller left", {{"call_id", call->call_id}, {"reason", why}});
    if (session) session->end(why);
}

// --- sessions ---------------------------------------------------------------

void CallManager::open_session(const std::shared_ptr<ActiveCall>& call) {
    call::CallSetup setup;
    setup.call_id = call->call_id;
    setup.agent = call->agent;
    setup.variables = call->variables;
    setup.sample_rate = call->sample_rate;
    setup.providers = call->providers.providers;
    setup.stt_settings = call->providers.stt_settings;
    setup.tts_settings = call->providers.tts_settings;
    setup.vad_settings = call->providers.vad_settings;
    setup.flow = call->flow;
    setup.flow_node_types = call->providers.flow_node_types;
    setup.http_tool_runner = call->providers.http_tool_runner;
    setup.tts_first_audio_ms = static_cast<std::uint32_t>(options_.calls.tts_first_audio_timeout.count());
    if (options_.calls.recording) {
        call->recording =
            std::make_shared<CallRecording>(options_.calls.recordings_dir, call->call_id, call->sample_rate);
        setup.recorder = call->recording;
    }
    std::weak_ptr<ActiveCall> weak = call;
    auto observer = std::make_shared<ManagerObserver>(
        weak, call->generation, [this](const auto& c, const json& event) { on_session_event(c, event); },
        [this](const auto& c, const call::CallResult& result) { on_session_ended(c, result); });

    std::shared_ptr<call::CallSession> session;
    std::string failure;
    try {
        session = pipeline_->create_session(std::move(setup), call->transport, observer);
    } catch (const ProviderError& error) {
        vox::log::error("calls", "a provider refused the call's session",
                        {{"call_id", call->call_id}, {"error", error.what()}});
        failure = provider_failure_reason(error.provider_key());
    } catch (const std::exception& error) {
        vox::log::error("calls", "cannot open the call's session",
                        {{"call_id", call->call_id}, {"error", error.what()}});
        failure = "error_internal";
    }
    std::optional<std::string> pending_end;
    {
        std::lock_guard lock(mutex_);
        if (failure.empty() && !session) failure = "error_internal";
        if (failure.empty()) {
            call->session = session;
            call->state = ActiveCall::State::live;
            call->started_at = Clock::now();
            pending_end = call->pending_end;
        } else {
            call->state = ActiveCall::State::ending;
        }
    }
    if (!failure.empty()) {
        end_without_session(call, failure);
        return;
    }
    session->start();
    if (pending_end) session->end(*pending_end);
}

void CallManager::on_session_event(const std::shared_ptr<ActiveCall>& call, const json& event) {
    if (event.value("type", "") == "call_ended") return;  // the host sends it, once the record is stored
    std::shared_ptr<TransportCall> transport;
    {
        std::lock_guard lock(mutex_);
        transport = call->transport;
    }
    if (transport) transport->send_event(event.dump(-1, ' ', false, json::error_handler_t::replace));
    hub_.publish(call->call_id, event);
}

void CallManager::on_session_ended(const std::shared_ptr<ActiveCall>& call, const call::CallResult& result) {
    std::int64_t t_ms = 0;
    {
        std::lock_guard lock(mutex_);
        if (call->finished || call->state == ActiveCall::State::ending) return;  // exactly once
        call->state = ActiveCall::State::ending;
        t_ms = ms_since(call->started_at);
    }
    // The file is complete (header sizes written) before the record names it.
    bool recorded = call->recording && call->recording->finish();
    json record = completed_record(call->record, result, time::now_iso8601());
    if (recorded) record["recording_url"] = recording_url(call->call_id);
    std::optional<double> mean_e2e;
    if (result.turns > 0 && result.mean_e2e_latency_ms > 0) mean_e2e = result.mean_e2e_latency_ms;
    auto duration_ms = static_cast<std::int64_t>(std::llround(std::max(0.0, result.duration_seconds) * 1000.0));
    conclude(call, record, true, t_ms, duration_ms, mean_e2e);
}

void CallManager::end_without_session(const std::shared_ptr<ActiveCall>& call, const std::string& reason) {
    bool joined = false;
    {
        std::lock_guard lock(mutex_);
        joined = call->transport != nullptr;
    }
    json record = ended_without_caller(call->record, reason, time::now_iso8601());
    // A call nobody joined was not handled by the agent: its stats leave it out.
    conclude(call, record, joined, ms_since(call->created_at), 0, std::nullopt);
}

void CallManager::conclude(const std::shared_ptr<ActiveCall>& call, json record, bool counted, std::int64_t t_ms,
                           std::int64_t duration_ms, std::optional<double> mean_e2e_ms) {
    std::string reason = record.value("disconnection_reason", "error_internal");
    // 0. The offline analysis is part of the record from the start (microseconds).
    const AnalysisMode analysis = options_.calls.analysis;
    if (analysis != AnalysisMode::off) {
        record["call_analysis"] =
            lexicon_analysis(record["transcript"], call->agent.value("language", ""), time::now_iso8601());
        record["sentiment"] = record["call_analysis"]["user_sentiment"];
    }
    // 1. The record and the stats are committed before anyone hears of the end.
    try {
        store_.calls->replace(record);
    } catch (const std::exception& error) {
        vox::log::error("calls", "cannot store the call's record (it stays in_progress until the next start)",
                        {{"call_id", call->call_id}, {"error", error.what()}});
    }
    if (counted) {
        try {
            bool completed = record.value("status", "") == "completed";
            store_.agents->modify(call->agent_id, [&](const json& agent) {
                return agent_with_call_counted(agent, completed, mean_e2e_ms);
            });
        } catch (const std::exception& error) {
            vox::log::error("calls", "cannot update the agent's stats",
                            {{"call_id", call->call_id}, {"agent_id", call->agent_id}, {"error", error.what()}});
        }
    }
    // 2. call_ended to the caller's client and the event sockets.
    json ended = {{"type", "call_ended"},
                  {"call_id", call->call_id},
                  {"t_ms", t_ms},
                  {"reason", reason},
                  {"duration_ms", duration_ms}};
    std::shared_ptr<TransportCall> transport;
    std::shared_ptr<call::CallSession> session;
    {
        std::lock_guard lock(mutex_);
        transport = call->transport;
    }
    if (transport) transport->send_event(ended.dump());
    hub_.publish(call->call_id, ended);
    // 3. The caller's connection closes after call_ended.
    if (transport) transport->close(reason);
    // 4. Forgotten; then the event sockets close (see watch()).
    {
        std::lock_guard lock(mutex_);
        call->finished = true;
        calls_.erase(call->call_id);
        if (transport) by_transport_.erase(transport->raw());
        session = std::move(call->session);
        finished_.notify_all();
    }
    hub_.end_call(call->call_id);
    // 5. The LLM's analysis comes later, as call_analyzed on /ws/events.
    if (analysis == AnalysisMode::automatic && analyzer_ != nullptr) analyzer_->submit(record, call->agent, t_ms);
    vox::log::info("calls", "call ended",
                   {{"call_id", call->call_id}, {"reason", reason}, {"status", record.value("status", "")}});
    // The session is released off its own strand (this may run on it).
    if (session) pipeline_->post([session = std::move(session)]() mutable { session.reset(); });
}

void CallManager::expire(const std::string& call_id) {
    std::shared_ptr<ActiveCall> call;
    {
        std::lock_guard lock(mutex_);
        auto it = calls_.find(call_id);
        if (it == calls_.end() || it->second->state != ActiveCall::State::waiting) return;
        call = it->second;
        call->state = ActiveCall::State::ending;
    }
    vox::log::info("calls", "nobody joined the call before its token expired", {{"call_id", call_id}});
    end_without_session(call, "no_connection");
}

bool CallManager::wait_finished(const std::shared_ptr<ActiveCall>& call, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return finished_.wait_for(lock, timeout, [&] { return call->finished; });
}

}  // namespace vox::host
