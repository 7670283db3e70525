#include "network_guard.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace vox::flow_nodes {
namespace {

// The first `prefix` bits of a and b are equal.
bool same_prefix(const std::uint8_t* a, const std::uint8_t* b, unsigned prefix) {
    unsigned whole = prefix / 8;
    if (std::memcmp(a, b, whole) != 0) return false;
    unsigned rest = prefix % 8;
    if (rest == 0) return true;
    auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

Network known(const char* text, const char* what, const char* setting = "blocked_networks") {
    Network network = parse_network(text);
    network.what = what;
    network.setting = setting;
    return network;
}

}  // namespace

bool Network::contains(const Poco::Net::IPAddress& address) const {
    if (address.length() != length) return false;
    return same_prefix(static_cast<const std::uint8_t*>(address.addr()), bytes.data(), prefix);
}

std::string Network::describe() const { return what.empty() ? "addresses in " + text : what + " (" + text + ")"; }

Network parse_network(const std::string& text) {
    Network network;
    network.text = text;
    network.setting = "blocked_networks";
    auto slash = text.find('/');
    std::string address_text = text.substr(0, slash);
    // inet_pton, not Poco's IPAddress::tryParse: Poco 1.11 rejects "::".
    if (inet_pton(AF_INET, address_text.c_str(), network.bytes.data()) == 1)
        network.length = 4;
    else if (inet_pton(AF_INET6, address_text.c_str(), network.bytes.data()) == 1)
        network.length = 16;
    else
        throw std::invalid_argument("'" + text + "' is not a network: '" + address_text +
                                    "' is not an IPv4 or IPv6 address");
    unsigned bits = static_cast<unsigned>(network.length * 8);
    network.prefix = bits;
    if (slash != std::string::npos) {
        std::string prefix = text.substr(slash + 1);
        bool digits = !prefix.empty() && prefix.size() <= 3 &&
                      std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || std::stoul(prefix) > bits)
            throw std::invalid_argument("'" + text + "' is not a network: the prefix length must be 0 to " +
                                        std::to_string(bits));
        network.prefix = static_cast<unsigned>(std::stoul(prefix));
    }
    // 10.0.0.1/8 is most likely a typo for 10.0.0.0/8 (or /32): refuse it
    // rather than guess which one was meant.
    std::array<std::uint8_t, 16> masked{};
    for (unsigned bit = 0; bit < network.prefix; ++bit)
        masked[bit / 8] |= static_cast<std::uint8_t>(network.bytes[bit / 8] & (0x80 >> (bit % 8)));
    if (masked != network.bytes) {
        Poco::Net::IPAddress base(masked.data(), static_cast<poco_socklen_t>(network.length));
        throw std::invalid_argument("'" + text + "' has bits set after the prefix; did you mean " + base.toString() +
                                    "/" + std::to_string(network.prefix) + "?");
    }
    return network;
}

std::vector<Network> default_blocked_networks() {
    return {
        known("0.0.0.0/8", "'this network' addresses"),
        known("169.254.0.0/16", "link-local addresses"),
        known("100.100.100.200", "cloud metadata addresses"),
        known("224.0.0.0/4", "multicast addresses"),
        known("240.0.0.0/4", "reserved and broadcast addresses"),
        known("::/128", "unspecified addresses"),
        known("fe80::/10", "link-local addresses"),
        known("ff00::/8", "multicast addresses"),
        known("fd00:ec2::254", "cloud metadata addresses"),
        known("::ffff:0.0.0.0/104", "'this network' addresses"),
        known("::ffff:169.254.0.0/112", "link-local addresses"),
        known("::ffff:100.100.100.200", "cloud metadata addresses"),
    };
}

std::vector<Network> private_networks() {
    const char* setting = "allow_private_networks";
    return {
        known("127.0.0.0/8", "loopback addresses", setting),
        known("::1/128", "loopback addresses", setting),
        known("10.0.0.0/8", "private network addresses", setting),
        known("172.16.0.0/12", "private network addresses", setting),
        known("192.168.0.0/16", "private network addresses", setting),
        known("100.64.0.0/10", "shared (carrier-grade NAT) addresses", setting),
        known("fc00::/7", "unique local addresses", setting),
        known("::ffff:127.0.0.0/104", "loopback addresses", setting),
        known("::ffff:10.0.0.0/104", "private network addresses", setting),
        known("::ffff:172.16.0.0/108", "private network addresses", setting),
        known("::ffff:192.168.0.0/112", "private network addresses", setting),
    };
}

const Network* NetworkGuard::blocking(const Poco::Net::IPAddress& address) const {
    for (const auto& network : blocked_)
        if (network.contains(address)) return &network;
    if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped()) {
        const auto* bytes = static_cast<const std::uint8_t*>(address.addr());
        Poco::Net::IPAddress v4(bytes + 12, 4);
        for (const auto& network : blocked_)
            if (network.contains(v4)) return &network;
    }
    return nullptr;
}

}  // namespace vox::flow_nodes
