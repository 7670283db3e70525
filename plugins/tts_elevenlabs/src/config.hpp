// Configuration of provider tts.elevenlabs: where the service is (REST and
// WebSocket), the key, model, default voice and voice settings, timeouts and
// retries (plugin config), and each session's settings (voice, model,
// stability, similarity_boost).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace vox::plugin_common {
struct HttpSettings;
struct WebSocketSettings;
}  // namespace vox::plugin_common

namespace vox::elevenlabs {

// The output_format this plugin asks for (raw 16-bit PCM, mono) and its rate.
inline constexpr const char* kOutputFormat = "pcm_16000";
inline constexpr unsigned kSampleRate = 16000;

struct Config {
    std::string provider_key = "tts.elevenlabs";         // for messages
    std::string base_url = "https://api.elevenlabs.io";  // REST, without a trailing '/'
    std::string ws_base_url;                             // "" = base_url with ws(s)://
    std::string api_key;                                 // never logged, never in an error
    std::string model = "eleven_flash_v2_5";             // model_id
    std::string voice = "JBFqnCBsd6RMkjVDRZzb";          // voice_id (premade "George")
    double stability = 0.5;
    double similarity_boost = 0.75;
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds first_byte_timeout{30000};  // HTTP: request sent to response headers
    std::chrono::milliseconds read_timeout{30000};        // longest silence while audio is owed
    int retries = 2;                                      // extra connect attempts before any audio
    std::chrono::milliseconds retry_delay{200};           // backoff: retry_delay * 2^attempt
    // PEM file of CAs trusted besides the system's (a private CA behind https/wss); "" for none.
    std::string ca_file;
};

// {"tts.elevenlabs": {...}} over the defaults ($ELEVENLABS_API_KEY). Throws
// sdk::Error: VOX_ERR_INVALID_ARGUMENT for a bad setting, VOX_ERR_AUTH for an
// https:// service without a key.
Config parse_provider_config(std::string_view config_json);

// A session's settings (JSON per the settings schema) over the provider's config.
Config apply_session_settings(const Config& config, std::string_view settings_json);

// ws_base_url, or base_url with its scheme turned into ws:// / wss://.
std::string websocket_base(const Config& config);

// Where and how the REST requests go (the key in xi-api-key).
plugin_common::HttpSettings http_settings(const Config& config);
// The stream-input WebSocket at `url` (the key in xi-api-key).
plugin_common::WebSocketSettings websocket_settings(const Config& config, const std::string& url);

const char* settings_schema_json();
const char* capabilities_json();

}  // namespace vox::elevenlabs
