// Routes about plugins and their providers:
//   GET  /api/plugins -> {"generation","loaded_at","providers":[{key,kind,name,version,capabilities,
//                         settings_schema,...}],"plugins":[...],"refused":[{path,reason}],"disabled":[{key,path}]}
//   POST /api/system/reload -> re-reads the configuration and switches new calls to the new providers
//                              (the same as SIGHUP; docs/api.md "Reloading the configuration")
#pragma once

#include "api/api_routes.hpp"
#include "app/config_reload.hpp"
#include "providers/provider_catalog.hpp"

namespace vox::host {

// Both must outlive the router's use (voxd keeps them until the server stopped).
void add_plugin_routes(ApiRoutes& routes, const ProviderCatalog& providers, ConfigReloader& reloader);

}  // namespace vox::host
