// Configuration of provider llm.custom_websocket: where the user's server is,
// its key and the timings.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace vox::custom_llm {

struct Config {
    std::string url;      // ws://... or wss://..., required
    std::string api_key;  // sent as "Authorization: Bearer <key>"; never logged
    std::chrono::milliseconds connect_timeout{5000};
    std::chrono::milliseconds first_token_timeout{10000};  // response_required to first content or tool call
    std::chrono::milliseconds ping_interval{2000};
    int retries = 2;  // further connect attempts after a transient failure
    // PEM file of CAs trusted besides the system's (a private CA behind https/wss); "" for none.
    std::string ca_file;
};

// The plugin config {"llm.custom_websocket": {...}}. Throws sdk::Error
// (VOX_ERR_INVALID_ARGUMENT) for a bad setting or a missing url.
Config parse_plugin_config(std::string_view config_json);

const char* settings_schema_json();
const char* capabilities_json();

}  // namespace vox::custom_llm
