// Why the call engine refused a request (start, end, watch). The API turns
// each kind into its problem+json status and code (docs/protocol.md).
#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace vox::host {

enum class CallRefusalKind {
    agent_not_found,        // 404
    agent_inactive,         // 409
    transport_unavailable,  // 503
    provider_unavailable,   // 503
    too_many_calls,         // 503
    call_not_found,         // 404
    call_not_active,        // 409
};

class CallRefusal : public std::runtime_error {
public:
    CallRefusal(CallRefusalKind kind, const std::string& detail, nlohmann::json extensions = nlohmann::json::object())
        : std::runtime_error(detail), kind_(kind), extensions_(std::move(extensions)) {}
    CallRefusalKind kind() const { return kind_; }
    const nlohmann::json& extensions() const { return extensions_; }

private:
    CallRefusalKind kind_;
    nlohmann::json extensions_;
};

}  // namespace vox::host
