// The settings of a tts.flite session, parsed and checked against the same
// rules as the published JSON Schema (settings_schema_json()).
#pragma once

#include <string>
#include <string_view>

namespace vox::flite {

struct Settings {
    std::string voice;   // a voice id from the catalogue
    double speed = 1.0;  // 0.5..2; flite's duration_stretch is 1/speed
};

// The built-in defaults: the catalogue's default voice, normal speed.
Settings default_settings();

// Parses a settings object over `defaults`. Empty text means "{}". Throws
// vox::sdk::Error: VOX_ERR_INVALID_ARGUMENT for malformed JSON, a non-object,
// an unknown key or a value out of range; VOX_ERR_UNSUPPORTED for an unknown voice.
Settings parse_settings(std::string_view json, const Settings& defaults);

// The plugin's init config {"tts.flite": {settings}} gives the defaults of
// every session. Throws like parse_settings, naming the config.
Settings parse_plugin_config(std::string_view config_json);

// JSON Schema (draft 2020-12) of the settings object.
const char* settings_schema_json();
// The provider's static capabilities: voices, rates, languages, streaming.
const char* capabilities_json();

}  // namespace vox::flite
