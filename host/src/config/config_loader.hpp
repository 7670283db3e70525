// Builds voxd's layered configuration from its four sources, lowest first:
// the built-in defaults (config/voxd.ini, compiled in), the --config file,
// the VOX_* environment, and --set key=value from the command line.
#pragma once

#include "config/layered_config.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vox::host {

// The variable that names a config file when --config is not given.
inline constexpr std::string_view kConfigFileVariable = "VOX_CONFIG";

struct ConfigSources {
    std::string_view defaults_ini;              // INI text of the defaults
    std::optional<std::filesystem::path> file;  // --config FILE
    ConfigValues environment;                   // VOX_* variables (name -> value)
    std::vector<std::string> overrides;         // "key=value" from the command line, in order
};

// The VOX_* variables of this process.
ConfigValues vox_environment();

// The config file in effect: --config, else $VOX_CONFIG, else none.
std::optional<std::filesystem::path> chosen_config_file(const ConfigSources& sources);

// Throws ConfigError when the file cannot be read or parsed, or an override
// is not "key=value".
LayeredConfig load_config(const ConfigSources& sources);

}  // namespace vox::host
