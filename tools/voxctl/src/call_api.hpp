// voxctl call's use of voxd's REST API: POST /api/calls/start (docs/protocol.md
// section 1) with a bearer API key, over plain HTTP.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace voxctl {

// voxd could not be reached or refused: the message says why (a problem's detail when there is one).
class CallApiError : public std::runtime_error {
public:
    explicit CallApiError(const std::string& message) : std::runtime_error(message) {}
};

struct StartCallRequest {
    std::string base_url;  // http://host:port
    std::string api_key;
    std::string agent_id;
    nlohmann::json variables;  // an object, or null
    std::uint32_t sample_rate = 16000;
};

struct StartedCall {
    std::string call_id;
    std::string socket_url;
    std::uint32_t sample_rate = 16000;
    nlohmann::json body;  // the whole answer
};

// Starts a web call. Throws CallApiError.
StartedCall start_call(const StartCallRequest& request);

}  // namespace voxctl
