// Which addresses the function node may connect to. The node resolves the
// host itself and checks every address before connecting to one of them, so
// a flow author cannot reach the cloud metadata service (or, when the operator
// says so, the internal network) through a URL or a DNS name.
#pragma once

#include <Poco/Net/IPAddress.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace vox::flow_nodes {

// An IPv4 or IPv6 network ("169.254.0.0/16", "fd00:ec2::254" = /128).
struct Network {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t length = 4;  // 4 (IPv4) or 16 (IPv6)
    unsigned prefix = 32;
    std::string text;     // as written, e.g. "169.254.0.0/16"
    std::string what;     // e.g. "link-local addresses"; empty for an operator's own network
    std::string setting;  // the plugin setting that blocks it: blocked_networks or allow_private_networks

    bool contains(const Poco::Net::IPAddress& address) const;
    // "link-local addresses (169.254.0.0/16)" or "addresses in 10.0.0.0/8".
    std::string describe() const;
};

// Parses "address/prefix" or a bare address; throws std::invalid_argument with
// the reason (bad address, prefix out of range, host bits set).
Network parse_network(const std::string& text);

// The default blocked_networks: unspecified, link-local, multicast, reserved
// and the cloud metadata addresses (both as IPv4 and IPv4-mapped IPv6).
std::vector<Network> default_blocked_networks();
// What allow_private_networks = false adds: loopback, RFC 1918, CGNAT and
// unique local (fc00::/7) addresses.
std::vector<Network> private_networks();

class NetworkGuard {
public:
    explicit NetworkGuard(std::vector<Network> blocked = default_blocked_networks()) : blocked_(std::move(blocked)) {}

    // The blocked network `address` falls in, or nullptr. An IPv4-mapped IPv6
    // address (::ffff:a.b.c.d) is also checked as the IPv4 address it carries.
    const Network* blocking(const Poco::Net::IPAddress& address) const;
    const std::vector<Network>& blocked() const { return blocked_; }

private:
    std::vector<Network> blocked_;
};

}  // namespace vox::flow_nodes
