// The host's handle on one text-to-speech session of a registry provider.
//
//   vox::TtsClient tts(*registry.find("tts.flite"), {
//       .on_audio = [&](std::uint64_t ctx, const vox::audio::AudioView& a) { ... },
//       .on_done  = [&](std::uint64_t ctx) { ... }},
//       {.settings = {{"voice", "slt"}}, .output_sample_rate = 16000});
//   tts.push_text(1, "Hello there. ");
//   tts.flush(1);
//
// A thin, thread-safe wrapper over vox_tts_vtable: it serialises calls into
// the session (the ABI lets the host call a session from one thread at a
// time), turns failed calls into ProviderError carrying the plugin's message,
// optionally resamples the provider's audio to one output rate (resampling
// lives in the host, once), drops anything that arrives for a cancelled
// context, and closes the session when destroyed.
//
// Callbacks run on the provider's threads (any thread, possibly inside
// push_text/flush). They must not block for long, and must not call back into
// the same client except cancel(): push_text/flush/close from a callback throw
// std::logic_error (post the call to your own executor instead).
#pragma once

#include <vox/core/audio/pcm.hpp>
#include <vox/core/audio/resampler.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

namespace vox {

struct TtsCallbacks {
    // Audio of `context`; the view is borrowed for the duration of the call.
    std::function<void(std::uint64_t context, const audio::AudioView& audio)> on_audio;
    // Word timing, in ms from the start of the context's audio (when the engine knows it).
    std::function<void(std::uint64_t context, std::string_view word, std::uint32_t start_ms, std::uint32_t end_ms)>
        on_word;
    // Everything pushed before flush(context) has been delivered.
    std::function<void(std::uint64_t context)> on_done;
    // The provider failed on `context`; no on_done follows for it.
    std::function<void(std::uint64_t context, const ProviderError& error)> on_error;
};

struct TtsOptions {
    nlohmann::json settings = nlohmann::json::object();  // per the provider's settings schema; null = {}
    std::uint32_t output_sample_rate = 0;                // 0: deliver the provider's own rate
    audio::ResampleQuality resample_quality = audio::ResampleQuality::medium;
};

class TtsClient {
public:
    // Opens a session. Throws ProviderError when the provider is not a TTS
    // provider or refuses the settings (unknown voice, ...).
    TtsClient(const Provider& provider, TtsCallbacks callbacks, TtsOptions options = {});
    ~TtsClient();  // close()
    TtsClient(TtsClient&&) noexcept;
    TtsClient& operator=(TtsClient&&) noexcept;
    TtsClient(const TtsClient&) = delete;
    TtsClient& operator=(const TtsClient&) = delete;

    // Appends text to utterance `context`. Throws ProviderError.
    void push_text(std::uint64_t context, std::string_view text);
    // No more text for `context`: the provider speaks the rest, then on_done.
    void flush(std::uint64_t context);
    // Barge-in: after this returns no callback for `context` reaches the
    // caller. A cancelled context id is dead; use a new one for the next turn.
    void cancel(std::uint64_t context) noexcept;
    // Frees the session; no callback runs after it returns. Idempotent.
    void close() noexcept;

    bool is_open() const;
    const Provider& provider() const;

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace vox
