// voxctl's use of voxd's REST API with a bearer API key, over plain HTTP:
// POST /api/calls/start (docs/protocol.md section 1) for `voxctl call`, and
// any POST (`voxctl reload`).
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

// POSTs `body` to `path` under `base_url` and returns the JSON answer when its
// status is `expected_status`. Throws CallApiError (unreachable, another
// status with the problem's detail, or an answer that is not JSON).
nlohmann::json post_api(const std::string& base_url, const std::string& api_key, const std::string& path,
                        const nlohmann::json& body, int expected_status, int timeout_seconds = 30);

// Starts a web call. Throws CallApiError.
StartedCall start_call(const StartCallRequest& request);

}  // namespace voxctl
