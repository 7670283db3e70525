#include "local_plugins.hpp"

#include <vox/core/plugin_loader.hpp>

#include <cstdlib>

namespace voxctl {

LocalPlugins::LocalPlugins(const std::string& plugin_path) : registry_(host_) {
    vox::PluginSearchOptions options;
    options.configured_path = plugin_path;
    if (options.configured_path.empty()) {
        const char* environment = std::getenv("VOX_PLUGIN_PATH");
        if (environment != nullptr) options.configured_path = environment;
    }
    search_path_ = vox::plugin_search_path(options);
    vox::PluginLoader(registry_).load_search_path(search_path_);
}

// Sessions are closed by now (they live inside the commands); this stops the
// work pool and deinitialises the plugins, in that order.
LocalPlugins::~LocalPlugins() { registry_.shutdown(); }

}  // namespace voxctl
