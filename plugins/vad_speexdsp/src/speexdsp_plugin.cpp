// The "speexdsp" plugin: provider vad.speexdsp, voice-activity detection with
// the speexdsp preprocessor's speech probability, gated by an energy floor.
// Works on 8 or 16 kHz audio in 20 ms frames; the host resamples other rates.
#include "settings.hpp"
#include "speex_detector.hpp"

#include <vox/sdk/error.hpp>
#include <vox/sdk/plugin.hpp>
#include <vox/sdk/vad.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vox::speexdsp {
namespace {

// One detector per call. The host calls a session from one thread at a time
// (the call's strand), so it needs no lock.
class SpeexVadSession final : public sdk::VadSession {
public:
    SpeexVadSession(const Settings& settings, std::uint32_t sample_rate) : detector_(settings, sample_rate) {}

    float process(const vox_audio& audio) override {
        if (!VOX_STRUCT_HAS(&audio, vox_audio, channels) || audio.channels == 0)
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "malformed audio: no channel count");
        if (audio.samples == nullptr && audio.frames != 0)
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "audio has frames but no samples");
        if (audio.sample_rate != detector_.sample_rate())
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "audio at " + std::to_string(audio.sample_rate) +
                                                           " Hz, but the session was opened for " +
                                                           std::to_string(detector_.sample_rate()) + " Hz");
        if (audio.channels == 1) return detector_.process({audio.samples, audio.frames});
        // Interleaved channels: their mean is the signal classified.
        mono_.resize(audio.frames);
        for (std::size_t frame = 0; frame < audio.frames; ++frame) {
            int sum = 0;
            for (std::uint32_t channel = 0; channel < audio.channels; ++channel)
                sum += audio.samples[frame * audio.channels + channel];
            mono_[frame] = static_cast<std::int16_t>(sum / static_cast<int>(audio.channels));
        }
        return detector_.process(mono_);
    }

    void reset() noexcept override { detector_.reset(); }

private:
    SpeexDetector detector_;
    std::vector<std::int16_t> mono_;
};

class SpeexVad final : public sdk::VadProvider {
public:
    explicit SpeexVad(Settings defaults) : defaults_(defaults) {}

    std::unique_ptr<sdk::VadSession> open(std::string_view settings_json, std::uint32_t sample_rate) override {
        return std::make_unique<SpeexVadSession>(parse_settings(settings_json, defaults_), sample_rate);
    }

private:
    Settings defaults_;
};

struct SpeexPlugin : sdk::Plugin {
    SpeexPlugin(sdk::Host host, std::string_view config_json) : Plugin(host), vad(parse_plugin_config(config_json)) {}
    SpeexVad vad;
};

const vox_plugin_descriptor* speexdsp_descriptor() {
    static const vox_provider vad = sdk::vad_provider<&SpeexPlugin::vad>(
        {"speexdsp", "Voice-activity detection with the speexdsp preprocessor's speech probability and an energy floor",
         capabilities_json(), settings_schema_json()});
    static const vox_provider* const providers[] = {&vad};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<SpeexPlugin>(
        {"speexdsp", "1.0.0", "Voice-activity detection with speexdsp (8 and 16 kHz)"}, providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::speexdsp

VOX_PLUGIN_ENTRY(vox::speexdsp::speexdsp_descriptor)
