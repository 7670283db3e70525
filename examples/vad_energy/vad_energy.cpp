// vad_energy: a small, complete Vox plugin offering the provider
// "vad.example_energy", a voice-activity detector that compares the loudness of
// each chunk (its RMS level in dBFS) with a threshold.
//
// It shows the whole shape of a C++ plugin: a provider class and its sessions,
// the plugin object that owns the providers, the static descriptor, and the
// exported entry symbol. See docs/plugins.md for the walk-through.
#include <vox/sdk.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#ifndef VAD_ENERGY_VERSION
#define VAD_ENERGY_VERSION "0.1.0"
#endif

namespace {

// What a session can be configured with; also the provider's defaults.
struct Settings {
    double threshold_db = -45.0;  // chunks louder than this count as speech
    double softness_db = 3.0;     // width of the transition around the threshold

    static constexpr double kMinThresholdDb = -96.0;  // the floor of 16-bit audio
    static constexpr double kMaxThresholdDb = 0.0;    // full scale

    // Reads the known fields of a settings object over these values. Throws
    // vox::sdk::Error(VOX_ERR_INVALID_ARGUMENT) on a malformed or out-of-range value:
    // the SDK turns it into a status code and message for the host.
    Settings with(std::string_view json_text) const {
        Settings result = *this;
        if (json_text.empty()) return result;
        auto json = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
        if (!json.is_object()) throw vox::sdk::Error(VOX_ERR_INVALID_ARGUMENT, "settings must be a JSON object");
        result.threshold_db = read(json, "threshold_db", threshold_db, kMinThresholdDb, kMaxThresholdDb);
        result.softness_db = read(json, "softness_db", softness_db, 0.1, 20.0);
        return result;
    }

private:
    static bool parse_number(const std::string& text, double& value) {
        char* end = nullptr;
        value = std::strtod(text.c_str(), &end);
        return !text.empty() && end == text.c_str() + text.size();
    }

    static std::string format(double value) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", value);
        return text;
    }

    // A number, or a string holding one ("-40", as a hand-written configuration
    // or an environment variable may give it).
    static double read(const nlohmann::json& json, const char* key, double fallback, double low, double high) {
        auto it = json.find(key);
        if (it == json.end()) return fallback;
        double value = 0.0;
        if (it->is_number()) {
            value = it->get<double>();
        } else if (!it->is_string() || !parse_number(it->get<std::string>(), value)) {
            throw vox::sdk::Error(VOX_ERR_INVALID_ARGUMENT, std::string(key) + " must be a number");
        }
        if (!(value >= low && value <= high))
            throw vox::sdk::Error(VOX_ERR_INVALID_ARGUMENT,
                                  std::string(key) + " must be between " + format(low) + " and " + format(high));
        return value;
    }
};

// The JSON Schema of the settings above (what the API and dashboard show).
constexpr const char* kSettingsSchema = R"({
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "properties": {
    "threshold_db": {"type": "number", "minimum": -96, "maximum": 0, "default": -45,
                     "description": "RMS level in dBFS above which a chunk counts as speech"},
    "softness_db": {"type": "number", "minimum": 0.1, "maximum": 20, "default": 3,
                    "description": "width of the transition from 0 to 1 around the threshold"}
  },
  "additionalProperties": false
})";

constexpr const char* kCapabilities = R"({
  "streaming": true,
  "sample_rates": [8000, 16000, 24000, 32000, 44100, 48000],
  "channels": [1, 2],
  "latency_ms": 0,
  "languages": ["*"]
})";

// RMS level of interleaved PCM16 in dBFS (0 is full scale); -inf for silence.
double rms_dbfs(const vox_audio& audio) {
    const std::size_t count = audio.frames * audio.channels;
    if (count == 0) return -INFINITY;
    double sum = 0.0;
    for (std::size_t i = 0; i < count; ++i) {
        const double sample = audio.samples[i] / 32768.0;
        sum += sample * sample;
    }
    const double rms = std::sqrt(sum / static_cast<double>(count));
    return rms > 0.0 ? 20.0 * std::log10(rms) : -INFINITY;
}

// One detector per call. The host calls a session from one thread at a time
// (the call's strand), so it needs no lock.
class EnergySession : public vox::sdk::VadSession {
public:
    EnergySession(Settings settings, std::uint32_t sample_rate) : settings_(settings), sample_rate_(sample_rate) {}

    // Speech probability: a logistic curve of the level around the threshold,
    // 0.5 exactly at the threshold.
    float process(const vox_audio& audio) override {
        if (audio.samples == nullptr && audio.frames != 0)
            throw vox::sdk::Error(VOX_ERR_INVALID_ARGUMENT, "audio has frames but no samples");
        if (audio.sample_rate != sample_rate_)
            throw vox::sdk::Error(VOX_ERR_INVALID_ARGUMENT, "audio at " + std::to_string(audio.sample_rate) +
                                                                " Hz, but the session was opened for " +
                                                                std::to_string(sample_rate_) + " Hz");
        const double level = rms_dbfs(audio);
        if (std::isinf(level)) return 0.0F;
        const double x = (level - settings_.threshold_db) / settings_.softness_db;
        return static_cast<float>(1.0 / (1.0 + std::exp(-x)));
    }

    void reset() noexcept override {}  // no state carried between chunks

private:
    Settings settings_;
    std::uint32_t sample_rate_;
};

class EnergyVad : public vox::sdk::VadProvider {
public:
    explicit EnergyVad(Settings defaults) : defaults_(defaults) {}

    std::unique_ptr<vox::sdk::VadSession> open(std::string_view settings_json, std::uint32_t sample_rate) override {
        if (sample_rate == 0) throw vox::sdk::Error(VOX_ERR_INVALID_ARGUMENT, "sample_rate must be positive");
        return std::make_unique<EnergySession>(defaults_.with(settings_json), sample_rate);
    }

private:
    Settings defaults_;
};

// The plugin object: created by init() with the host's services and the
// configured settings of this plugin's providers, destroyed by deinit().
struct EnergyPlugin : vox::sdk::Plugin {
    EnergyPlugin(vox::sdk::Host host, std::string_view config_json) : Plugin(host), vad(defaults_from(config_json)) {
        this->host().info("vad.example_energy ready");
    }

    // config_json maps "<kind>.<name>" to the configured settings, e.g.
    // {"vad.example_energy": {"threshold_db": -40}}.
    static Settings defaults_from(std::string_view config_json) {
        auto config = nlohmann::json::parse(config_json, nullptr, /*allow_exceptions=*/false);
        if (!config.is_object() || !config.contains("vad.example_energy")) return Settings{};
        return Settings{}.with(config["vad.example_energy"].dump());
    }

    EnergyVad vad;
};

const vox_plugin_descriptor* describe_plugin() {
    static const vox_provider vad = vox::sdk::vad_provider<&EnergyPlugin::vad>(
        {"example_energy", "Energy-threshold voice-activity detector (example plugin)", kCapabilities,
         kSettingsSchema});
    static const vox_provider* const providers[] = {&vad};
    static const vox_plugin_descriptor descriptor = vox::sdk::plugin_descriptor<EnergyPlugin>(
        {"vad_energy", VAD_ENERGY_VERSION, "Example out-of-tree plugin: an energy-based VAD"}, providers);
    return &descriptor;
}

}  // namespace

// The one exported symbol: vox_plugin_entry() returns the descriptor above.
VOX_PLUGIN_ENTRY(describe_plugin)
