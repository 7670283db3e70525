// Finds plugin files on the search path and opens them (local symbols, never
// unloaded), handing each entry point to the registry.
#pragma once

#include <vox/core/plugin_registry.hpp>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace vox {

struct PluginSearchOptions {
    std::string configured_path;  // ':'-separated directories (config key plugin.path / VOX_PLUGIN_PATH)
    bool include_builtin = true;  // also the plugins installed next to the executable
};

// The directories to search, in order: the configured ones, then the built-in
// directory (<executable dir>/<VOX_PLUGIN_DIR_FROM_BIN>). Duplicates removed.
std::vector<std::filesystem::path> plugin_search_path(const PluginSearchOptions& options);

// The directory where plugins sit relative to the running executable.
std::filesystem::path builtin_plugin_directory();

class PluginLoader {
public:
    explicit PluginLoader(PluginRegistry& registry) : registry_(registry) {}

    // Loads every shared library (*.so) in each directory, in name order. A
    // missing directory is logged and skipped.
    void load_search_path(const std::vector<std::filesystem::path>& directories);
    void load_directory(const std::filesystem::path& directory);
    // Opens one file and registers it; false (and a recorded reason) if refused.
    bool load_file(const std::filesystem::path& file);

private:
    PluginRegistry& registry_;
};

}  // namespace vox
