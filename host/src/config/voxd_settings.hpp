// voxd's settings, typed and checked: what the rest of the daemon reads
// instead of raw strings. A bad value is a ConfigError that names the key, the
// value and the layer it came from.
#pragma once

#include "config/layered_config.hpp"
#include "http/http_options.hpp"

#include <vox/core/log.hpp>

#include <nlohmann/json.hpp>
#include <spdlog/common.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vox::host {

struct PluginSettings {
    std::string path;  // ':'-separated directories
    bool builtin = true;
    std::set<std::string> disabled;  // provider keys
    std::size_t work_threads = 0;
};

struct LogSettings {
    vox::log::Format format = vox::log::Format::json;
    spdlog::level::level_enum level = spdlog::level::info;
};

struct StorageSettings {
    std::string url;  // empty: SQLite inside data_dir
    std::size_t pool_size = 16;
    bool sqlite_synchronous_full = true;
};

// What an agent uses when it names no provider or language.
struct AgentDefaults {
    std::string stt_provider;
    std::string llm_provider;
    std::string tts_provider;
    std::string language;
};

// Live calls ([calls]).
// calls.analysis: "auto" (the offline verdict, then the agent's LLM when it
// has one), "lexicon" (offline only) or "off" (sentiment stays "unknown").
enum class AnalysisMode { off, lexicon, automatic };

struct CallSettings {
    std::size_t threads = 2;                // the call pipeline's shared pool
    std::string vad_provider = "speexdsp";  // empty: the built-in energy detector
    std::chrono::milliseconds token_ttl{30'000};
    std::size_t max_concurrent_calls = 100;
    bool recording = true;                     // a stereo WAV of each call (calls.recording)
    std::filesystem::path recordings_dir;      // calls.recordings_dir; empty in the file: <data.dir>/recordings
    std::chrono::hours recordings_max_age{0};  // calls.recordings_max_age_days; 0: keep them
    std::chrono::milliseconds tts_first_audio_timeout{3000};  // calls.tts_first_audio_timeout_ms; 0: off
    AnalysisMode analysis = AnalysisMode::automatic;          // calls.analysis
    std::chrono::milliseconds analysis_timeout{30'000};
};

struct VoxdSettings {
    HttpOptions http;
    std::size_t max_body_bytes = 1 << 20;       // http.max_body_bytes
    std::chrono::milliseconds drain_timeout{};  // http.drain_timeout_ms
    std::string web_root;  // http.web_root; empty: the installed or source-tree dashboard (see web_root.hpp)
    std::filesystem::path data_dir;
    StorageSettings storage;
    std::string bootstrap_api_key;  // bootstrap.api_key (VOX_BOOTSTRAP_API_KEY)
    bool demo_agent = true;         // bootstrap.demo_agent
    AgentDefaults agents;
    CallSettings calls;
    PluginSettings plugin;
    LogSettings log;
};

// Throws ConfigError on the first value that is missing or malformed.
VoxdSettings read_settings(const LayeredConfig& config);

// The settings of one provider ("tts.flite"): every provider.<kind>.<name>.*
// key, environment included, as a JSON object (values through setting_to_json).
// Empty values are left out: they mean "not set".
nlohmann::json provider_settings(const LayeredConfig& config, std::string_view provider_key);

// Lines "key = value  (source)" of the effective configuration, secrets masked.
std::vector<std::string> describe_config(const LayeredConfig& config);

// The value with the password of a URL's user info replaced by "****".
std::string mask_url_password(std::string_view value);

// Whether a key holds a secret (api_key, token, password...), for logs and --print-config.
bool is_secret_key(std::string_view key);

}  // namespace vox::host
