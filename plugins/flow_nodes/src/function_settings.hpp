// The function node's plugin-level settings, from voxd's configuration
// ([provider.flow_node.function] in voxd.ini, VOX_PROVIDER_FLOW_NODE_FUNCTION_*):
//   blocked_networks        CIDRs it may not connect to (replaces the default list)
//   allow_private_networks  false also blocks loopback, RFC 1918 and fc00::/7
//   max_response_bytes      a longer response fails the step (default 1 MiB)
//   ca_file                 PEM CA certificates trusted besides the system's
#pragma once

#include "network_guard.hpp"

#include <Poco/Net/Context.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace vox::flow_nodes {

struct FunctionSettings {
    NetworkGuard guard;
    std::size_t max_response_bytes = 1024 * 1024;
    std::string ca_file;
    Poco::Net::Context::Ptr tls;  // client context: system CAs (+ ca_file), chain and host name verified
};

// Reads {"flow_node.function": {...}} out of the plugin's config JSON. A bad
// setting throws sdk::Error(VOX_ERR_INVALID_ARGUMENT): voxd then refuses the
// plugin with that message rather than running with a guard it did not mean.
std::shared_ptr<const FunctionSettings> parse_function_settings(std::string_view plugin_config_json);

}  // namespace vox::flow_nodes
