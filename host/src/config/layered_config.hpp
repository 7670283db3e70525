// Configuration as a stack of layers: built-in defaults, a file, the
// environment, the command line. A key's value comes from the highest layer
// that sets it, and the config remembers which layer that was, so an error can
// say "VOX_HTTP_PORT=abc" rather than just "bad port".
#pragma once

#include "config/config_values.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vox::host {

// The environment variable that overrides `key`: "VOX_" + the key upper-cased
// with '.' and '-' turned into '_' (http.port -> VOX_HTTP_PORT).
std::string environment_variable_for(std::string_view key);

struct ResolvedValue {
    std::string value;
    std::string source;  // "built-in defaults", "config file x.ini", "environment variable VOX_X", "command line"
};

class LayeredConfig {
public:
    // Adds a layer of key/values above the existing ones.
    void add_values(std::string source, ConfigValues values);
    // Adds the environment (variable name -> value) above the existing layers.
    // It holds no key names of its own: it answers for every key through the
    // key's variable, including keys nobody wrote down (provider settings).
    void add_environment(ConfigValues variables);

    std::optional<ResolvedValue> find(std::string_view key) const;
    std::string get(std::string_view key, std::string_view fallback = {}) const;

    // Every key some layer names (the environment names none), sorted.
    std::vector<std::string> keys() const;
    // Keys the lowest layer (the built-in defaults) does not define: likely typos.
    std::vector<std::string> keys_unknown_to_base() const;
    // The values under "<prefix>.", keyed by what follows the prefix, the
    // environment's VOX_<PREFIX>_<NAME> variables included (NAME lower-cased).
    ConfigValues section(std::string_view prefix) const;
    // VOX_* variables of the environment layer that match no key, except those
    // starting with one of `open_prefixes` (e.g. "VOX_PROVIDER_").
    ConfigValues unmatched_environment(const std::vector<std::string>& open_prefixes) const;

private:
    struct Layer {
        std::string source;
        ConfigValues values;
        bool is_environment = false;
    };
    std::vector<Layer> layers_;  // lowest first
};

}  // namespace vox::host
