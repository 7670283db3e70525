// Gauges that describe the running daemon rather than its traffic:
//   vox_build_info{version,git_sha,compiler} 1
//   vox_start_time_seconds                      (Unix time voxd started)
//   vox_plugins_loaded, vox_plugins_refused, vox_providers_disabled
//   vox_providers{kind}                         (every kind, 0 included)
#pragma once

#include "app/build_info.hpp"

#include <vox/core/plugin_registry.hpp>

#include <prometheus/registry.h>

namespace vox::host {

void publish_build_info(prometheus::Registry& registry, const BuildInfo& info);
// Plugins are loaded once at start-up, so the counts are set once, after loading.
void publish_plugin_counts(prometheus::Registry& registry, const vox::PluginRegistry& plugins);

}  // namespace vox::host
