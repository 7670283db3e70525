#include "settings.hpp"

#include "engine.hpp"
#include "voices.hpp"

#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>

namespace vox::espeak {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, message); }

// A whole number within [low, high] (JSON 120 or 120.0, not 120.5).
int whole_number(const nlohmann::json& value, const std::string& where, const char* key, int low, int high) {
    std::string range = std::to_string(low) + " to " + std::to_string(high);
    if (!value.is_number()) invalid(where + ": \"" + key + "\" must be a number from " + range);
    double number = value.get<double>();
    if (!(number >= low && number <= high))
        invalid(where + ": \"" + key + "\" must be from " + range + ", got " + value.dump());
    if (number != std::floor(number)) invalid(where + ": \"" + key + "\" must be a whole number, got " + value.dump());
    return static_cast<int>(number);
}

Settings apply(const nlohmann::json& object, Settings settings, const std::string& where) {
    if (!object.is_object()) invalid(where + " must be a JSON object, got " + std::string(object.type_name()));
    for (const auto& [key, value] : object.items()) {
        if (key == "voice") {
            if (!value.is_string()) invalid(where + ": \"voice\" must be a string (one of: " + voice_id_list() + ")");
            auto id = value.get<std::string>();
            if (find_voice_info(id) == nullptr)
                throw sdk::Error(VOX_ERR_UNSUPPORTED,
                                 where + ": unknown espeak voice '" + id + "' (available: " + voice_id_list() + ")");
            settings.voice = id;
        } else if (key == "rate") {
            settings.rate = whole_number(value, where, "rate", kMinRate, kMaxRate);
        } else if (key == "pitch") {
            settings.pitch = whole_number(value, where, "pitch", kMinPitch, kMaxPitch);
        } else if (key == "speed") {
            if (!value.is_number()) invalid(where + ": \"speed\" must be a number from 0.5 to 2");
            double speed = value.get<double>();
            if (!(speed >= kMinSpeed && speed <= kMaxSpeed))
                invalid(where + ": \"speed\" must be from 0.5 to 2, got " + value.dump());
            settings.speed = speed;
        } else {
            invalid(where + ": unknown setting \"" + key + "\" (known: voice, rate, pitch, speed)");
        }
    }
    int wpm = settings.words_per_minute();
    if (wpm < kMinRate || wpm > kMaxRate)
        invalid(where + ": rate x speed is " + std::to_string(wpm) + " words per minute; espeak speaks " +
                std::to_string(kMinRate) + " to " + std::to_string(kMaxRate));
    return settings;
}

}  // namespace

int Settings::words_per_minute() const { return static_cast<int>(std::lround(rate * speed)); }

Settings default_settings() { return Settings{std::string(default_voice_id()), kDefaultRate, kDefaultPitch, 1.0}; }

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
    auto found = config.find("tts.espeak");
    if (found == config.end() || found->is_null()) return defaults;
    return apply(*found, defaults, "configuration of tts.espeak");
}

const char* settings_schema_json() {
    static const std::string schema = [] {
        nlohmann::json ids = nlohmann::json::array();
        for (const auto& voice : voice_catalog()) ids.push_back(voice.id);
        nlohmann::json document = {
            {"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"title", "tts.espeak settings"},
            {"type", "object"},
            {"additionalProperties", false},
            {"properties",
             {{"voice",
               {{"type", "string"},
                {"enum", ids},
                {"default", default_voice_id()},
                {"description", "Which espeak-ng voice speaks: a language, optionally with a variant (+f3)"}}},
              {"rate",
               {{"type", "integer"},
                {"minimum", kMinRate},
                {"maximum", kMaxRate},
                {"default", kDefaultRate},
                {"description", "Speaking rate in words per minute"}}},
              {"pitch",
               {{"type", "integer"},
                {"minimum", kMinPitch},
                {"maximum", kMaxPitch},
                {"default", kDefaultPitch},
                {"description", "Base pitch: 0 lowest, 50 normal, 100 highest"}}},
              {"speed",
               {{"type", "number"},
                {"minimum", kMinSpeed},
                {"maximum", kMaxSpeed},
                {"default", 1.0},
                {"description", "Multiplies rate (2 is twice as fast); rate x speed must stay within 80..450"}}}}}};
        return document.dump();
    }();
    return schema.c_str();
}

const char* capabilities_json() {
    static const std::string capabilities = [] {
        nlohmann::json voices = nlohmann::json::array();
        std::set<std::string> languages;
        for (const auto& voice : voice_catalog()) {
            voices.push_back({{"id", voice.id},
                              {"name", voice.name},
                              {"gender", voice.gender},
                              {"language", voice.language},
                              {"sample_rate", kNativeSampleRate},
                              {"description", voice.description}});
            languages.insert(std::string(voice.language));
        }
        nlohmann::json document = {{"streaming", true},      {"word_timing", true},
                                   {"languages", languages}, {"sample_rates", {kNativeSampleRate}},
                                   {"channels", 1},          {"default_voice", default_voice_id()},
                                   {"voices", voices}};
        return document.dump();
    }();
    return capabilities.c_str();
}

}  // namespace vox::espeak
