#include "api/plugin_routes.hpp"

#include "http/http_exchange.hpp"

namespace vox::host {

void add_plugin_routes(ApiRoutes& routes, const vox::PluginRegistry& plugins) {
    ApiOperation list{"get", "/api/plugins", "listPlugins", "Loaded providers and refused plugins",
                      "providers: key, kind, name, version, capabilities, settings_schema; plugins; refused: path and "
                      "reason; disabled: providers switched off by configuration.",
                      {"Plugins"}, {}, std::nullopt,
                      {{200, ApiResponse{"The registry", std::nullopt, {{"type", "object"}}, false, "application/json"}}}};
    routes.add(list, [&plugins](HttpExchange& exchange) { exchange.send_json(200, plugins.to_json()); });
}

}  // namespace vox::host
