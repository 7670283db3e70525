#include "settings.hpp"

#include "voices.hpp"

#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <set>

namespace vox::flite {
namespace {

constexpr double kMinSpeed = 0.5;
constexpr double kMaxSpeed = 2.0;

[[noreturn]] void invalid(const std::string& message) { throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, message); }

Settings apply(const nlohmann::json& object, Settings settings, const std::string& where) {
    if (!object.is_object()) invalid(where + " must be a JSON object, got " + std::string(object.type_name()));
    for (const auto& [key, value] : object.items()) {
        if (key == "voice") {
            if (!value.is_string()) invalid(where + ": \"voice\" must be a string (one of: " + voice_id_list() + ")");
            auto id = value.get<std::string>();
            if (find_voice_info(id) == nullptr)
                throw sdk::Error(VOX_ERR_UNSUPPORTED,
                                 where + ": unknown flite voice '" + id + "' (available: " + voice_id_list() + ")");
            settings.voice = id;
        } else if (key == "speed") {
            if (!value.is_number()) invalid(where + ": \"speed\" must be a number from 0.5 to 2");
            double speed = value.get<double>();
            if (!(speed >= kMinSpeed && speed <= kMaxSpeed))
                invalid(where + ": \"speed\" must be from 0.5 to 2, got " + value.dump());
            settings.speed = speed;
        } else {
            invalid(where + ": unknown setting \"" + key + "\" (known: voice, speed)");
        }
    }
    return settings;
}

}  // namespace

Settings default_settings() { return Settings{std::string(default_voice_id()), 1.0}; }

Settings parse_settings(std::string_view json, const Settings& defaults) {
    if (json.find_first_not_of(" \t\r\n") == std::string_view::npos) return defaults;
    auto parsed = nlohmann::json::parse(json, nullptr, false);
    if (parsed.is_discarded()) invalid("settings are not valid JSON: " + std::string(json.substr(0, 200)));
    return apply(parsed, defaults, "settings");
}

Settings parse_plugin_config(std::string_view config_json) {
    Settings defaults = default_settings();
    if (config_json.find_first_not_of(" \t\r\n") == std::string_view::npos) return defaults;
    auto config = nlohmann::json::parse(config_json, nullptr, false);
    if (config.is_discarded() || !config.is_object()) invalid("plugin config is not a JSON object");
    auto found = config.find("tts.flite");
    if (found == config.end() || found->is_null()) return defaults;
    return apply(*found, defaults, "configuration of tts.flite");
}

const char* settings_schema_json() {
    static const std::string schema = [] {
        nlohmann::json ids = nlohmann::json::array();
        for (const auto& voice : voice_catalog()) ids.push_back(voice.id);
        nlohmann::json document = {
            {"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"title", "tts.flite settings"},
            {"type", "object"},
            {"additionalProperties", false},
            {"properties",
             {{"voice",
               {{"type", "string"},
                {"enum", ids},
                {"default", default_voice_id()},
                {"description", "Which flite voice speaks (see the voices capability)"}}},
              {"speed",
               {{"type", "number"},
                {"minimum", kMinSpeed},
                {"maximum", kMaxSpeed},
                {"default", 1.0},
                {"description", "Speaking rate: 2 is twice as fast (flite duration_stretch = 1/speed)"}}}}}};
        return document.dump();
    }();
    return schema.c_str();
}

const char* capabilities_json() {
    static const std::string capabilities = [] {
        nlohmann::json voices = nlohmann::json::array();
        std::set<std::uint32_t> rates;
        for (const auto& voice : voice_catalog()) {
            voices.push_back({{"id", voice.id},
                              {"name", voice.name},
                              {"gender", voice.gender},
                              {"language", "en-US"},
                              {"sample_rate", voice.sample_rate},
                              {"description", voice.description}});
            rates.insert(voice.sample_rate);
        }
        nlohmann::json document = {{"streaming", true},      {"word_timing", true},
                                   {"languages", {"en-US"}}, {"sample_rates", rates},
                                   {"channels", 1},          {"default_voice", default_voice_id()},
                                   {"voices", voices}};
        return document.dump();
    }();
    return capabilities.c_str();
}

}  // namespace vox::flite
