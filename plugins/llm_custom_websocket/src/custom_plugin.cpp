// The "custom_websocket" plugin: provider llm.custom_websocket, the user's own
// LLM server over one persistent WebSocket (protocol: ../README.md).
#include "config.hpp"
#include "custom_llm.hpp"

#include <vox/sdk/llm.hpp>
#include <vox/sdk/plugin.hpp>

#include <string_view>

namespace vox::custom_llm {
namespace {

struct CustomWebsocketPlugin : sdk::Plugin {
    CustomWebsocketPlugin(sdk::Host host, std::string_view config_json)
        : Plugin(host), llm(host, parse_plugin_config(config_json)) {}
    CustomLlm llm;
};

const vox_plugin_descriptor* custom_websocket_descriptor() {
    static const vox_provider llm = sdk::llm_provider<&CustomWebsocketPlugin::llm>(
        {"custom_websocket", "Your own LLM server over a WebSocket (Retell-style response_required/response frames)",
         capabilities_json(), settings_schema_json()});
    static const vox_provider* const providers[] = {&llm};
    static const vox_plugin_descriptor descriptor = sdk::plugin_descriptor<CustomWebsocketPlugin>(
        {"custom_websocket", "1.0.0", "LLM provider for a user's own server speaking a small WebSocket protocol"},
        providers);
    return &descriptor;
}

}  // namespace
}  // namespace vox::custom_llm

VOX_PLUGIN_ENTRY(vox::custom_llm::custom_websocket_descriptor)
