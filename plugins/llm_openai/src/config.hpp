// Configuration of provider llm.openai: where the server is, the key, the
// timeouts, and the per-request settings schema and capabilities.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vox::openai {

struct Config {
    std::string base_url = "https://api.openai.com/v1";  // without a trailing '/'
    std::string api_key;                                 // never logged, never in an error
    std::string model;                                   // default model when a request names none
    std::string organization;                            // OpenAI-Organization header, when set
    std::optional<double> temperature;                   // default when a request gives none
    std::vector<std::string> models;                     // fallback for list_models when /models fails
    std::chrono::milliseconds connect_timeout{10000};
    std::chrono::milliseconds first_byte_timeout{30000};  // from the request sent to the response headers
    std::chrono::milliseconds read_timeout{30000};        // longest silence between two chunks
    std::chrono::seconds models_cache{300};
    // PEM file of CAs trusted besides the system's (a private CA behind https); "" for none.
    std::string ca_file;
};

// The plugin config {"llm.openai": {...}} over the defaults, which come from
// $OPENAI_BASE_URL and $OPENAI_API_KEY. Throws sdk::Error: VOX_ERR_INVALID_ARGUMENT
// for a bad setting, VOX_ERR_AUTH for an https:// server without a key.
Config parse_plugin_config(std::string_view config_json);

const char* settings_schema_json();
const char* capabilities_json();

}  // namespace vox::openai
