// Shared by the openai_audio tests: the plugin loaded into a registry with
// settings pointing at a local AudioTestServer, and sessions opened through
// the raw ABI with recorders for everything they deliver.
#pragma once

#include "audio_test_server.hpp"

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/plugin.h>

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vox::test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct ErrorEvent {
    vox_status code = VOX_OK;
    std::string message;
};

// What one STT session delivered.
struct SttRecorder {
    struct Final {
        std::string text;
        bool is_final = false;
        std::uint32_t start_ms = 0;
        std::uint32_t end_ms = 0;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<Final> transcripts;
    std::vector<ErrorEvent> errors;

    // Waits until `count` transcripts or errors in all have arrived.
    bool wait_events(std::size_t count, std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return transcripts.size() + errors.size() >= count; });
    }
};

// What one TTS session delivered, per context.
struct TtsRecorder {
    struct Context {
        std::vector<std::int16_t> samples;
        std::uint32_t sample_rate = 0;
        std::size_t audio_calls = 0;
        Clock::time_point first_audio{};
        int done = 0;
        Clock::time_point done_at{};
        std::vector<ErrorEvent> errors;
    };
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::uint64_t, Context> contexts;

    bool wait(const std::function<bool(std::map<std::uint64_t, Context>&)>& condition,
              std::chrono::milliseconds timeout = 10s) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, timeout, [&] { return condition(contexts); });
    }
    // Waits until `context` ended (done or error).
    bool wait_end(std::uint64_t context, std::chrono::milliseconds timeout = 10s) {
        return wait([&](auto& all) { return all[context].done > 0 || !all[context].errors.empty(); }, timeout);
    }
    Context snapshot(std::uint64_t context) {
        std::lock_guard lock(mutex);
        return contexts[context];
    }
};

// An STT session opened through vox_stt_vtable, closed when destroyed.
class RawSttSession {
public:
    RawSttSession(const Provider& provider, std::uint32_t sample_rate, SttRecorder& recorder,
                  const std::string& settings = "{}");
    ~RawSttSession() { close(); }
    RawSttSession(const RawSttSession&) = delete;
    RawSttSession& operator=(const RawSttSession&) = delete;

    vox_status open_status() const { return open_status_; }
    const std::string& open_error() const { return open_error_; }
    vox_status push(const std::vector<std::int16_t>& samples);
    vox_status flush();
    void cancel();
    void close();

private:
    const vox_stt_vtable* vtable_ = nullptr;
    vox_stt_callbacks callbacks_{};
    vox_stt_session* session_ = nullptr;
    std::uint32_t sample_rate_ = 0;
    vox_status open_status_ = VOX_OK;
    std::string open_error_;
};

// A TTS session opened through vox_tts_vtable, closed when destroyed.
class RawTtsSession {
public:
    RawTtsSession(const Provider& provider, TtsRecorder& recorder, const std::string& settings = "{}");
    ~RawTtsSession() { close(); }
    RawTtsSession(const RawTtsSession&) = delete;
    RawTtsSession& operator=(const RawTtsSession&) = delete;

    vox_status open_status() const { return open_status_; }
    vox_status push_text(std::uint64_t context, const std::string& text);
    vox_status flush(std::uint64_t context);
    void cancel(std::uint64_t context);
    void close();

private:
    const vox_tts_vtable* vtable_ = nullptr;
    vox_tts_callbacks callbacks_{};
    vox_tts_session* session_ = nullptr;
    vox_status open_status_ = VOX_OK;
};

class OpenAiAudioPlugin : public ::testing::Test {
protected:
    // Loads the plugin with `overrides` merged over the test server's address
    // and key (and short retry delays), for both providers.
    void load(const nlohmann::json& overrides = nlohmann::json::object());
    void SetUp() override { load(); }

    AudioTestServer server_;
    HostServices host_;
    nlohmann::json settings_;
    std::unique_ptr<PluginRegistry> registry_;
    const Provider* stt_ = nullptr;
    const Provider* tts_ = nullptr;
};

// `frames` samples of a recognisable signal, different for each `seed`.
std::vector<std::int16_t> test_audio(std::size_t frames, int seed = 1);
// The PCM the test server answers for one speech request of `samples` samples.
std::vector<std::int16_t> expected_speech(std::size_t samples);

}  // namespace vox::test
