#include "config.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/http_client.hpp>
#include <vox/plugin_common/tls.hpp>
#include <vox/plugin_common/websocket.hpp>
#include <vox/sdk/error.hpp>

#include <Poco/Net/HTTPResponse.h>
#include <nlohmann/json.hpp>

#include <cstdlib>

namespace vox::elevenlabs {
namespace {

using plugin_common::env;
using plugin_common::invalid;
using plugin_common::string_value;

// Settings from VOX_PROVIDER_TTS_ELEVENLABS_* arrive as strings: accept both.
double number(const nlohmann::json& value, const std::string& where, double min, double max, bool whole) {
    double result = 0;
    if (value.is_number()) {
        result = value.get<double>();
    } else if (value.is_string()) {
        std::string text = value.get<std::string>();
        char* end = nullptr;
        result = std::strtod(text.c_str(), &end);
        if (text.empty() || end == nullptr || *end != '\0') invalid(where + " must be a number");
    } else {
        invalid(where + " must be a number");
    }
    if (whole && result != static_cast<double>(static_cast<long long>(result)))
        invalid(where + " must be a whole number");
    if (!(result >= min && result <= max))
        invalid(where + " must be from " + nlohmann::json(min).dump() + " to " + nlohmann::json(max).dump());
    return result;
}

std::chrono::milliseconds millis(const nlohmann::json& value, const std::string& where, double min, double max) {
    return std::chrono::milliseconds(static_cast<long long>(number(value, where, min, max, true)));
}

// The settings both the plugin config and a session may set; false when `key` is none of them.
bool apply_common(Config& config, const std::string& key, const nlohmann::json& value) {
    std::string where = config.provider_key + ": \"" + key + "\"";
    if (key == "voice") {
        if (string_value(value, where).empty()) invalid(where + " must not be empty");
        config.voice = value.get<std::string>();
    } else if (key == "model_id") {
        if (!string_value(value, where).empty()) config.model = value.get<std::string>();
    } else if (key == "stability") {
        config.stability = number(value, where, 0, 1, false);
    } else if (key == "similarity_boost") {
        config.similarity_boost = number(value, where, 0, 1, false);
    } else {
        return false;
    }
    // The voice goes into a URL path: refuse what would change the path.
    if (key == "voice" && config.voice.find_first_of("/?#% ") != std::string::npos)
        invalid(where + " must be a voice id");
    return true;
}

bool has_scheme(const std::string& url, std::initializer_list<const char*> schemes) {
    for (const char* scheme : schemes)
        if (url.rfind(scheme, 0) == 0) return true;
    return false;
}

}  // namespace

Config parse_provider_config(std::string_view config_json) {
    Config config;
    config.api_key = env("ELEVENLABS_API_KEY");
    if (config_json.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        auto document = nlohmann::json::parse(config_json, nullptr, false);
        if (document.is_discarded() || !document.is_object()) invalid("plugin config is not a JSON object");
        auto found = document.find(config.provider_key);
        if (found != document.end() && !found->is_null()) {
            if (!found->is_object()) invalid("configuration of tts.elevenlabs must be a JSON object");
            for (const auto& [key, value] : found->items()) {
                std::string where = config.provider_key + ": \"" + key + "\"";
                if (apply_common(config, key, value)) continue;
                if (key == "base_url") {
                    if (!string_value(value, where).empty()) config.base_url = value.get<std::string>();
                } else if (key == "ws_base_url") {
                    config.ws_base_url = string_value(value, where);
                } else if (key == "api_key") {
                    if (!string_value(value, where).empty()) config.api_key = value.get<std::string>();
                } else if (key == "ca_file") {
                    config.ca_file = plugin_common::ca_file_setting(value, config.provider_key);
                } else if (key == "connect_timeout_ms") {
                    config.connect_timeout = millis(value, where, 1, 600000);
                } else if (key == "first_byte_timeout_ms") {
                    config.first_byte_timeout = millis(value, where, 1, 3600000);
                } else if (key == "read_timeout_ms") {
                    config.read_timeout = millis(value, where, 1, 3600000);
                } else if (key == "retries") {
                    config.retries = static_cast<int>(number(value, where, 0, 10, true));
                } else if (key == "retry_delay_ms") {
                    config.retry_delay = millis(value, where, 0, 60000);
                } else {
                    invalid("tts.elevenlabs: unknown setting \"" + key +
                            "\" (known: api_key, base_url, ws_base_url, ca_file, model_id, voice, stability, "
                            "similarity_boost, connect_timeout_ms, first_byte_timeout_ms, read_timeout_ms, retries, "
                            "retry_delay_ms)");
                }
            }
        }
    }
    for (auto* url : {&config.base_url, &config.ws_base_url})
        while (!url->empty() && url->back() == '/') url->pop_back();
    if (!has_scheme(config.base_url, {"http://", "https://"}))
        invalid("tts.elevenlabs: base_url must start with http:// or https://, got '" + config.base_url + "'");
    if (!config.ws_base_url.empty() && !has_scheme(config.ws_base_url, {"ws://", "wss://"}))
        invalid("tts.elevenlabs: ws_base_url must start with ws:// or wss://, got '" + config.ws_base_url + "'");
    // The cloud service needs a key; without one every context could only
    // fail, so the plugin is refused with the reason. A local http:// stand-in needs none.
    bool local = config.base_url.rfind("http://", 0) == 0 &&
                 (config.ws_base_url.empty() || config.ws_base_url.rfind("ws://", 0) == 0);
    if (config.api_key.empty() && !local)
        throw sdk::Error(VOX_ERR_AUTH, "tts.elevenlabs: no API key for " + config.base_url +
                                           ": set ELEVENLABS_API_KEY or [provider.tts.elevenlabs] api_key");
    return config;
}

Config apply_session_settings(const Config& config, std::string_view settings_json) {
    Config session = config;
    if (settings_json.find_first_not_of(" \t\r\n") == std::string_view::npos) return session;
    auto settings = nlohmann::json::parse(settings_json, nullptr, false);
    if (settings.is_null()) return session;
    if (settings.is_discarded() || !settings.is_object()) invalid("tts.elevenlabs: settings must be a JSON object");
    for (const auto& [key, value] : settings.items())
        if (!value.is_null() && !apply_common(session, key, value))
            invalid("tts.elevenlabs: unknown session setting \"" + key + "\"");
    return session;
}

std::string websocket_base(const Config& config) {
    if (!config.ws_base_url.empty()) return config.ws_base_url;
    if (config.base_url.rfind("https://", 0) == 0) return "wss://" + config.base_url.substr(8);
    return "ws://" + config.base_url.substr(7);
}

plugin_common::HttpSettings http_settings(const Config& config) {
    plugin_common::HttpSettings settings;
    settings.provider_key = config.provider_key;
    settings.base_url = config.base_url;
    settings.api_key = config.api_key;
    settings.auth_header = "xi-api-key";
    settings.auth_prefix = "";
    settings.user_agent = "vox-elevenlabs/1.0";
    settings.ca_file = config.ca_file;
    settings.connect_timeout = config.connect_timeout;
    settings.first_byte_timeout = config.first_byte_timeout;
    settings.read_timeout = config.read_timeout;
    settings.retries = config.retries;
    settings.retry_delay = config.retry_delay;
    settings.detail_objects = true;
    return settings;
}

plugin_common::WebSocketSettings websocket_settings(const Config& config, const std::string& url) {
    plugin_common::WebSocketSettings settings;
    settings.url = url;
    settings.api_key = config.api_key;
    settings.auth_header = "xi-api-key";
    settings.auth_prefix = "";
    settings.ca_file = config.ca_file;
    settings.connect_timeout = config.connect_timeout;
    settings.peer = "ElevenLabs";
    settings.handshake_failed = "ElevenLabs handshake failed: ";
    settings.refused = [](const Poco::Net::HTTPResponse& response) {
        auto status = static_cast<int>(response.getStatus());
        vox_status code = status == 401 || status == 403 ? VOX_ERR_AUTH
                          : status == 429                ? VOX_ERR_RATE_LIMITED
                          : status == 404                ? VOX_ERR_NOT_FOUND
                          : status >= 500                ? VOX_ERR_UNAVAILABLE
                                                         : VOX_ERR_INVALID_ARGUMENT;
        return plugin_common::HandshakeRefusal{
            code, "ElevenLabs refused the WebSocket: HTTP " + std::to_string(status) + " " + response.getReason(),
            status >= 500};
    };
    return settings;
}

const char* settings_schema_json() {
    static const std::string schema =
        nlohmann::json{
            {"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"title", "tts.elevenlabs session settings"},
            {"type", "object"},
            {"additionalProperties", false},
            {"properties",
             {{"voice", {{"type", "string"}, {"description", "ElevenLabs voice_id (see the provider's voices)"}}},
              {"model_id", {{"type", "string"}, {"description", "e.g. eleven_flash_v2_5, eleven_turbo_v2_5"}}},
              {"stability", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
              {"similarity_boost", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}}}}}
            .dump();
    return schema.c_str();
}

const char* capabilities_json() {
    // A few of ElevenLabs' premade voices; describe() lists the account's own.
    static const std::string capabilities = nlohmann::json{
        {"streaming", true},
        {"sample_rates", {kSampleRate}},
        {"word_timing", true},
        {"voices",
         {{{"id", "JBFqnCBsd6RMkjVDRZzb"}, {"name", "George"}},
          {{"id", "21m00Tcm4TlvDq8ikWAM"}, {"name", "Rachel"}},
          {{"id", "EXAVITQu4vr4xnSDxMaL"}, {"name", "Sarah"}},
          {{"id", "pNInz6obpgDQGcFmaJgB"}, {"name", "Adam"}}}},
        {"api", "elevenlabs-stream-input"}}.dump();
    return capabilities.c_str();
}

}  // namespace vox::elevenlabs
