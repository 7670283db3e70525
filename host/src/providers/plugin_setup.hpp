// Turns the plugin settings into what core's registry and loader need, and
// loads every plugin on the search path: the configured plugin.path first,
// then the built-in directory next to the executable (unless plugin.builtin
// is false). A plugin that cannot be loaded is refused and recorded; it never
// stops voxd.
#pragma once

#include "config/layered_config.hpp"
#include "config/voxd_settings.hpp"

#include <vox/core/plugin_registry.hpp>

namespace vox::host {

// Disabled keys from plugin.disabled; each provider's settings from
// provider.<kind>.<name>.* (environment included). `config` must outlive the result.
vox::RegistryOptions registry_options(const LayeredConfig& config, const PluginSettings& settings);

// Loads the search path into `registry` and logs what happened.
void load_plugins(vox::PluginRegistry& registry, const PluginSettings& settings);

}  // namespace vox::host
