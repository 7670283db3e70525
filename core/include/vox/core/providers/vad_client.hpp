// The host's handle on one voice-activity-detection session of a registry
// provider.
//
//   vox::VadClient vad(*registry.find("vad.speexdsp"), {.input_sample_rate = 48000});
//   float p = vad.process(chunk);   // 20 ms of caller audio at 48 kHz
//   if (p >= 0.5F) { ... speech ... }
//
// A thin wrapper over vox_vad_vtable in the style of TtsClient and SttClient:
// it opens the session, turns failed calls into ProviderError carrying the
// plugin's message, resamples the input to a rate the provider supports when
// needed (resampling lives in the host, once), and closes the session when
// destroyed.
//
// Not thread-safe, on purpose: a VAD runs on one call's strand, which never
// calls it from two threads at once (the ABI asks the same of the host), and
// process() is on the real-time path, where a lock would buy nothing. Use
// one client from one thread at a time.
#pragma once

#include <vox/core/audio/pcm.hpp>
#include <vox/core/audio/resampler.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>

namespace vox {

struct VadOptions {
    nlohmann::json settings = nlohmann::json::object();  // per the provider's settings schema; null = {}
    // Rate of the audio given to process(). 0: the provider's preferred rate
    // (the highest in its "sample_rates" capability, else 16000).
    std::uint32_t input_sample_rate = 0;
    // quick: the VAD needs no fidelity, but it needs its verdicts on time.
    // soxr's better qualities hand out audio in blocks of up to ~80 ms
    // (medium, 11025 -> 16000 Hz), which would delay and bunch the verdicts;
    // quick returns each chunk's audio at once.
    audio::ResampleQuality resample_quality = audio::ResampleQuality::quick;
};

class VadClient {
public:
    // Opens a session. Throws ProviderError when the provider is not a VAD
    // provider or refuses the settings or rate.
    explicit VadClient(const Provider& provider, VadOptions options = {});
    ~VadClient();  // closes the session
    VadClient(VadClient&&) noexcept;
    VadClient& operator=(VadClient&&) noexcept;
    VadClient(const VadClient&) = delete;
    VadClient& operator=(const VadClient&) = delete;

    // The probability (0..1) that the chunk holds speech. Mono or
    // interleaved audio at input_sample_rate(). When resampling, the
    // resampler holds back a few milliseconds, so the provider judges each
    // chunk slightly late; a chunk too short to yield any resampled audio
    // gets the previous chunk's probability (0 before the first). Throws
    // ProviderError, or std::invalid_argument for audio at another rate.
    float process(const audio::AudioView& audio);
    // Forgets the stream (the provider's state and the resampler's): the
    // next chunk starts a new signal.
    void reset();

    bool is_open() const;
    const Provider& provider() const;
    std::uint32_t input_sample_rate() const;
    // The rate the provider works at (differs from the input when resampling).
    std::uint32_t provider_sample_rate() const;

    // The rate a provider is opened at for input at `input_rate`: the input
    // rate when the provider lists it, else the lowest listed rate above it,
    // else the highest listed (16000 when it lists none; `input_rate` 0
    // means the highest listed).
    static std::uint32_t choose_sample_rate(const Provider& provider, std::uint32_t input_rate);

private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace vox
