#include <vox/plugin_common/config_values.hpp>
#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace vox::plugin_common {

void invalid(const std::string& message) { throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, message); }

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? value : "";
}

long long whole_number(const nlohmann::json& value, const std::string& where, long long min, long long max) {
    long long number = 0;
    if (value.is_number_integer()) {
        number = value.get<long long>();
    } else if (value.is_string()) {
        std::string text = value.get<std::string>();
        char* end = nullptr;
        number = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || end == nullptr || *end != '\0') invalid(where + " must be a whole number");
    } else {
        invalid(where + " must be a whole number");
    }
    if (number < min || number > max)
        invalid(where + " must be from " + std::to_string(min) + " to " + std::to_string(max));
    return number;
}

std::string string_value(const nlohmann::json& value, const std::string& where) {
    if (!value.is_string()) invalid(where + " must be a string");
    return value.get<std::string>();
}

std::string redact(std::string text, const std::string& key) {
    if (key.empty()) return text;
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at))
        text.replace(at, key.size(), "[redacted]");
    return text;
}

}  // namespace vox::plugin_common
