#include "config.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/tls.hpp>
#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace vox::custom_llm {
namespace {

[[noreturn]] void invalid(const std::string& message) {
    throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "llm.custom_websocket: " + message);
}

// Settings from VOX_PROVIDER_LLM_CUSTOM_WEBSOCKET_* arrive as strings: accept both.
long long integer(const nlohmann::json& value, const std::string& key, long long min, long long max) {
    return plugin_common::whole_number(value, "llm.custom_websocket: \"" + key + "\"", min, max);
}

std::string text(const nlohmann::json& value, const std::string& key) {
    return plugin_common::string_value(value, "llm.custom_websocket: \"" + key + "\"");
}

}  // namespace

Config parse_plugin_config(std::string_view config_json) {
    Config config;
    if (config_json.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        auto document = nlohmann::json::parse(config_json, nullptr, false);
        if (document.is_discarded() || !document.is_object()) invalid("plugin config is not a JSON object");
        auto found = document.find("llm.custom_websocket");
        if (found != document.end() && !found->is_null()) {
            if (!found->is_object()) invalid("its configuration must be a JSON object");
            for (const auto& [key, value] : found->items()) {
                if (key == "url") {
                    config.url = text(value, key);
                } else if (key == "api_key") {
                    config.api_key = text(value, key);
                } else if (key == "ca_file") {
                    config.ca_file = plugin_common::ca_file_setting(value, "llm.custom_websocket");
                } else if (key == "connect_timeout_ms") {
                    config.connect_timeout = std::chrono::milliseconds(integer(value, key, 1, 600000));
                } else if (key == "first_token_timeout_ms") {
                    config.first_token_timeout = std::chrono::milliseconds(integer(value, key, 1, 3600000));
                } else if (key == "ping_interval_ms") {
                    config.ping_interval = std::chrono::milliseconds(integer(value, key, 100, 600000));
                } else if (key == "retries") {
                    config.retries = static_cast<int>(integer(value, key, 0, 10));
                } else {
                    invalid("unknown setting \"" + key +
                            "\" (known: url, api_key, ca_file, connect_timeout_ms, first_token_timeout_ms, "
                            "ping_interval_ms, retries)");
                }
            }
        }
    }
    // Without a server the provider could only fail: refuse the plugin with the reason.
    if (config.url.empty())
        invalid("no url: set [provider.llm.custom_websocket] url = ws://host:port/path (or wss://) to your LLM server");
    if (config.url.rfind("ws://", 0) != 0 && config.url.rfind("wss://", 0) != 0)
        invalid("url must start with ws:// or wss://, got '" + config.url + "'");
    return config;
}

const char* settings_schema_json() {
    static const std::string schema =
        nlohmann::json{
            {"$schema", "https://json-schema.org/draft/2020-12/schema"},
            {"title", "llm.custom_websocket request settings"},
            {"type", "object"},
            {"properties", {{"model", {{"type", "string"}, {"description", "Passed to the server as it is"}}}}}}
            .dump();
    return schema.c_str();
}

const char* capabilities_json() {
    static const std::string capabilities =
        nlohmann::json{
            {"streaming", true}, {"tools", true}, {"api", "vox-custom-llm-websocket/1"}, {"follows_prompts", false}}
            // the user's server answers its own way
            .dump();
    return capabilities.c_str();
}

}  // namespace vox::custom_llm
