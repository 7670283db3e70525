#include "config.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/tls.hpp>
#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace vox::openai_audio {
namespace {

constexpr const char* kVoices[] = {"alloy", "ash",  "ballad",  "coral", "echo",  "fable", "onyx",
                                   "nova",  "sage", "shimmer", "verse", "marin", "cedar"};

using plugin_common::env;
using plugin_common::invalid;
using plugin_common::string_value;
using plugin_common::whole_number;

double speed_of(const nlohmann::json& value, const std::string& where) {
    double speed = 0;
    if (value.is_number()) {
        speed = value.get<double>();
    } else if (value.is_string()) {
        std::string text = value.get<std::string>();
        char* end = nullptr;
        speed = std::strtod(text.c_str(), &end);
        if (text.empty() || end == nullptr || *end != '\0') invalid(where + " must be a number from 0.25 to 4");
    } else {
        invalid(where + " must be a number from 0.25 to 4");
    }
    if (!(speed >= 0.25 && speed <= 4.0)) invalid(where + " must be a number from 0.25 to 4");
    return speed;
}

bool is_stt(const std::string& provider_key) { return provider_key == "stt.openai"; }

// The settings both a plugin config and a session may set; false when `key` is none of them.
bool apply_common(Config& config, const std::string& key, const nlohmann::json& value) {
    std::string where = config.provider_key + ": \"" + key + "\"";
    if (key == "model") {
        if (!string_value(value, where).empty()) config.model = value.get<std::string>();
    } else if (key == "language" && is_stt(config.provider_key)) {
        config.language = string_value(value, where);
    } else if (key == "voice" && !is_stt(config.provider_key)) {
        // Not checked against OpenAI's list: compatible servers (Kokoro, Piper) name their own voices.
        if (string_value(value, where).empty()) invalid(where + " must not be empty");
        config.voice = value.get<std::string>();
    } else if (key == "speed" && !is_stt(config.provider_key)) {
        config.speed = speed_of(value, where);
    } else {
        return false;
    }
    return true;
}

}  // namespace

Config parse_provider_config(std::string_view config_json, const std::string& provider_key) {
    Config config;
    config.provider_key = provider_key;
    config.model = is_stt(provider_key) ? "whisper-1" : "tts-1";
    if (auto url = env("OPENAI_BASE_URL"); !url.empty()) config.base_url = url;
    config.api_key = env("OPENAI_API_KEY");
    if (config_json.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        auto document = nlohmann::json::parse(config_json, nullptr, false);
        if (document.is_discarded() || !document.is_object()) invalid("plugin config is not a JSON object");
        auto found = document.find(provider_key);
        if (found != document.end() && !found->is_null()) {
            if (!found->is_object()) invalid("configuration of " + provider_key + " must be a JSON object");
            for (const auto& [key, value] : found->items()) {
                std::string where = provider_key + ": \"" + key + "\"";
                if (apply_common(config, key, value)) continue;
                if (key == "base_url") {
                    if (!string_value(value, where).empty()) config.base_url = value.get<std::string>();
                } else if (key == "api_key") {
                    if (!string_value(value, where).empty()) config.api_key = value.get<std::string>();
                } else if (key == "ca_file") {
                    config.ca_file = plugin_common::ca_file_setting(value, provider_key);
                } else if (key == "connect_timeout_ms") {
                    config.connect_timeout = std::chrono::milliseconds(whole_number(value, where, 1, 600000));
                } else if (key == "first_byte_timeout_ms") {
                    config.first_byte_timeout = std::chrono::milliseconds(whole_number(value, where, 1, 3600000));
                } else if (key == "read_timeout_ms") {
                    config.read_timeout = std::chrono::milliseconds(whole_number(value, where, 1, 3600000));
                } else if (key == "retries") {
                    config.retries = static_cast<int>(whole_number(value, where, 0, 10));
                } else if (key == "retry_delay_ms") {
                    config.retry_delay = std::chrono::milliseconds(whole_number(value, where, 0, 60000));
                } else {
                    invalid(provider_key + ": unknown setting \"" + key +
                            "\" (known: base_url, api_key, ca_file, model, " +
                            (is_stt(provider_key) ? "language" : "voice, speed") +
                            ", connect_timeout_ms, first_byte_timeout_ms, read_timeout_ms, retries, retry_delay_ms)");
                }
            }
        }
    }
    while (!config.base_url.empty() && config.base_url.back() == '/') config.base_url.pop_back();
    if (config.base_url.rfind("http://", 0) != 0 && config.base_url.rfind("https://", 0) != 0)
        invalid(provider_key + ": base_url must start with http:// or https://, got '" + config.base_url + "'");
    // Cloud services (https) all need a key; without one the provider could
    // only fail, so the plugin is refused with the reason instead. Local
    // servers (whisper.cpp, faster-whisper, Kokoro-FastAPI on http://) need none.
    if (config.api_key.empty() && config.base_url.rfind("https://", 0) == 0)
        throw sdk::Error(VOX_ERR_AUTH, provider_key + ": no API key for " + config.base_url +
                                           ": set OPENAI_API_KEY or [provider." + provider_key +
                                           "] api_key, or point base_url (OPENAI_BASE_URL) at a local http:// server");
    return config;
}

bool provider_enabled(std::string_view config_json, const std::string& provider_key) {
    auto document = nlohmann::json::parse(config_json, nullptr, false);
    if (document.is_discarded() || !document.is_object()) return true;  // parse_provider_config reports it
    return document.contains(provider_key) || (!document.contains("stt.openai") && !document.contains("tts.openai"));
}

Config apply_session_settings(const Config& config, std::string_view settings_json) {
    Config session = config;
    if (settings_json.find_first_not_of(" \t\r\n") == std::string_view::npos) return session;
    auto settings = nlohmann::json::parse(settings_json, nullptr, false);
    if (settings.is_null()) return session;
    if (settings.is_discarded() || !settings.is_object())
        invalid(config.provider_key + ": settings must be a JSON object");
    for (const auto& [key, value] : settings.items())
        if (!value.is_null() && !apply_common(session, key, value))
            invalid(config.provider_key + ": unknown session setting \"" + key + "\"");
    return session;
}

plugin_common::HttpSettings http_settings(const Config& config) {
    plugin_common::HttpSettings settings;
    settings.provider_key = config.provider_key;
    settings.base_url = config.base_url;
    settings.api_key = config.api_key;
    settings.user_agent = "vox-openai-audio/1.0";
    settings.ca_file = config.ca_file;
    settings.connect_timeout = config.connect_timeout;
    settings.first_byte_timeout = config.first_byte_timeout;
    settings.read_timeout = config.read_timeout;
    settings.retries = config.retries;
    settings.retry_delay = config.retry_delay;
    return settings;
}

const char* stt_settings_schema_json() {
    static const std::string schema =
        nlohmann::json{
            {"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"title", "stt.openai session settings"},
            {"type", "object"},
            {"additionalProperties", false},
            {"properties",
             {{"model", {{"type", "string"}, {"description", "Transcription model, e.g. whisper-1"}}},
              {"language",
               {{"type", "string"}, {"description", "ISO-639-1 code of the caller's language; empty: detect"}}}}}}
            .dump();
    return schema.c_str();
}

const char* stt_capabilities_json() {
    static const std::string capabilities =
        nlohmann::json{{"streaming", false},
                       {"partials", false},
                       {"sample_rates", {8000, 16000, 24000, 48000}},
                       {"api", "openai-audio-transcriptions"},
                       {"compatible", {"OpenAI", "whisper.cpp server", "faster-whisper-server / speaches"}}}
            .dump();
    return capabilities.c_str();
}

const char* tts_settings_schema_json() {
    static const std::string schema =
        nlohmann::json{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                       {"title", "tts.openai session settings"},
                       {"type", "object"},
                       {"additionalProperties", false},
                       {"properties",
                        {{"voice",
                          {{"type", "string"},
                           {"description",
                            "Voice name; OpenAI's are listed in the capabilities, compatible servers "
                            "have their own"}}},
                         {"speed", {{"type", "number"}, {"minimum", 0.25}, {"maximum", 4}}},
                         {"model", {{"type", "string"}, {"description", "Speech model, e.g. tts-1"}}}}}}
            .dump();
    return schema.c_str();
}

const char* tts_capabilities_json() {
    nlohmann::json voices = nlohmann::json::array();
    for (const char* voice : kVoices) voices.push_back({{"id", voice}, {"name", voice}});
    static const std::string capabilities =
        nlohmann::json{{"streaming", true},
                       {"sample_rates", {24000}},
                       {"voices", voices},
                       {"default_voice", "alloy"},
                       // Compatible servers (Kokoro, Piper) have voices of their own: any id is taken.
                       {"custom_voices", true},
                       {"word_timing", false},
                       {"api", "openai-audio-speech"},
                       {"compatible", {"OpenAI", "Kokoro-FastAPI", "openedai-speech (Piper)"}}}
            .dump();
    return capabilities.c_str();
}

}  // namespace vox::openai_audio
