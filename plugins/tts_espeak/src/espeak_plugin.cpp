// The "espeak" plugin: provider tts.espeak, speech synthesis with espeak-ng on
// the local machine (no network, no credentials): English (US and British),
// German, French and Spanish voices at espeak's native 22050 Hz; the host
// resamples.
#include "engine.hpp"
#include "espeak_session.hpp"
#include "settings.hpp"
#include "voices.hpp"

#include <vox/sdk/error.hpp>
#include <vox/sdk/plugin.hpp>
#include <vox/sdk/tts.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace vox::espeak {
namespace {

const VoiceInfo& available_voice(std::string_view id) {
    const VoiceInfo* voice = find_voice_info(id);
    if (voice == nullptr)
        throw sdk::Error(VOX_ERR_UNSUPPORTED,
                         "unknown espeak voice '" + std::string(id) + "' (available: " + voice_id_list() + ")");
    if (!voice_available(*voice))
        throw sdk::Error(VOX_ERR_UNAVAILABLE, "espeak voice '" + std::string(id) +
                                                  "' did not load: its language data is missing from espeak-ng-data");
    return *voice;
}

class EspeakTts final : public sdk::TtsProvider {
public:
    EspeakTts(sdk::Host host, Settings defaults) : host_(host), defaults_(std::move(defaults)) {}

    std::unique_ptr<sdk::TtsSession> open(std::string_view settings_json, sdk::TtsSink sink) override {
        Settings settings = parse_settings(settings_json, defaults_);
        return std::make_unique<EspeakSession>(host_, available_voice(settings.voice), settings, sink);
    }

private:
    sdk::Host host_;
    Settings defaults_;
};

struct EspeakPlugin : sdk::Plugin {
    EspeakPlugin(sdk::Host host, std::string_view config_json)
        : Plugin(host), tts(host, parse_plugin_config(config_json)) {
        // Starting espeak-ng reads its phoneme data and loads every voice
        // once: do it now rather than inside the first call's latency budget.
        initialize_engine();
        for (const auto& voice : voice_catalog())
            if (!voice_available(voice))
                this->host().warn("espeak voice '" + std::string(voice.id) +
                                  "' did not load; sessions asking for it fail");
    }
    EspeakTts tts;
};

const vox_plugin_descriptor* espeak_descriptor() {
    static const vox_provider tts = sdk::tts_provider<&EspeakPlugin::tts>(
        {"espeak", "espeak-ng speech synthesis: local, offline, English, German, French and Spanish voices",
         capabilities_json(), settings_schema_json()});
    static const vox_provider* const providers[] = {&tts};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<EspeakPlugin>(
        {"espeak", "1.0.0", "Text-to-speech with espeak-ng (en-us, en-gb, de, fr, es and variants)"}, providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::espeak

VOX_PLUGIN_ENTRY(vox::espeak::espeak_descriptor)
