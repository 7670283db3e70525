// The "flite" plugin: provider tts.flite, speech synthesis with CMU Flite on
// the local machine (no network, no credentials). Each voice speaks at its
// native rate (kal at 8 kHz, the others at 16 kHz); the host resamples.
#include "flite_session.hpp"
#include "settings.hpp"
#include "voices.hpp"

#include <vox/sdk/plugin.hpp>
#include <vox/sdk/tts.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace vox::flite {
namespace {

class FliteTts final : public sdk::TtsProvider {
public:
    FliteTts(sdk::Host host, Settings defaults) : host_(host), defaults_(std::move(defaults)) {}

    std::unique_ptr<sdk::TtsSession> open(std::string_view settings_json, sdk::TtsSink sink) override {
        Settings settings = parse_settings(settings_json, defaults_);
        Voice& voice = loaded_voice(settings.voice);
        return std::make_unique<FliteSession>(host_, voice, settings, std::move(sink));
    }

private:
    sdk::Host host_;
    Settings defaults_;
};

struct FlitePlugin : sdk::Plugin {
    FlitePlugin(sdk::Host host, std::string_view config_json)
        : Plugin(host), tts(host, parse_plugin_config(config_json)) {
        // Registering the voices reads their data; do it now rather than
        // inside the first call's latency budget.
        load_voices();
    }
    FliteTts tts;
};

const vox_plugin_descriptor* flite_descriptor() {
    static const vox_provider tts =
        sdk::tts_provider<&FlitePlugin::tts>({"flite", "CMU Flite speech synthesis: local, offline, US English voices",
                                              capabilities_json(), settings_schema_json()});
    static const vox_provider* const providers[] = {&tts};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<FlitePlugin>(
        {"flite", "1.0.0", "Text-to-speech with CMU Flite (voices kal, kal16, slt, rms, awb)"}, providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::flite

VOX_PLUGIN_ENTRY(vox::flite::flite_descriptor)
