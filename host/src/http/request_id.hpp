// Every request gets an id, echoed in X-Request-Id, in problem bodies and in
// log lines, so one failing call can be followed through the logs.
#pragma once

#include <string>
#include <string_view>

namespace vox::host {

inline constexpr std::string_view kRequestIdHeader = "X-Request-Id";

// The client's X-Request-Id when it is a sane token (1-128 characters of
// [A-Za-z0-9._:-]), so ids chain through proxies; otherwise a fresh UUID.
std::string choose_request_id(std::string_view from_client);

}  // namespace vox::host
