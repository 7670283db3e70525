#include "config/ini_parser.hpp"

#include "config/config_error.hpp"

#include <string>

namespace vox::host {
namespace {

std::string_view trim(std::string_view text) {
    const auto* spaces = " \t\r\f\v";
    auto first = text.find_first_not_of(spaces);
    if (first == std::string_view::npos) return {};
    auto last = text.find_last_not_of(spaces);
    return text.substr(first, last - first + 1);
}

}  // namespace

ConfigValues parse_ini(std::string_view text, std::string_view source) {
    ConfigValues values;
    std::string section;
    std::size_t line_number = 0;
    auto fail = [&](const std::string& what) {
        throw ConfigError(std::string(source) + ":" + std::to_string(line_number) + ": " + what);
    };

    std::size_t position = 0;
    while (position <= text.size()) {
        auto end = text.find('\n', position);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = trim(text.substr(position, end - position));
        position = end + 1;
        ++line_number;

        if (line.empty() || line.front() == ';' || line.front() == '#') continue;
        if (line.front() == '[') {
            if (line.back() != ']') fail("a section header must end with ']'");
            section = normalize_key(trim(line.substr(1, line.size() - 2)));
            if (!is_valid_key(section)) fail("bad section name [" + std::string(line.substr(1, line.size() - 2)) + "]");
            continue;
        }
        auto equals = line.find('=');
        if (equals == std::string_view::npos) fail("expected \"name = value\", a [section] or a comment");
        std::string name = normalize_key(trim(line.substr(0, equals)));
        std::string key = section.empty() ? name : section + "." + name;
        if (name.empty() || !is_valid_key(key)) fail("bad key \"" + std::string(trim(line.substr(0, equals))) + "\"");
        values[key] = std::string(trim(line.substr(equals + 1)));  // quotes are kept: see config_values.hpp
    }
    return values;
}

}  // namespace vox::host
