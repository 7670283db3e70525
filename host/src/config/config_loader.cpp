#include "config/config_loader.hpp"

#include "config/config_error.hpp"
#include "config/ini_parser.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

extern char** environ;  // POSIX: the process environment

namespace vox::host {
namespace {

std::string read_config_file(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw ConfigError("cannot read config file " + path.string() + ": it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("cannot read config file " + path.string() + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw ConfigError("cannot read config file " + path.string() + ": read error");
    return text.str();
}

ConfigValues parse_overrides(const std::vector<std::string>& overrides) {
    ConfigValues values;
    for (const auto& item : overrides) {
        auto equals = item.find('=');
        std::string key = normalize_key(item.substr(0, equals));
        if (equals == std::string::npos || !is_valid_key(key))
            throw ConfigError("--set expects key=value (e.g. --set http.port=9000), got \"" + item + "\"");
        values[key] = item.substr(equals + 1);
    }
    return values;
}

}  // namespace

ConfigValues vox_environment() {
    ConfigValues variables;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string_view text(*entry);
        auto equals = text.find('=');
        if (equals == std::string_view::npos || text.rfind("VOX_", 0) != 0) continue;
        variables.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
    return variables;
}

std::optional<std::filesystem::path> chosen_config_file(const ConfigSources& sources) {
    if (sources.file) return sources.file;
    if (auto found = sources.environment.find(kConfigFileVariable);
        found != sources.environment.end() && !found->second.empty())
        return std::filesystem::path(found->second);
    return std::nullopt;
}

LayeredConfig load_config(const ConfigSources& sources) {
    LayeredConfig config;
    config.add_values("built-in defaults", parse_ini(sources.defaults_ini, "built-in defaults"));
    if (auto file = chosen_config_file(sources)) {
        std::string source = "config file " + file->string();
        config.add_values(source, parse_ini(read_config_file(*file), file->string()));
    }
    config.add_environment(sources.environment);
    config.add_values("command line", parse_overrides(sources.overrides));
    return config;
}

}  // namespace vox::host
