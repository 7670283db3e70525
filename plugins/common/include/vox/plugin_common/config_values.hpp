// The rules every cloud plugin applies to its configuration: settings from
// VOX_PROVIDER_* environment variables arrive as strings, so numbers are
// accepted as JSON numbers or as text; a bad value is VOX_ERR_INVALID_ARGUMENT
// with `where` (e.g. `stt.deepgram: "model"`) naming it; and the API key never
// reaches a log line or an error message.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace vox::plugin_common {

// Throws sdk::Error(VOX_ERR_INVALID_ARGUMENT, message).
[[noreturn]] void invalid(const std::string& message);

// The environment variable `name`, or "" when unset.
std::string env(const char* name);

// A whole number from `min` to `max`, given as a number or as its text.
long long whole_number(const nlohmann::json& value, const std::string& where, long long min, long long max);

// A JSON string.
std::string string_value(const nlohmann::json& value, const std::string& where);

// `text` with every occurrence of `key` replaced by "[redacted]".
std::string redact(std::string text, const std::string& key);

}  // namespace vox::plugin_common
