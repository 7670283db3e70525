// The "websocket" plugin: provider transport.websocket, web calls over one
// WebSocket per caller (docs/protocol.md section 2).
#include "settings.hpp"
#include "websocket_transport.hpp"

#include <vox/sdk/plugin.hpp>
#include <vox/sdk/transport.hpp>

#include <string_view>

namespace vox::transport_ws {
namespace {

struct WebSocketPlugin : sdk::Plugin {
    // The configured settings ({"transport.websocket": {...}}) are the defaults start() builds on.
    WebSocketPlugin(sdk::Host host, std::string_view config_json)
        : Plugin(host), transport(host, parse_settings(configured_settings(config_json))) {}
    WebSocketTransport transport;
};

const vox_plugin_descriptor* websocket_descriptor() {
    static const vox_provider transport = sdk::transport_provider<&WebSocketPlugin::transport>(
        {"websocket", "Web calls: caller audio, agent audio and events over one WebSocket (docs/protocol.md)",
         capabilities_json(), settings_schema_json()});
    static const vox_provider* const providers[] = {&transport};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<WebSocketPlugin>(
        {"websocket", "1.0.0", "WebSocket transport for web calls"}, providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::transport_ws

VOX_PLUGIN_ENTRY(vox::transport_ws::websocket_descriptor)
