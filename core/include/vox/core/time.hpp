// Wall-clock timestamps as the API shows them: ISO-8601 UTC with milliseconds,
// e.g. "2026-11-24T06:20:03.123Z" (fixed width, so they sort as text).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vox::time {

std::string now_iso8601();
std::string to_iso8601(std::chrono::system_clock::time_point when);
// Accepts "YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]" and plain dates "YYYY-MM-DD"; nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

}  // namespace vox::time
