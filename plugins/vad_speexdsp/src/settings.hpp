// The settings of a vad.speexdsp session, parsed and checked against the same
// rules as the published JSON Schema (settings_schema_json()).
#pragma once

#include <string_view>

namespace vox::speexdsp {

struct Settings {
    // speex's hysteresis: silence turns to speech when its probability
    // passes prob_start, and speech stays speech while it passes
    // prob_continue (speex's defaults: 35 % and 20 %).
    double prob_start = 0.35;
    double prob_continue = 0.20;
    // Frames quieter than this (RMS, dBFS) are never speech, whatever speex
    // says: digital silence and very quiet noise.
    double energy_floor_dbfs = -45.0;
};

// Parses a settings object over `defaults`. Empty text means "{}". Throws
// vox::sdk::Error(VOX_ERR_INVALID_ARGUMENT) for malformed JSON, a non-object,
// an unknown key or a value out of range.
Settings parse_settings(std::string_view json, const Settings& defaults);

// The plugin's init config {"vad.speexdsp": {settings}} gives the defaults of
// every session. Throws like parse_settings, naming the config.
Settings parse_plugin_config(std::string_view config_json);

// JSON Schema (draft 2020-12) of the settings object.
const char* settings_schema_json();
// The provider's static capabilities: sample rates, frame length.
const char* capabilities_json();

}  // namespace vox::speexdsp
