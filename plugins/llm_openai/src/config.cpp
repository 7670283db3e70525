#include "config.hpp"

#include <vox/plugin_common/config_values.hpp>
#include <vox/plugin_common/tls.hpp>
#include <vox/sdk/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <sstream>

namespace vox::openai {
namespace {

using plugin_common::env;
using plugin_common::invalid;

std::string strip_slashes(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

// Settings from VOX_PROVIDER_LLM_OPENAI_* arrive as strings: accept both.
long long integer(const nlohmann::json& value, const std::string& key, long long min, long long max) {
    return plugin_common::whole_number(value, "llm.openai: \"" + key + "\"", min, max);
}

std::string text(const nlohmann::json& value, const std::string& key) {
    return plugin_common::string_value(value, "llm.openai: \"" + key + "\"");
}

}  // namespace

Config parse_plugin_config(std::string_view config_json) {
    Config config;
    if (auto url = env("OPENAI_BASE_URL"); !url.empty()) config.base_url = url;
    config.api_key = env("OPENAI_API_KEY");
    if (config_json.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        auto document = nlohmann::json::parse(config_json, nullptr, false);
        if (document.is_discarded() || !document.is_object()) invalid("plugin config is not a JSON object");
        auto found = document.find("llm.openai");
        if (found != document.end() && !found->is_null()) {
            if (!found->is_object()) invalid("configuration of llm.openai must be a JSON object");
            for (const auto& [key, value] : found->items()) {
                if (key == "base_url") {
                    if (!text(value, key).empty()) config.base_url = value.get<std::string>();
                } else if (key == "api_key") {
                    if (!text(value, key).empty()) config.api_key = value.get<std::string>();
                } else if (key == "ca_file") {
                    config.ca_file = plugin_common::ca_file_setting(value, "llm.openai");
                } else if (key == "model") {
                    config.model = text(value, key);
                } else if (key == "organization") {
                    config.organization = text(value, key);
                } else if (key == "temperature") {
                    double temperature = 0;
                    if (value.is_number()) {
                        temperature = value.get<double>();
                    } else {
                        std::string number = text(value, key);
                        char* end = nullptr;
                        temperature = std::strtod(number.c_str(), &end);
                        if (number.empty() || end == nullptr || *end != '\0')
                            invalid("llm.openai: \"temperature\" must be a number from 0 to 2");
                    }
                    if (!(temperature >= 0 && temperature <= 2))
                        invalid("llm.openai: \"temperature\" must be a number from 0 to 2");
                    config.temperature = temperature;
                } else if (key == "models") {
                    config.models.clear();
                    if (value.is_array()) {
                        for (const auto& model : value) config.models.push_back(text(model, key));
                    } else {
                        std::istringstream list(text(value, key));
                        for (std::string model; std::getline(list, model, ',');)
                            if (auto first = model.find_first_not_of(' '); first != std::string::npos)
                                config.models.push_back(model.substr(first, model.find_last_not_of(' ') - first + 1));
                    }
                } else if (key == "connect_timeout_ms") {
                    config.connect_timeout = std::chrono::milliseconds(integer(value, key, 1, 600000));
                } else if (key == "first_byte_timeout_ms") {
                    config.first_byte_timeout = std::chrono::milliseconds(integer(value, key, 1, 3600000));
                } else if (key == "read_timeout_ms") {
                    config.read_timeout = std::chrono::milliseconds(integer(value, key, 1, 3600000));
                } else if (key == "models_cache_seconds") {
                    config.models_cache = std::chrono::seconds(integer(value, key, 0, 86400));
                } else {
                    invalid("llm.openai: unknown setting \"" + key +
                            "\" (known: base_url, api_key, ca_file, model, models, organization, temperature, "
                            "connect_timeout_ms, first_byte_timeout_ms, read_timeout_ms, models_cache_seconds)");
                }
            }
        }
    }
    config.base_url = strip_slashes(config.base_url);
    if (config.base_url.rfind("http://", 0) != 0 && config.base_url.rfind("https://", 0) != 0)
        invalid("llm.openai: base_url must start with http:// or https://, got '" + config.base_url + "'");
    // Cloud services (https) all need a key; without one the provider could
    // only fail, so the plugin is refused with the reason instead. Local
    // servers (Ollama, llama.cpp, vLLM on http://) need none.
    if (config.api_key.empty() && config.base_url.rfind("https://", 0) == 0)
        throw sdk::Error(VOX_ERR_AUTH, "llm.openai: no API key for " + config.base_url +
                                           ": set OPENAI_API_KEY or [provider.llm.openai] api_key, or point "
                                           "base_url (OPENAI_BASE_URL) at a local http:// server");
    return config;
}

const char* settings_schema_json() {
    static const std::string schema = nlohmann::json{
        {"$schema", "https://json-schema.org/draft/2020-12/schema"},
        {"title", "llm.openai request settings"},
        {"type", "object"},
        {"properties",
         {{"model", {{"type", "string"}, {"description", "Model id as the server names it (see list_models)"}}},
          {"temperature", {{"type", "number"}, {"minimum", 0}, {"maximum", 2}}},
          {"top_p", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
          {"max_tokens", {{"type", "integer"}, {"minimum", 1}}},
          {"presence_penalty", {{"type", "number"}, {"minimum", -2}, {"maximum", 2}}},
          {"frequency_penalty", {{"type", "number"}, {"minimum", -2}, {"maximum", 2}}},
          {"stop",
           {{"oneOf", {{{"type", "string"}}, {{"type", "array"}, {"items", {{"type", "string"}}}, {"maxItems", 4}}}}}},
          {"seed", {{"type", "integer"}}}}}}
                                          .dump();
    return schema.c_str();
}

const char* capabilities_json() {
    static const std::string capabilities =
        nlohmann::json{{"streaming", true},
                       {"tools", true},
                       {"api", "openai-chat-completions"},
                       {"compatible", {"OpenAI", "Groq", "Ollama", "vLLM", "llama.cpp server"}}}
            .dump();
    return capabilities.c_str();
}

}  // namespace vox::openai
