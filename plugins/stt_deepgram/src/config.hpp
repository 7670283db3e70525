// Configuration of provider stt.deepgram: where Deepgram is, the key, the
// timeouts, the defaults of the per-session settings, and the listen URL.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace vox::deepgram {

struct Config {
    std::string base_url = "wss://api.deepgram.com/v1/listen";  // ws:// or wss://, without a trailing '/'
    std::string api_key;                                        // never logged, never in an error
    std::string model = "nova-2";
    std::string language = "en-US";
    int endpointing_ms = 300;  // Deepgram's pause detection (speech_final); the host still decides turns
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds keepalive{5000};  // KeepAlive after this long without audio (Deepgram closes at ~10 s)
    int retries = 2;                            // extra connect attempts after a transient failure
    // After flush(): longest wait for Deepgram's finalised result before the
    // turn's final is delivered with what has been finalised so far.
    std::chrono::milliseconds finalize_timeout{1500};
    // Audio sent but not a word back for this long: the stream is dead.
    std::chrono::milliseconds response_timeout{5000};
    // PEM file of CAs trusted besides the system's (a private CA behind https/wss); "" for none.
    std::string ca_file;
};

// Per-session settings (the provider's settings schema) over the config.
struct SessionSettings {
    std::string model;
    std::string language;
    int endpointing_ms = 0;
};

// {"stt.deepgram": {...}} over the defaults, which take the key from
// $DEEPGRAM_API_KEY. Throws sdk::Error: VOX_ERR_INVALID_ARGUMENT for a bad
// setting, VOX_ERR_AUTH when there is no key and the server is not a local ws:// one.
Config parse_plugin_config(std::string_view config_json);

// Throws sdk::Error(VOX_ERR_INVALID_ARGUMENT) for unknown or malformed settings.
SessionSettings parse_session_settings(std::string_view settings_json, const Config& config);

// base_url?model=...&encoding=linear16&sample_rate=...: the handshake target.
std::string listen_url(const Config& config, const SessionSettings& settings, std::uint32_t sample_rate);

const char* settings_schema_json();
const char* capabilities_json();

}  // namespace vox::deepgram
