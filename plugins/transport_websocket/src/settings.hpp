// Settings of transport.websocket ([provider.transport.websocket] in voxd's
// configuration), their JSON Schema and the provider's static capabilities.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vox::transport_ws {

struct TransportSettings {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8081;      // 0: pick a free port (describe() says which)
    std::string public_url;          // what callers use when it differs from ws://host:port
    std::uint32_t max_calls = 200;   // connected plus expected callers
    std::uint32_t idle_timeout_ms = 15000;  // nothing from the client for this long: it vanished
};

// Reads a settings object over `base`; throws vox::sdk::Error
// (VOX_ERR_INVALID_ARGUMENT) naming the bad setting. Numbers may also come as
// strings ("8081"), as a hand-written configuration may have them.
TransportSettings parse_settings(std::string_view json, TransportSettings base = {});

// The "transport.websocket" member of the plugin's init config ("{}" when absent).
std::string configured_settings(std::string_view config_json);

const char* capabilities_json();
const char* settings_schema_json();

}  // namespace vox::transport_ws
