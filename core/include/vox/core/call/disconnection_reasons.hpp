// The disconnection reasons of a call record (docs/protocol.md section 5)
// that end a call as "completed"; every other reason (error_*, no_connection,
// server_restart, dead_air, ...) ends it as "failed". One list for the call
// engine and voxd's records.
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

namespace vox::call {

inline constexpr std::array<std::string_view, 6> kCompletedReasons = {
    "user_hangup", "agent_hangup", "api_hangup", "inactivity", "max_duration_reached", "call_transfer"};

inline bool counts_as_completed(std::string_view reason) {
    return std::find(kCompletedReasons.begin(), kCompletedReasons.end(), reason) != kCompletedReasons.end();
}

}  // namespace vox::call
