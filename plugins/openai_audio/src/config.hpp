// Configuration of providers stt.openai and tts.openai: where the server is,
// the key, the timeouts and retries (plugin config), and each session's
// settings (model, language, voice, speed).
#pragma once

#include <vox/plugin_common/http_client.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vox::openai_audio {

struct Config {
    std::string provider_key;                            // "stt.openai" or "tts.openai", for messages
    std::string base_url = "https://api.openai.com/v1";  // without a trailing '/'
    std::string api_key;                                 // never logged, never in an error
    std::string model;                                   // "whisper-1" / "tts-1" unless configured
    std::string language;                                // stt: ISO-639-1 hint, "" = let the server detect
    std::string voice = "alloy";                         // tts
    std::optional<double> speed;                         // tts: 0.25..4, unset = the server's default
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds first_byte_timeout{30000};  // from the request sent to the response headers
    std::chrono::milliseconds read_timeout{30000};        // longest silence between two chunks of the body
    int retries = 2;                                      // extra attempts before any byte of an answer
    std::chrono::milliseconds retry_delay{200};           // backoff: retry_delay * 2^attempt
    // PEM file of CAs trusted besides the system's (a private CA behind https/wss); "" for none.
    std::string ca_file;
};

// The plugin config {"stt.openai": {...}, "tts.openai": {...}} for one of the
// two providers, over the defaults ($OPENAI_BASE_URL, $OPENAI_API_KEY).
// Throws sdk::Error: VOX_ERR_INVALID_ARGUMENT for a bad setting, VOX_ERR_AUTH
// for an https:// server without a key.
Config parse_provider_config(std::string_view config_json, const std::string& provider_key);

// False when voxd switched `provider_key` off ([plugin] disabled): voxd then
// leaves its key out of a config that names the other provider. A provider
// that is off needs no API key, so a local whisper server for stt.openai
// alone does not need a key for tts.openai.
bool provider_enabled(std::string_view config_json, const std::string& provider_key);

// A session's settings (JSON per the provider's schema) over the provider's config.
Config apply_session_settings(const Config& config, std::string_view settings_json);

// Where and how this provider's requests go (the key as a bearer token).
plugin_common::HttpSettings http_settings(const Config& config);

const char* stt_settings_schema_json();
const char* stt_capabilities_json();
const char* tts_settings_schema_json();
const char* tts_capabilities_json();

}  // namespace vox::openai_audio
