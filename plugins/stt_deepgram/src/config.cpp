#include "config.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/tls.hpp>
#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>

namespace vox::deepgram {
namespace {

using plugin_common::env;
using plugin_common::invalid;

// Settings from VOX_PROVIDER_STT_DEEPGRAM_* arrive as strings: accept both.
long long integer(const nlohmann::json& value, const std::string& key, long long min, long long max) {
    return plugin_common::whole_number(value, "stt.deepgram: \"" + key + "\"", min, max);
}

std::string text(const nlohmann::json& value, const std::string& key) {
    return plugin_common::string_value(value, "stt.deepgram: \"" + key + "\"");
}

// Model and language go into the query string as they are: letters, digits,
// '-', '_' and '.' only, so no setting can smuggle in another parameter.
std::string token(const nlohmann::json& value, const std::string& key) {
    std::string word = text(value, key);
    if (word.empty() || word.size() > 64) invalid("stt.deepgram: \"" + key + "\" must be 1 to 64 characters");
    for (char c : word)
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_' && c != '.')
            invalid("stt.deepgram: \"" + key + "\" may hold only letters, digits, '-', '_' and '.', got '" + word +
                    "'");
    return word;
}

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

}  // namespace

Config parse_plugin_config(std::string_view config_json) {
    Config config;
    config.api_key = env("DEEPGRAM_API_KEY");
    if (config_json.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        auto document = nlohmann::json::parse(config_json, nullptr, false);
        if (document.is_discarded() || !document.is_object()) invalid("plugin config is not a JSON object");
        auto found = document.find("stt.deepgram");
        if (found != document.end() && !found->is_null()) {
            if (!found->is_object()) invalid("configuration of stt.deepgram must be a JSON object");
            for (const auto& [key, value] : found->items()) {
                if (key == "base_url") {
                    if (!text(value, key).empty()) config.base_url = value.get<std::string>();
                } else if (key == "api_key") {
                    if (!text(value, key).empty()) config.api_key = value.get<std::string>();
                } else if (key == "model") {
                    config.model = token(value, key);
                } else if (key == "language") {
                    config.language = token(value, key);
                } else if (key == "endpointing_ms") {
                    config.endpointing_ms = static_cast<int>(integer(value, key, 10, 10000));
                } else if (key == "ca_file") {
                    config.ca_file = plugin_common::ca_file_setting(value, "stt.deepgram");
                } else if (key == "connect_timeout_ms") {
                    config.connect_timeout = std::chrono::milliseconds(integer(value, key, 1, 600000));
                } else if (key == "keepalive_ms") {
                    config.keepalive = std::chrono::milliseconds(integer(value, key, 10, 9000));
                } else if (key == "retries") {
                    config.retries = static_cast<int>(integer(value, key, 0, 10));
                } else if (key == "finalize_timeout_ms") {
                    config.finalize_timeout = std::chrono::milliseconds(integer(value, key, 10, 60000));
                } else if (key == "response_timeout_ms") {
                    config.response_timeout = std::chrono::milliseconds(integer(value, key, 10, 600000));
                } else {
                    invalid(
                        "stt.deepgram: unknown setting \"" + key +
                        "\" (known: api_key, base_url, ca_file, model, language, endpointing_ms, connect_timeout_ms, "
                        "keepalive_ms, retries, finalize_timeout_ms, response_timeout_ms)");
                }
            }
        }
    }
    while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
    if (!starts_with(config.base_url, "ws://") && !starts_with(config.base_url, "wss://"))
        invalid("stt.deepgram: base_url must start with ws:// or wss://, got '" + config.base_url + "'");
    if (config.base_url.find('?') != std::string::npos)
        invalid("stt.deepgram: base_url must not hold a query string (the plugin writes it)");
    // Deepgram's service needs a key; without one the provider could only
    // fail, so the plugin is refused with the reason (and an unconfigured
    // voxd does not offer it). A local ws:// server (a test double, a
    // self-hosted Deepgram) may need none.
    if (config.api_key.empty() && starts_with(config.base_url, "wss://"))
        throw sdk::Error(VOX_ERR_AUTH, "stt.deepgram: no API key for " + config.base_url +
                                           ": set DEEPGRAM_API_KEY or [provider.stt.deepgram] api_key");
    return config;
}

SessionSettings parse_session_settings(std::string_view settings_json, const Config& config) {
    SessionSettings settings{config.model, config.language, config.endpointing_ms};
    if (settings_json.find_first_not_of(" \t\r\n") == std::string_view::npos) return settings;
    auto parsed = nlohmann::json::parse(settings_json, nullptr, false);
    if (parsed.is_discarded()) invalid("settings are not valid JSON");
    if (parsed.is_null()) return settings;
    if (!parsed.is_object()) invalid("settings must be a JSON object, got " + std::string(parsed.type_name()));
    for (const auto& [key, value] : parsed.items()) {
        if (key == "model") {
            settings.model = token(value, key);
        } else if (key == "language") {
            settings.language = token(value, key);
        } else if (key == "endpointing_ms") {
            settings.endpointing_ms = static_cast<int>(integer(value, key, 10, 10000));
        } else {
            invalid("settings: unknown setting \"" + key + "\" (known: model, language, endpointing_ms)");
        }
    }
    return settings;
}

std::string listen_url(const Config& config, const SessionSettings& settings, std::uint32_t sample_rate) {
    return config.base_url + "?model=" + settings.model +
           "&encoding=linear16&sample_rate=" + std::to_string(sample_rate) +
           "&channels=1&interim_results=true&punctuate=true&smart_format=true&endpointing=" +
           std::to_string(settings.endpointing_ms) + "&utterance_end_ms=1000&language=" + settings.language;
}

const char* settings_schema_json() {
    static const std::string schema =
        nlohmann::json{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                       {"title", "stt.deepgram settings"},
                       {"type", "object"},
                       {"additionalProperties", false},
                       {"properties",
                        {{"model",
                          {{"type", "string"},
                           {"pattern", "^[A-Za-z0-9._-]{1,64}$"},
                           {"default", "nova-2"},
                           {"description", "Deepgram model, e.g. nova-2, nova-2-phonecall, nova-3"}}},
                         {"language",
                          {{"type", "string"},
                           {"pattern", "^[A-Za-z0-9._-]{1,64}$"},
                           {"default", "en-US"},
                           {"description", "BCP-47 language tag of the speech (must be one the model supports)"}}},
                         {"endpointing_ms",
                          {{"type", "integer"},
                           {"minimum", 10},
                           {"maximum", 10000},
                           {"default", 300},
                           {"description", "Silence (ms) after which Deepgram finalises a segment"}}}}}}
            .dump();
    return schema.c_str();
}

const char* capabilities_json() {
    static const std::string capabilities =
        nlohmann::json{
            {"streaming", true}, {"partial_transcripts", true}, {"sample_rates", {8000, 16000, 24000, 48000}},
            {"channels", 1},     {"languages", {"*"}},          {"network", true}}
            .dump();
    return capabilities.c_str();
}

}  // namespace vox::deepgram
