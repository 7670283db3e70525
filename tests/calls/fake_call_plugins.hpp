// In-process fakes for the CallManager tests: a plugin (registered
// statically) offering transport.websocket, stt.fake, llm.fake and tts.fake,
// whose transport records what voxd asks of it and lets a test play the
// caller; and a CallPipeline whose sessions record what they are told and let
// a test play the pipeline (events, the end).
#pragma once

#include "calls/call_pipeline.hpp"

#include <vox/plugin.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vox::calltest {

using nlohmann::json;

// The fake transport's record of what voxd did, and the caller's side.
struct FakeTransport {
    std::mutex mutex;
    std::condition_variable changed;
    vox_transport_callbacks callbacks{};
    json start_settings;
    std::vector<json> dials;
    // What voxd did on each caller connection, in order: "play", "clear", "event:<json>", "hangup:<reason>".
    std::vector<std::string> actions;
    bool started = false;
    bool stopped = false;
    // Called with each event voxd sends, before it is recorded (on voxd's thread).
    std::function<void(const json& event)> on_event;

    void reset();
    // The caller connects to the call `call_id` (as the real transport does when the token matches).
    void join(vox_transport_call* call, const std::string& call_id, std::uint32_t sample_rate = 16000);
    void send_audio(vox_transport_call* call, std::size_t frames);
    void caller_hangs_up(vox_transport_call* call);
    std::vector<std::string> actions_snapshot();
    // Waits until an action starting with `prefix` was recorded.
    bool wait_for_action(const std::string& prefix, std::chrono::milliseconds timeout);
};

FakeTransport& fake_transport();
// The entry of the fake plugin, for PluginRegistry::add.
const vox_plugin_descriptor* fake_call_plugin_entry();

class FakeSession;

// Sessions made by the pipeline, and a thread standing in for the runtime.
class FakePipeline final : public host::CallPipeline {
public:
    FakePipeline();
    ~FakePipeline() override;

    std::shared_ptr<call::CallSession> create_session(call::CallSetup setup,
                                                      std::shared_ptr<call::CallTransport> transport,
                                                      std::shared_ptr<call::CallObserver> observer) override;
    void post(std::function<void()> fn) override;
    void stop() override;

    // Waits for the n-th session (0-based) to be created.
    std::shared_ptr<FakeSession> session(std::size_t index, std::chrono::milliseconds timeout);
    // Makes create_session throw this error (provider key, message) from now on.
    void fail_with(std::string provider_key) { fail_provider_ = std::move(provider_key); }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<std::shared_ptr<FakeSession>> sessions_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::string fail_provider_;
    std::thread thread_;
};

class FakeSession final : public call::CallSession {
public:
    FakeSession(call::CallSetup setup, std::shared_ptr<call::CallTransport> transport,
                std::shared_ptr<call::CallObserver> observer, FakePipeline& pipeline);

    void start() override;
    void push_audio(const audio::AudioView& audio) override;
    void push_dtmf(char digit) override;
    void on_played(std::uint64_t context, std::uint32_t played_ms) override;
    // Like the real one: the end is reported asynchronously, once.
    void end(std::string reason) override;
    bool active() const override;

    // The test plays the pipeline.
    void emit(const json& event) { observer_->on_event(event); }
    void finish(call::CallResult result);

    const call::CallSetup& setup() const { return setup_; }
    call::CallTransport& transport() { return *transport_; }
    bool started() const;
    std::size_t audio_frames() const;
    std::vector<std::string> end_requests() const;
    bool wait_end_requested(std::chrono::milliseconds timeout) const;

    // What end(reason) reports: a completed call with one answered turn.
    static call::CallResult result_for(const std::string& reason);

private:
    call::CallSetup setup_;
    std::shared_ptr<call::CallTransport> transport_;
    std::shared_ptr<call::CallObserver> observer_;
    FakePipeline& pipeline_;
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    bool started_ = false;
    bool ended_ = false;
    std::size_t audio_frames_ = 0;
    std::vector<std::string> end_requests_;
};

}  // namespace vox::calltest
