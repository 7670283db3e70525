// The "pocketsphinx" plugin: provider stt.pocketsphinx, streaming speech
// recognition with CMU PocketSphinx on the local machine (no network, no
// credentials), US English, 8 kHz or 16 kHz input.
#include "decoder_pool.hpp"
#include "stt_session.hpp"

#include <vox/sdk/error.hpp>
#include <vox/sdk/plugin.hpp>
#include <vox/sdk/stt.hpp>

#include <nlohmann/json.hpp>

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include <memory>
#include <string>
#include <string_view>

#ifndef VOX_POCKETSPHINX_MODEL_DIR
#define VOX_POCKETSPHINX_MODEL_DIR "/usr/share/pocketsphinx/model/en-us"
#endif

namespace vox::pocketsphinx {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, message); }

// Session settings: only "language", which must be en-US.
void check_settings(std::string_view json) {
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return;
    auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded()) invalid("settings are not valid JSON: " + std::string(json.substr(0, 200)));
    if (!parsed.is_object()) invalid("settings must be a JSON object, got " + std::string(parsed.type_name()));
    for (const auto& [key, value] : parsed.items()) {
        if (key == "language") {
            if (!value.is_string()) invalid("settings: \"language\" must be a string (\"en-US\")");
            if (value.get<std::string>() != "en-US")
                throw sdk::Error(VOX_ERR_UNSUPPORTED,
                                 "settings: language '" + value.get<std::string>() + "' is not supported (only en-US)");
        } else {
            invalid("settings: unknown setting \"" + key + "\" (known: language)");
        }
    }
}

// Plugin configuration: {"stt.pocketsphinx": {"model_dir": "..."}} (optional).
std::string model_dir_from(std::string_view config_json) {
    std::string dir = VOX_POCKETSPHINX_MODEL_DIR;
    if (config_json.find_first_not_of(" \t\r\n") == std::string_view::npos) return dir;
    auto config = nlohmann::json::parse(config_json, nullptr, false);
    if (config.is_discarded() || !config.is_object()) invalid("plugin config is not a JSON object");
    auto found = config.find("stt.pocketsphinx");
    if (found == config.end() || found->is_null()) return dir;
    if (!found->is_object()) invalid("configuration of stt.pocketsphinx must be a JSON object");
    for (const auto& [key, value] : found->items()) {
        if (key != "model_dir" || !value.is_string())
            invalid("configuration of stt.pocketsphinx: only \"model_dir\" (a string) is known");
        dir = value.get<std::string>();
    }
    return dir;
}

const char* settings_schema_json() {
    static const std::string schema = nlohmann::json{
        {"$schema", "https://json-schema.org/draft/2020-12/schema"},
        {"title", "stt.pocketsphinx settings"},
        {"type", "object"},
        {"additionalProperties", false},
        {"properties",
         {{"language",
           {{"type", "string"},
            {"enum", {"en-US"}},
            {"default", "en-US"},
            {"description", "Language of the speech (the en-US model is the only one installed)"}}}}}}
                                          .dump();
    return schema.c_str();
}

const char* capabilities_json() {
    static const std::string capabilities = nlohmann::json{{"streaming", true},
                                                           {"partial_transcripts", true},
                                                           {"sample_rates", {8000, 16000}},
                                                           {"channels", 1},
                                                           {"languages", {"en-US"}},
                                                           // set_grammar (ABI 1.2) accepts these types
                                                           {"grammars", {"yes_no", "digits", "choice", "date"}}}
                                                .dump();
    return capabilities.c_str();
}

class PocketsphinxStt final : public sdk::SttProvider {
public:
    PocketsphinxStt(sdk::Host host, std::string_view config_json)
        : host_(host), pool_(std::make_shared<DecoderPool>(model_paths(model_dir_from(config_json)))) {}

    std::unique_ptr<sdk::SttSession> open(std::string_view settings_json, std::uint32_t sample_rate,
                                          sdk::SttSink sink) override {
        check_settings(settings_json);
        if (sample_rate != 8000 && sample_rate != 16000)
            throw sdk::Error(VOX_ERR_UNSUPPORTED, "sample rate " + std::to_string(sample_rate) +
                                                      " Hz is not supported (8000 or 16000; resample first)");
        return std::make_unique<PocketsphinxSession>(host_, pool_, sample_rate, std::move(sink));
    }

    std::shared_ptr<DecoderPool>& pool() { return pool_; }

private:
    sdk::Host host_;
    std::shared_ptr<DecoderPool> pool_;
};

struct PocketsphinxPlugin : sdk::Plugin {
    PocketsphinxPlugin(sdk::Host host, std::string_view config_json) : Plugin(host), stt(host, silence(config_json)) {
        // Load one decoder now rather than inside the first call's latency budget.
        stt.pool()->release(stt.pool()->acquire());
    }
    // pocketsphinx logs every configuration value to stderr: silence it
    // (process-wide, but only pocketsphinx/sphinxbase log through it).
    static std::string_view silence(std::string_view config_json) {
        err_set_logfp(nullptr);
        return config_json;
    }
    PocketsphinxStt stt;
};

const vox_plugin_descriptor* pocketsphinx_descriptor() {
    static const vox_provider stt = sdk::stt_provider<&PocketsphinxPlugin::stt>(
        {"pocketsphinx", "CMU PocketSphinx speech recognition: local, offline, US English, streaming",
         capabilities_json(), settings_schema_json()});
    static const vox_provider* const providers[] = {&stt};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<PocketsphinxPlugin>(
        {"pocketsphinx", "1.0.0", "Speech-to-text with CMU PocketSphinx (en-US, 8 and 16 kHz)"}, providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::pocketsphinx

VOX_PLUGIN_ENTRY(vox::pocketsphinx::pocketsphinx_descriptor)
