// Routes about plugins and their providers:
//   GET /api/plugins -> {"providers":[{key,kind,name,version,capabilities,settings_schema,...}],
//                        "plugins":[...], "refused":[{path,reason}], "disabled":[{key,path}]}
#pragma once

#include "api/api_routes.hpp"

#include <vox/core/plugin_registry.hpp>

namespace vox::host {

// `plugins` must outlive the router's use (voxd keeps it until the server stopped).
void add_plugin_routes(ApiRoutes& routes, const vox::PluginRegistry& plugins);

}  // namespace vox::host
