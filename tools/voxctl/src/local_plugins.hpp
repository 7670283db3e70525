// Plugins loaded into this process, the way voxd loads them: every plugin on
// the search path (--plugin-path, else $VOX_PLUGIN_PATH, then the directory
// installed next to the executable) initialised into a registry. Used by the
// subcommands that run providers locally.
#pragma once

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_registry.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace voxctl {

// The plugin search options every local command accepts.
inline constexpr const char* kPluginPathOption = "plugin-path";
inline constexpr const char* kPluginPathHelp =
    "':'-separated plugin directories, searched before the built-in one (default: $VOX_PLUGIN_PATH)";

class LocalPlugins {
public:
    // `plugin_path` is the --plugin-path value; empty falls back to $VOX_PLUGIN_PATH.
    explicit LocalPlugins(const std::string& plugin_path);
    ~LocalPlugins();
    LocalPlugins(const LocalPlugins&) = delete;
    LocalPlugins& operator=(const LocalPlugins&) = delete;

    vox::PluginRegistry& registry() { return registry_; }
    const std::vector<std::filesystem::path>& search_path() const { return search_path_; }

private:
    vox::HostServices host_;
    vox::PluginRegistry registry_;
    std::vector<std::filesystem::path> search_path_;
};

}  // namespace voxctl
