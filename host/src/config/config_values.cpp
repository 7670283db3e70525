#include "config/config_values.hpp"

#include <cctype>

namespace vox::host {

std::string normalize_key(std::string_view key) {
    std::string normal(key);
    for (auto& c : normal) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return normal;
}

bool is_valid_key(std::string_view key) {
    if (key.empty() || key.front() == '.' || key.back() == '.') return false;
    char previous = '\0';
    for (char c : key) {
        bool word_char = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!word_char && c != '.') return false;
        if (c == '.' && previous == '.') return false;
        previous = c;
    }
    return true;
}

std::string unquote_value(std::string_view value) {
    if (value.size() < 2 || value.front() != '"' || value.back() != '"') return std::string(value);
    auto parsed = nlohmann::json::parse(value, nullptr, false);
    if (parsed.is_string()) return parsed.get<std::string>();  // JSON escapes (\", \n) apply
    return std::string(value.substr(1, value.size() - 2));
}

nlohmann::json setting_to_json(std::string_view value) {
    auto parsed = nlohmann::json::parse(value, nullptr, false);
    if (parsed.is_discarded()) return std::string(value);
    return parsed;
}

}  // namespace vox::host
