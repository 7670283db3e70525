// The "openai_audio" plugin: providers stt.openai (POST /audio/transcriptions,
// one request per caller turn) and tts.openai (POST /audio/speech, raw PCM
// streamed, one request per sentence) for OpenAI and compatible servers
// (whisper.cpp server, faster-whisper servers, Kokoro-FastAPI, ...).
#include "config.hpp"
#include "stt_session.hpp"
#include "tts_session.hpp"

#include <vox/sdk/plugin.hpp>
#include <vox/sdk/stt.hpp>
#include <vox/sdk/tts.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace vox::openai_audio {
namespace {

class OpenAiStt final : public sdk::SttProvider {
public:
    OpenAiStt(sdk::Host host, Config config) : host_(host), config_(std::move(config)) {}

    std::unique_ptr<sdk::SttSession> open(std::string_view settings_json, std::uint32_t sample_rate,
                                          sdk::SttSink sink) override {
        if (sample_rate != 8000 && sample_rate != 16000 && sample_rate != 24000 && sample_rate != 48000)
            throw sdk::Error(VOX_ERR_UNSUPPORTED, "stt.openai: sample rate " + std::to_string(sample_rate) +
                                                      " Hz is not supported (8000, 16000, 24000, 48000)");
        return std::make_unique<OpenAiSttSession>(host_, apply_session_settings(config_, settings_json), sample_rate,
                                                  std::move(sink));
    }

private:
    sdk::Host host_;
    Config config_;
};

class OpenAiTts final : public sdk::TtsProvider {
public:
    OpenAiTts(sdk::Host host, Config config) : host_(host), config_(std::move(config)) {}

    std::unique_ptr<sdk::TtsSession> open(std::string_view settings_json, sdk::TtsSink sink) override {
        return std::make_unique<OpenAiTtsSession>(host_, apply_session_settings(config_, settings_json),
                                                  std::move(sink));
    }

private:
    sdk::Host host_;
    Config config_;
};

// The config of a provider voxd switched off is not checked (it is never
// opened): its key rule must not refuse the other provider with it.
Config config_for(std::string_view config_json, const std::string& provider_key) {
    if (provider_enabled(config_json, provider_key)) return parse_provider_config(config_json, provider_key);
    Config off;
    off.provider_key = provider_key;
    return off;
}

struct OpenAiAudioPlugin : sdk::Plugin {
    OpenAiAudioPlugin(sdk::Host host, std::string_view config_json)
        : Plugin(host),
          stt(host, config_for(config_json, "stt.openai")),
          tts(host, config_for(config_json, "tts.openai")) {}
    OpenAiStt stt;
    OpenAiTts tts;
};

const vox_plugin_descriptor* openai_audio_descriptor() {
    static const vox_provider stt = sdk::stt_provider<&OpenAiAudioPlugin::stt>(
        {"openai",
         "OpenAI-compatible transcription (OpenAI Whisper, whisper.cpp server, faster-whisper), one request per turn",
         stt_capabilities_json(), stt_settings_schema_json()});
    static const vox_provider tts = sdk::tts_provider<&OpenAiAudioPlugin::tts>(
        {"openai", "OpenAI-compatible speech (OpenAI TTS, Kokoro-FastAPI), 24 kHz PCM streamed per sentence",
         tts_capabilities_json(), tts_settings_schema_json()});
    static const vox_provider* const providers[] = {&stt, &tts};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<OpenAiAudioPlugin>(
        {"openai_audio", "1.0.0", "Speech-to-text and text-to-speech through OpenAI-compatible audio endpoints"},
        providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::openai_audio

VOX_PLUGIN_ENTRY(vox::openai_audio::openai_audio_descriptor)
