#include "settings.hpp"

#include "speex_detector.hpp"

#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

namespace vox::speexdsp {
namespace {

constexpr double kMinFloorDbfs = -96.0;  // the floor of 16-bit audio: only digital silence is cut
constexpr double kMaxFloorDbfs = 0.0;

[[noreturn]] void invalid(const std::string& message) { throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, message); }

std::string format(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return text;
}

double number_in(const nlohmann::json& value, const std::string& where, const char* key, double low, double high) {
    std::string range = format(low) + " to " + format(high);
    if (!value.is_number()) invalid(where + ": \"" + key + "\" must be a number from " + range);
    double number = value.get<double>();
    if (!(number >= low && number <= high))
        invalid(where + ": \"" + key + "\" must be from " + range + ", got " + value.dump());
    return number;
}

Settings apply(const nlohmann::json& object, Settings settings, const std::string& where) {
    if (!object.is_object()) invalid(where + " must be a JSON object, got " + std::string(object.type_name()));
    for (const auto& [key, value] : object.items()) {
        if (key == "prob_start")
            settings.prob_start = number_in(value, where, "prob_start", 0.0, 1.0);
        else if (key == "prob_continue")
            settings.prob_continue = number_in(value, where, "prob_continue", 0.0, 1.0);
        else if (key == "energy_floor_dbfs")
            settings.energy_floor_dbfs = number_in(value, where, "energy_floor_dbfs", kMinFloorDbfs, kMaxFloorDbfs);
        else
            invalid(where + ": unknown setting \"" + key + "\" (known: prob_start, prob_continue, energy_floor_dbfs)");
    }
    if (settings.prob_continue > settings.prob_start)
        invalid(where + ": \"prob_continue\" (" + format(settings.prob_continue) +
                ") must not exceed \"prob_start\" (" + format(settings.prob_start) +
                "): staying in speech cannot be harder than entering it");
    return settings;
}

}  // namespace

Settings parse_settings(std::string_view json, const Settings& defaults) {
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return defaults;
    auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded()) invalid("settings are not valid JSON: " + std::string(json.substr(0, 200)));
    return apply(parsed, defaults, "settings");
}

Settings parse_plugin_config(std::string_view config_json) {
    Settings defaults;
    if (config_json.find_first_not_of(" \t\r\n") == std::string_view::npos) return defaults;
    auto config = nlohmann::json::parse(config_json, nullptr, false);
    if (config.is_discarded() || !config.is_object()) invalid("plugin config is not a JSON object");
    auto found = config.find("vad.speexdsp");
    if (found == config.end() || found->is_null()) return defaults;
    return apply(*found, defaults, "configuration of vad.speexdsp");
}

const char* settings_schema_json() {
    static const std::string schema = [] {
        Settings defaults;
        nlohmann::json document = {
            {"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"title", "vad.speexdsp settings"},
            {"type", "object"},
            {"additionalProperties", false},
            {"properties",
             {{"prob_start",
               {{"type", "number"},
                {"minimum", 0},
                {"maximum", 1},
                {"default", defaults.prob_start},
                {"description", "Speech probability needed to go from silence to speech"}}},
              {"prob_continue",
               {{"type", "number"},
                {"minimum", 0},
                {"maximum", 1},
                {"default", defaults.prob_continue},
                {"description", "Speech probability needed to stay in speech (at most prob_start)"}}},
              {"energy_floor_dbfs",
               {{"type", "number"},
                {"minimum", kMinFloorDbfs},
                {"maximum", kMaxFloorDbfs},
                {"default", defaults.energy_floor_dbfs},
                {"description", "Frames quieter than this RMS level (dBFS) are never speech"}}}}}};
        return document.dump();
    }();
    return schema.c_str();
}

const char* capabilities_json() {
    static const std::string capabilities =
        nlohmann::json{{"streaming", true},    {"sample_rates", {8000, 16000}}, {"channels", {1, 2}},
                       {"frame_ms", kFrameMs}, {"latency_ms", kFrameMs},        {"languages", {"*"}}}
            .dump();
    return capabilities.c_str();
}

}  // namespace vox::speexdsp
