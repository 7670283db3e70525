// The settings of a tts.espeak session, parsed and checked against the same
// rules as the published JSON Schema (settings_schema_json()).
#pragma once

#include <string>
#include <string_view>

namespace vox::espeak {

constexpr int kMinRate = 80;  // words per minute: espeakRATE_MINIMUM..espeakRATE_MAXIMUM
constexpr int kMaxRate = 450;
constexpr int kDefaultRate = 175;  // espeakRATE_NORMAL
constexpr int kMinPitch = 0;
constexpr int kMaxPitch = 100;
constexpr int kDefaultPitch = 50;
constexpr double kMinSpeed = 0.5;
constexpr double kMaxSpeed = 2.0;

struct Settings {
    std::string voice;          // a voice id from the catalogue
    int rate = kDefaultRate;    // words per minute
    int pitch = kDefaultPitch;  // espeak's base pitch, 0..100
    double speed = 1.0;         // multiplies rate (the "speed" other TTS providers and voxctl --speed use)

    // What espeak is told: rate x speed, in words per minute.
    int words_per_minute() const;
};

// The built-in defaults: the catalogue's default voice, 175 wpm, pitch 50.
Settings default_settings();

// Parses a settings object over `defaults`. Empty text means "{}". Throws
// vox::sdk::Error: VOX_ERR_INVALID_ARGUMENT for malformed JSON, a non-object,
// an unknown key or a value out of range; VOX_ERR_UNSUPPORTED for an unknown voice.
Settings parse_settings(std::string_view json, const Settings& defaults);

// The plugin's init config {"tts.espeak": {settings}} gives the defaults of
// every session. Throws like parse_settings, naming the config.
Settings parse_plugin_config(std::string_view config_json);

// JSON Schema (draft 2020-12) of the settings object.
const char* settings_schema_json();
// The provider's static capabilities: voices, languages, rate, streaming.
const char* capabilities_json();

}  // namespace vox::espeak
