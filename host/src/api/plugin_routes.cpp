#include "api/plugin_routes.hpp"

#include "http/http_exchange.hpp"

namespace vox::host {

void add_plugin_routes(Router& router, const vox::PluginRegistry& plugins) {
    router.get("/api/plugins", [&plugins](HttpExchange& exchange) { exchange.send_json(200, plugins.to_json()); });
}

}  // namespace vox::host
