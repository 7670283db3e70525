// The "deepgram" plugin: provider stt.deepgram, Deepgram's live streaming
// speech recognition over a WebSocket per session.
#include "config.hpp"
#include "deepgram_session.hpp"

#include <vox/sdk/error.hpp>
#include <vox/sdk/plugin.hpp>
#include <vox/sdk/stt.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace vox::deepgram {
namespace {

class DeepgramStt final : public sdk::SttProvider {
public:
    DeepgramStt(sdk::Host host, Config config) : host_(host), config_(std::move(config)) {}

    std::unique_ptr<sdk::SttSession> open(std::string_view settings_json, std::uint32_t sample_rate,
                                          sdk::SttSink sink) override {
        SessionSettings settings = parse_session_settings(settings_json, config_);
        if (sample_rate < 8000 || sample_rate > 48000)
            throw sdk::Error(VOX_ERR_UNSUPPORTED, "stt.deepgram: sample rate " + std::to_string(sample_rate) +
                                                      " Hz is not supported (8000 to 48000)");
        return std::make_unique<DeepgramSession>(host_, config_, settings, sample_rate, std::move(sink));
    }

private:
    sdk::Host host_;
    Config config_;
};

struct DeepgramPlugin : sdk::Plugin {
    DeepgramPlugin(sdk::Host host, std::string_view config_json)
        : Plugin(host), stt(host, parse_plugin_config(config_json)) {}
    DeepgramStt stt;
};

const vox_plugin_descriptor* deepgram_descriptor() {
    static const vox_provider stt = sdk::stt_provider<&DeepgramPlugin::stt>(
        {"deepgram", "Deepgram live streaming speech recognition (cloud, WebSocket, partial and final transcripts)",
         capabilities_json(), settings_schema_json()});
    static const vox_provider* const providers[] = {&stt};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<DeepgramPlugin>(
        {"deepgram", "1.0.0", "Speech-to-text with Deepgram's live streaming API"}, providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::deepgram

VOX_PLUGIN_ENTRY(vox::deepgram::deepgram_descriptor)
