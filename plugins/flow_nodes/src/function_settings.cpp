#include "function_settings.hpp"

#include "guarded_http.hpp"

#include <vox/sdk/error.hpp>

#include <Poco/Exception.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vox::flow_nodes {
namespace {

using json = nlohmann::json;

constexpr const char* kKey = "flow_node.function";
constexpr std::size_t kMaxResponseLimit = 256ull * 1024 * 1024;

[[noreturn]] void invalid(const std::string& message) {
    throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, std::string(kKey) + ": " + message);
}

// Settings from the environment arrive as strings; voxd.ini values that read
// as JSON arrive as JSON. Accept both.
std::vector<std::string> network_list(const json& value) {
    std::vector<std::string> items;
    if (value.is_array()) {
        for (const auto& item : value) {
            if (!item.is_string()) invalid("blocked_networks must be a list of CIDR strings, like [\"10.0.0.0/8\"]");
            items.push_back(item.get<std::string>());
        }
    } else if (value.is_string()) {
        std::istringstream list(value.get<std::string>());
        for (std::string item; std::getline(list, item, ',');) {
            auto first = item.find_first_not_of(" \t");
            if (first != std::string::npos)
                items.push_back(item.substr(first, item.find_last_not_of(" \t") - first + 1));
        }
    } else {
        invalid("blocked_networks must be a list of CIDR strings, like [\"10.0.0.0/8\"]");
    }
    return items;
}

bool boolean(const json& value, const char* key) {
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_string() && (value == "true" || value == "false")) return value == "true";
    invalid(std::string(key) + " must be true or false");
}

std::size_t byte_count(const json& value, const char* key) {
    long long number = -1;
    if (value.is_number_integer()) {
        number = value.get<long long>();
    } else if (value.is_string()) {
        std::string text = value.get<std::string>();
        char* end = nullptr;
        number = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || *end != '\0') number = -1;
    }
    if (number < 1 || static_cast<unsigned long long>(number) > kMaxResponseLimit)
        invalid(std::string(key) + " must be a whole number of bytes from 1 to " + std::to_string(kMaxResponseLimit));
    return static_cast<std::size_t>(number);
}

}  // namespace

std::shared_ptr<const FunctionSettings> parse_function_settings(std::string_view plugin_config_json) {
    auto settings = std::make_shared<FunctionSettings>();
    json config = json::object();
    if (plugin_config_json.find_first_not_of(" \t\r\n") != std::string_view::npos) {
        json document = json::parse(plugin_config_json, nullptr, false);
        if (document.is_discarded() || !document.is_object()) invalid("the plugin config is not a JSON object");
        if (auto found = document.find(kKey); found != document.end() && !found->is_null()) {
            if (!found->is_object()) invalid("the settings must be a JSON object");
            config = *found;
        }
    }
    std::vector<Network> blocked = default_blocked_networks();
    bool allow_private = true;
    for (const auto& [key, value] : config.items()) {
        if (key == "blocked_networks") {
            blocked.clear();
            for (const auto& text : network_list(value)) {
                try {
                    blocked.push_back(parse_network(text));
                } catch (const std::invalid_argument& e) {
                    invalid(std::string("blocked_networks: ") + e.what());
                }
            }
        } else if (key == "allow_private_networks") {
            allow_private = boolean(value, "allow_private_networks");
        } else if (key == "max_response_bytes") {
            settings->max_response_bytes = byte_count(value, "max_response_bytes");
        } else if (key == "ca_file") {
            if (!value.is_string()) invalid("ca_file must be the path of a PEM file");
            settings->ca_file = value.get<std::string>();
        } else {
            invalid("unknown setting \"" + key +
                    "\" (known: blocked_networks, allow_private_networks, max_response_bytes, ca_file)");
        }
    }
    if (!allow_private)
        for (auto& network : private_networks()) blocked.push_back(std::move(network));
    settings->guard = NetworkGuard(std::move(blocked));

    if (!settings->ca_file.empty()) {
        // Poco would say "FileNotFoundException" or an OpenSSL code: say what is wrong.
        std::error_code error;
        if (!std::filesystem::is_regular_file(settings->ca_file, error) || !std::ifstream(settings->ca_file))
            invalid("ca_file '" + settings->ca_file + "' is not a readable file");
    }
    try {
        settings->tls = make_tls_context(settings->ca_file);
    } catch (const Poco::Exception& e) {
        invalid(settings->ca_file.empty()
                    ? "cannot set up TLS: " + e.displayText()
                    : "ca_file '" + settings->ca_file + "' holds no usable PEM certificate: " + e.displayText());
    }
    return settings;
}

}  // namespace vox::flow_nodes
