// Opaque identifiers: a type prefix and random base62, e.g. "agent_4fQ1x9...".
// The prefix tells a reader (and a support engineer) what the id names.
#pragma once

#include <string>
#include <string_view>

namespace vox {

// `length` characters from [0-9A-Za-z], from the kernel's CSPRNG.
std::string random_base62(std::size_t length);
// "<prefix>_" + 24 base62 characters (~143 bits).
std::string new_id(std::string_view prefix);

}  // namespace vox
