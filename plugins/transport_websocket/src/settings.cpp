#include "settings.hpp"

#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

namespace vox::transport_ws {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, message); }

// A whole number in [min, max], given as a number or as digits in a string.
std::int64_t whole_number(const nlohmann::json& value, const char* key, std::int64_t min, std::int64_t max) {
    std::int64_t number = 0;
    if (value.is_number_integer()) {
        number = value.get<std::int64_t>();
    } else if (value.is_number_unsigned()) {
        auto unsigned_number = value.get<std::uint64_t>();
        number = unsigned_number > static_cast<std::uint64_t>(max) ? max + 1 : static_cast<std::int64_t>(unsigned_number);
    } else if (value.is_string() && !value.get<std::string>().empty() &&
               value.get<std::string>().find_first_not_of("0123456789") == std::string::npos &&
               value.get<std::string>().size() <= 9) {
        number = std::stoll(value.get<std::string>());
    } else {
        invalid(std::string(key) + " must be a whole number");
    }
    if (number < min || number > max)
        invalid(std::string(key) + " must be from " + std::to_string(min) + " to " + std::to_string(max));
    return number;
}

std::string text(const nlohmann::json& value, const char* key) {
    if (!value.is_string()) invalid(std::string(key) + " must be a string");
    return value.get<std::string>();
}

}  // namespace

TransportSettings parse_settings(std::string_view json, TransportSettings base) {
    auto object = nlohmann::json::parse(json.empty() ? std::string_view("{}") : json, nullptr, false);
    if (object.is_null()) object = nlohmann::json::object();  // no settings
    if (object.is_discarded() || !object.is_object()) invalid("settings must be a JSON object");
    TransportSettings settings = std::move(base);
    for (const auto& [key, value] : object.items()) {
        if (value.is_null()) continue;  // not set
        if (key == "host") {
            settings.host = text(value, "host");
            if (settings.host.empty()) invalid("host must not be empty");
        } else if (key == "port") {
            settings.port = static_cast<std::uint16_t>(whole_number(value, "port", 0, 65535));
        } else if (key == "public_url") {
            settings.public_url = text(value, "public_url");
            const std::string& url = settings.public_url;
            if (!url.empty() && url.rfind("ws://", 0) != 0 && url.rfind("wss://", 0) != 0)
                invalid("public_url must start with ws:// or wss://");
        } else if (key == "max_calls") {
            settings.max_calls = static_cast<std::uint32_t>(whole_number(value, "max_calls", 1, 100000));
        } else if (key == "idle_timeout_ms") {
            settings.idle_timeout_ms = static_cast<std::uint32_t>(whole_number(value, "idle_timeout_ms", 1000, 3600000));
        } else {
            invalid("unknown setting '" + key + "' (host, port, public_url, max_calls, idle_timeout_ms)");
        }
    }
    return settings;
}

std::string configured_settings(std::string_view config_json) {
    auto config = nlohmann::json::parse(config_json.empty() ? std::string_view("{}") : config_json, nullptr, false);
    if (config.is_object()) {
        auto it = config.find("transport.websocket");
        if (it != config.end() && it->is_object()) return it->dump();
    }
    return "{}";
}

const char* capabilities_json() {
    return R"({"direction":["inbound"],"kind":"web","protocol":"docs/protocol.md#2-the-media-socket",)"
           R"("sample_rates":[8000,16000,24000,48000],"encoding":"pcm_s16le","channels":1,"frame_ms":20,)"
           R"("events":true,"transfer":false})";
}

const char* settings_schema_json() {
    return R"json({
  "type": "object",
  "properties": {
    "host": {"type": "string", "default": "127.0.0.1", "description": "address to listen on"},
    "port": {"type": "integer", "minimum": 0, "maximum": 65535, "default": 8081,
             "description": "port to listen on; 0 picks a free one (describe() reports listen_url)"},
    "public_url": {"type": "string", "pattern": "^wss?://",
                   "description": "where callers connect when it differs from ws://host:port (a TLS proxy)"},
    "max_calls": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 200,
                  "description": "connected plus expected callers at once"},
    "idle_timeout_ms": {"type": "integer", "minimum": 1000, "maximum": 3600000, "default": 15000,
                        "description": "a client that sends nothing for this long has vanished (error_transport)"}
  },
  "additionalProperties": false
})json";
}

}  // namespace vox::transport_ws
