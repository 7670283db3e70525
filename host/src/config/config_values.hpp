// A flat set of configuration values keyed by lower-case dotted names ("http.port").
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace vox::host {

using ConfigValues = std::map<std::string, std::string, std::less<>>;

// Keys are case-insensitive: they are stored lower-cased.
std::string normalize_key(std::string_view key);

// A key is made of [a-z0-9_-] words joined by single dots.
bool is_valid_key(std::string_view key);

// Values are text, wherever they come from (file, environment, command line).
// A value in double quotes is a JSON string: "  slt " keeps its spaces and
// "1234" stays text for a provider. unquote_value gives the text inside.
std::string unquote_value(std::string_view value);

// A provider setting as the JSON its plugin receives: a value that is valid
// JSON (1.5, true, ["en-US"], "quoted") is passed as that JSON; any other
// text (slt, sk-abc) is passed as a string.
nlohmann::json setting_to_json(std::string_view value);

}  // namespace vox::host
