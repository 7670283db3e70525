// Structured logging: one line per event with a component, a message and
// fields. voxd writes JSON lines; command-line tools write readable text.
#pragma once

#include <nlohmann/json.hpp>
#include <spdlog/common.h>

#include <string_view>

namespace vox::log {

enum class Format { json, text };

// Installs the process-wide logger (stderr). Safe to call again to change it.
void configure(Format format, spdlog::level::level_enum level);
// Parses "trace".."critical"/"off"; returns false on an unknown name.
bool parse_level(std::string_view name, spdlog::level::level_enum& level);

void write(spdlog::level::level_enum level, std::string_view component, std::string_view message,
           const nlohmann::json& fields = nlohmann::json::object());

inline void debug(std::string_view component, std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    write(spdlog::level::debug, component, message, fields);
}
inline void info(std::string_view component, std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    write(spdlog::level::info, component, message, fields);
}
inline void warn(std::string_view component, std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    write(spdlog::level::warn, component, message, fields);
}
inline void error(std::string_view component, std::string_view message, const nlohmann::json& fields = nlohmann::json::object()) {
    write(spdlog::level::err, component, message, fields);
}

}  // namespace vox::log
