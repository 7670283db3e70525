// The "elevenlabs" plugin: provider tts.elevenlabs, ElevenLabs' streaming
// text-to-speech (WebSocket stream-input, HTTP stream as the fallback), 16 kHz
// PCM with word timings; describe() lists the account's voices.
#include "config.hpp"
#include "tts_session.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/http_client.hpp>
#include <vox/sdk/plugin.hpp>
#include <vox/sdk/tts.hpp>

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <string_view>

namespace vox::elevenlabs {
namespace {

class ElevenLabsTts final : public sdk::TtsProvider {
public:
    ElevenLabsTts(sdk::Host host, Config config) : host_(host), config_(std::move(config)) {}

    std::unique_ptr<sdk::TtsSession> open(std::string_view settings_json, sdk::TtsSink sink) override {
        return std::make_unique<ElevenLabsTtsSession>(host_, apply_session_settings(config_, settings_json),
                                                      std::move(sink));
    }

    // The static capabilities with the account's voices from GET /v1/voices,
    // fetched once; on failure the static (premade) list stays, with a warning.
    std::string describe() override {
        std::lock_guard lock(mutex_);
        if (!described_.empty()) return described_;
        auto capabilities = nlohmann::json::parse(capabilities_json());
        try {
            std::string text;
            plugin_common::RequestControl control;
            plugin_common::HttpRequest request;
            request.method = "GET";
            request.path = "/v1/voices";
            request.accept = "application/json";
            plugin_common::post(http_settings(config_), request, control, [&](std::istream& body) {
                std::ostringstream out;
                out << body.rdbuf();
                text = out.str();
            });
            auto document = nlohmann::json::parse(text, nullptr, false);
            if (document.is_discarded() || !document.is_object() || !document.contains("voices") ||
                !document["voices"].is_array())
                throw sdk::Error(VOX_ERR_UNAVAILABLE, "tts.elevenlabs: GET /v1/voices: unexpected answer");
            nlohmann::json voices = nlohmann::json::array();
            for (const auto& voice : document["voices"]) {
                if (!voice.is_object() || !voice.contains("voice_id") || !voice["voice_id"].is_string()) continue;
                nlohmann::json entry{{"id", voice["voice_id"]}, {"name", voice.value("name", "")}};
                // Labels (accent, language, ...) describe the voice, they do not limit it: the multilingual
                // models speak every language with every voice. So they are passed on, not made "language".
                if (auto labels = voice.find("labels"); labels != voice.end() && labels->is_object())
                    entry["labels"] = *labels;
                voices.push_back(std::move(entry));
            }
            capabilities["voices"] = std::move(voices);
            described_ = capabilities.dump();
            return described_;
        } catch (const std::exception& e) {
            host_.warn(
                plugin_common::redact(std::string("tts.elevenlabs: cannot list voices: ") + e.what(), config_.api_key));
            return capabilities.dump();  // not cached: the next describe() tries again
        }
    }

private:
    sdk::Host host_;
    Config config_;
    std::mutex mutex_;
    std::string described_;
};

struct ElevenLabsPlugin : sdk::Plugin {
    ElevenLabsPlugin(sdk::Host host, std::string_view config_json)
        : Plugin(host), tts(host, parse_provider_config(config_json)) {}
    ElevenLabsTts tts;
};

const vox_plugin_descriptor* elevenlabs_descriptor() {
    static const vox_provider tts = sdk::tts_provider<&ElevenLabsPlugin::tts>(
        {"elevenlabs", "ElevenLabs streaming speech (WebSocket stream-input, HTTP stream fallback), 16 kHz PCM",
         capabilities_json(), settings_schema_json()});
    static const vox_provider* const providers[] = {&tts};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<ElevenLabsPlugin>(
        {"elevenlabs", "1.0.0", "Text-to-speech through ElevenLabs"}, providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::elevenlabs

VOX_PLUGIN_ENTRY(vox::elevenlabs::elevenlabs_descriptor)
