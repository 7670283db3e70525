// The host's handle on one speech-to-text session of a registry provider.
//
//   vox::SttClient stt(*registry.find("stt.pocketsphinx"), {
//       .on_transcript = [&](const vox::SttTranscript& t) { ... },
//       .on_error      = [&](const vox::ProviderError& e) { ... }},
//       {.input_sample_rate = 8000});
//   stt.push_audio(view);   // 20 ms chunks at input_sample_rate
//   stt.flush();            // end of the caller's turn: a final transcript follows
//
// A thin, thread-safe wrapper over vox_stt_vtable mirroring TtsClient: it
// serialises calls into the session (one thread at a time, as the ABI asks),
// turns failed calls into ProviderError carrying the plugin's message,
// resamples the pushed audio to a rate the provider supports when needed
// (resampling lives in the host, once), drops what arrives after cancel(),
// and closes the session when destroyed.
//
// Callbacks run on the provider's threads (any thread, possibly inside
// push_audio/flush). They must not block for long and must not call back
// into the same client except cancel(): other calls from a callback throw
// std::logic_error (post them to your own executor instead).
#pragma once

#include <vox/core/audio/pcm.hpp>
#include <vox/core/audio/resampler.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace vox {

struct SttTranscript {
    std::string text;
    bool is_final = false;       // false: a partial hypothesis that may still change
    std::uint32_t start_ms = 0;  // from the first audio pushed
    std::uint32_t end_ms = 0;
    float confidence = -1.0F;  // 0..1, or -1 when the provider does not know
};

struct SttCallbacks {
    std::function<void(const SttTranscript& transcript)> on_transcript;
    // The provider failed; the session may be unusable afterwards.
    std::function<void(const ProviderError& error)> on_error;
};

struct SttOptions {
    nlohmann::json settings = nlohmann::json::object();  // per the provider's settings schema; null = {}
    // Rate of the audio given to push_audio. 0: the provider's preferred rate
    // (the highest in its "sample_rates" capability, else 16000).
    std::uint32_t input_sample_rate = 0;
    audio::ResampleQuality resample_quality = audio::ResampleQuality::medium;
};

class SttClient {
public:
    // Opens a session. Throws ProviderError when the provider is not an STT
    // provider or refuses the settings or rate.
    SttClient(const Provider& provider, SttCallbacks callbacks, SttOptions options = {});
    ~SttClient();  // close()
    SttClient(SttClient&&) noexcept;
    SttClient& operator=(SttClient&&) noexcept;
    SttClient(const SttClient&) = delete;
    SttClient& operator=(const SttClient&) = delete;

    // Mono or interleaved audio at input_sample_rate(). Throws ProviderError,
    // or std::invalid_argument for audio at another rate.
    void push_audio(const audio::AudioView& audio);
    // The caller's turn ended: the provider finalises the utterance.
    void flush();
    // No more audio will come; the provider delivers what remains.
    void end_input();
    // Restricts recognition to a grammar from the next utterance on (ABI 1.2;
    // shapes in vox/plugin.h, e.g. {"type":"digits","max_digits":7}); an empty
    // object or null means free speech again. Returns false, changing nothing,
    // when the provider has no grammars (a pre-1.2 plugin, a NULL set_grammar,
    // or VOX_ERR_UNSUPPORTED); true when the provider took it. Throws
    // ProviderError when the provider refuses the grammar (the message says why)
    // or the grammar is neither an object nor null.
    bool set_grammar(const nlohmann::json& grammar);
    // Drops buffered audio and pending results: after this returns, nothing
    // of the audio pushed before reaches the callbacks.
    void cancel() noexcept;
    // Frees the session; no callback runs after it returns. Idempotent.
    void close() noexcept;

    bool is_open() const;
    const Provider& provider() const;
    std::uint32_t input_sample_rate() const;
    // The rate the provider decodes (differs from the input when resampling).
    std::uint32_t provider_sample_rate() const;

    // The rate a provider is opened at for input at `input_rate`: the input
    // rate when the provider lists it, else the lowest listed rate above it,
    // else the highest listed (16000 when it lists none).
    static std::uint32_t choose_sample_rate(const Provider& provider, std::uint32_t input_rate);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace vox
