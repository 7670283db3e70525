// Shared by the call-session tests: a registry with the real local providers
// (tts.flite, stt.pocketsphinx, vad.speexdsp, llm.openai pointed at the local
// OpenAI-protocol test server), speech made with flite, a caller that streams it in real
// time, a transport that records what the agent plays, and an observer that
// collects events.
#pragma once

#include "openai_test_server.hpp"

#include <vox/core/call/call_runtime.hpp>
#include <vox/core/call/call_session.hpp>
#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vox::test {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// What the agent played, as a transport sees it; played position by the clock.
class RecordingTransport : public call::CallTransport {
public:
    void play(std::uint64_t context, const audio::AudioView& audio) override {
        std::lock_guard lock(mutex_);
        auto& state = contexts_[context];
        if (state.sent_ms == 0) state.first_play = Clock::now();
        state.sent_ms += static_cast<std::uint32_t>(audio.duration_seconds() * 1000.0);
        samples_.insert(samples_.end(), audio.samples.begin(), audio.samples.end());
        ++plays_;
    }
    std::uint32_t clear(std::uint64_t context) override {
        std::lock_guard lock(mutex_);
        ++clears_;
        auto& state = contexts_[context];
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - state.first_play).count();
        return std::min<std::uint32_t>(state.sent_ms, static_cast<std::uint32_t>(elapsed));
    }
    void hangup(std::string_view reason) override {
        std::lock_guard lock(mutex_);
        hangup_reason_ = std::string(reason);
    }
    std::size_t samples() const {
        std::lock_guard lock(mutex_);
        return samples_.size();
    }
    std::vector<std::int16_t> audio() const {
        std::lock_guard lock(mutex_);
        return samples_;
    }
    int clears() const {
        std::lock_guard lock(mutex_);
        return clears_;
    }
    std::optional<std::string> hangup_reason() const {
        std::lock_guard lock(mutex_);
        return hangup_reason_;
    }

private:
    struct Context {
        Clock::time_point first_play{};
        std::uint32_t sent_ms = 0;
    };
    mutable std::mutex mutex_;
    std::map<std::uint64_t, Context> contexts_;
    std::vector<std::int16_t> samples_;
    int plays_ = 0;
    int clears_ = 0;
    std::optional<std::string> hangup_reason_;
};

class EventLog : public call::CallObserver {
public:
    void on_event(const nlohmann::json& event) override {
        std::lock_guard lock(mutex_);
        events_.push_back(event);
        changed_.notify_all();
    }
    void on_ended(const call::CallResult& result) override {
        std::lock_guard lock(mutex_);
        ++ends_;
        result_ = result;
        changed_.notify_all();
    }
    // Waits for an event matching `match`; returns it.
    std::optional<nlohmann::json> wait_for(const std::function<bool(const nlohmann::json&)>& match,
                                           std::chrono::milliseconds timeout = 15s) {
        std::unique_lock lock(mutex_);
        std::optional<nlohmann::json> found;
        changed_.wait_for(lock, timeout, [&] {
            for (const auto& e : events_)
                if (match(e)) {
                    found = e;
                    return true;
                }
            return false;
        });
        return found;
    }
    std::optional<nlohmann::json> wait_type(const std::string& type, std::chrono::milliseconds timeout = 15s) {
        return wait_for([&](const nlohmann::json& e) { return e["type"] == type; }, timeout);
    }
    std::optional<call::CallResult> wait_end(std::chrono::milliseconds timeout = 15s) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, timeout, [&] { return ends_ > 0; });
        return result_;
    }
    std::vector<nlohmann::json> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    std::vector<nlohmann::json> of_type(const std::string& type) const {
        std::vector<nlohmann::json> out;
        for (const auto& e : events())
            if (e["type"] == type) out.push_back(e);
        return out;
    }
    int ends() const {
        std::lock_guard lock(mutex_);
        return ends_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<nlohmann::json> events_;
    std::optional<call::CallResult> result_;
    int ends_ = 0;
};

// The real local providers in a registry, with the LLM on the test server.
class LocalProviders {
public:
    LocalProviders() : registry_(host_, options()) {
        for (const char* file :
             {VOX_TEST_FLITE_PLUGIN, VOX_TEST_POCKETSPHINX_PLUGIN, VOX_TEST_OPENAI_PLUGIN, VOX_TEST_SPEEXDSP_PLUGIN
#ifdef VOX_TEST_FLOW_NODES_PLUGIN
              ,
              VOX_TEST_FLOW_NODES_PLUGIN
#endif
             }) {
            bool loaded = PluginLoader(registry_).load_file(file);
            std::string reasons;
            for (const auto& refused : registry_.refused()) reasons += refused.origin + ": " + refused.reason + "\n";
            EXPECT_TRUE(loaded) << file << "\n" << reasons;
        }
    }
    ~LocalProviders() { registry_.shutdown(); }

    call::CallProviders providers() const {
        return {registry_.find("stt.pocketsphinx"), registry_.find("llm.openai"), registry_.find("tts.flite"),
                registry_.find("vad.speexdsp")};
    }
    OpenAiTestServer& llm_server() { return server_; }
    // Registers an in-test plugin beside the real ones.
    bool add(vox_plugin_entry_fn entry, const std::string& origin) { return registry_.add(entry, origin); }
    const PluginRegistry& registry() const { return registry_; }

    // Speech of `text` by flite's kal16 voice, at `rate`.
    audio::AudioBuffer speech(const std::string& text, std::uint32_t rate = 16000) {
        audio::AudioBuffer out{{}, rate, 1};
        std::mutex mutex;
        std::condition_variable done_cv;
        bool done = false;
        TtsClient tts(*registry_.find("tts.flite"),
                      {.on_audio =
                           [&](std::uint64_t, const audio::AudioView& a) {
                               std::lock_guard lock(mutex);
                               out.samples.insert(out.samples.end(), a.samples.begin(), a.samples.end());
                           },
                       .on_word = {},
                       .on_done =
                           [&](std::uint64_t) {
                               std::lock_guard lock(mutex);
                               done = true;
                               done_cv.notify_all();
                           },
                       .on_error = {}},
                      {.settings = {{"voice", "kal16"}}, .output_sample_rate = rate});
        tts.push_text(1, text);
        tts.flush(1);
        std::unique_lock lock(mutex);
        done_cv.wait_for(lock, 20s, [&] { return done; });
        return out;
    }

private:
    RegistryOptions options() {
        RegistryOptions options;
        options.settings_for = [this](const std::string& key) {
            return key == "llm.openai"
                       ? nlohmann::json{{"base_url", server_.base_url()}, {"api_key", server_.api_key()}}
                       : nlohmann::json::object();
        };
        return options;
    }
    OpenAiTestServer server_;
    HostServices host_;
    PluginRegistry registry_;
};

// `speech` without its leading and trailing silence (flite pads utterances).
inline audio::AudioBuffer trim_silence(audio::AudioBuffer speech, std::int16_t threshold = 300) {
    auto loud = [&](std::int16_t s) { return s > threshold || s < -threshold; };
    auto first = std::find_if(speech.samples.begin(), speech.samples.end(), loud);
    auto last = std::find_if(speech.samples.rbegin(), speech.samples.rend(), loud).base();
    if (first >= last) return {{}, speech.sample_rate, 1};
    speech.samples = std::vector<std::int16_t>(first, last);
    return speech;
}

// Sends audio to the session in 20 ms frames at real-time pace.
class PacedCaller {
public:
    PacedCaller(call::CallSession& session, std::uint32_t rate) : session_(session), rate_(rate) {}

    void say(const audio::AudioBuffer& speech) { send(speech.samples); }
    void silence(std::chrono::milliseconds duration) {
        send(std::vector<std::int16_t>(static_cast<std::size_t>(rate_ * duration.count() / 1000), 0));
    }
    // Silence until `until` returns true (checked every frame) or the timeout.
    bool silence_until(const std::function<bool()>& until, std::chrono::milliseconds timeout) {
        auto deadline = Clock::now() + timeout;
        std::vector<std::int16_t> frame(rate_ / 50, 0);
        while (Clock::now() < deadline) {
            if (until()) return true;
            send(frame);
        }
        return until();
    }

private:
    void send(const std::vector<std::int16_t>& samples) {
        std::size_t per_frame = rate_ / 50;
        if (next_ == Clock::time_point{}) next_ = Clock::now();
        for (std::size_t at = 0; at < samples.size(); at += per_frame) {
            std::size_t n = std::min(per_frame, samples.size() - at);
            std::vector<std::int16_t> frame(samples.begin() + static_cast<std::ptrdiff_t>(at),
                                            samples.begin() + static_cast<std::ptrdiff_t>(at + n));
            frame.resize(per_frame, 0);
            session_.push_audio(audio::AudioView{frame, rate_, 1});
            next_ += 20ms;
            std::this_thread::sleep_until(next_);
        }
    }
    call::CallSession& session_;
    std::uint32_t rate_;
    Clock::time_point next_{};
};

// A live call on the real local providers, for TEST_F fixtures: open() starts
// the session with a setup the test fills in; the caller streams in real time.
class LiveCallTest : public ::testing::Test {
protected:
    // Completes `setup` (rate, providers, voice) where the test left it empty, starts the call.
    void open(call::CallSetup setup) {
        if (setup.call_id.empty()) setup.call_id = "call_test";
        setup.sample_rate = 16000;
        if (setup.providers.stt == nullptr) setup.providers = local_.providers();
        if (setup.tts_settings.empty()) setup.tts_settings = {{"voice", "slt"}};
        session_ = call::CallSession::create(runtime_, std::move(setup), transport_, events_);
        session_->start();
        caller_ = std::make_unique<PacedCaller>(*session_, 16000);
    }
    // The agent's final lines so far, joined with " | ".
    std::string agent_said() const {
        std::string all;
        for (const auto& e : events_->of_type("transcript"))
            if (e["role"] == "agent" && e["final"] == true) all += e["text"].get<std::string>() + " | ";
        return all;
    }
    void TearDown() override {
        if (session_) session_->end("api_hangup");
        if (session_) events_->wait_end(10s);
        session_.reset();
        runtime_.stop();
    }

    LocalProviders local_;
    call::CallRuntime runtime_{{.threads = 2}};
    std::shared_ptr<RecordingTransport> transport_ = std::make_shared<RecordingTransport>();
    std::shared_ptr<EventLog> events_ = std::make_shared<EventLog>();
    std::shared_ptr<call::CallSession> session_;
    std::unique_ptr<PacedCaller> caller_;
};

}  // namespace vox::test
