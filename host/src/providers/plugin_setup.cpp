#include "providers/plugin_setup.hpp"

#include <vox/core/log.hpp>
#include <vox/core/plugin_loader.hpp>

#include <algorithm>

namespace vox::host {

vox::RegistryOptions registry_options(const LayeredConfig& config, const PluginSettings& settings) {
    vox::RegistryOptions options;
    options.disabled = settings.disabled;
    options.settings_for = [&config](const std::string& provider_key) {
        return provider_settings(config, provider_key);
    };
    return options;
}

void load_plugins(vox::PluginRegistry& registry, const PluginSettings& settings) {
    auto directories = vox::plugin_search_path({settings.path, settings.builtin});
    nlohmann::json searched = nlohmann::json::array();
    for (const auto& directory : directories) searched.push_back(directory.string());
    vox::log::info("plugins", "loading plugins", {{"search_path", searched}});

    vox::PluginLoader(registry).load_search_path(directories);

    // A disabled key that matches nothing is most likely a typo: say so.
    for (const auto& key : settings.disabled) {
        const auto& disabled = registry.disabled();
        bool matched = std::any_of(disabled.begin(), disabled.end(), [&](const auto& d) { return d.key == key; });
        if (!matched)
            vox::log::warn("plugins", "plugin.disabled names a provider that no plugin offers", {{"provider", key}});
    }
    vox::log::info("plugins", "plugins loaded",
                   {{"plugins", registry.plugins().size()},
                    {"providers", registry.providers().size()},
                    {"refused", registry.refused().size()},
                    {"disabled", registry.disabled().size()}});
}

}  // namespace vox::host
