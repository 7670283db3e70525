// The ABI rules a plugin must meet before the host calls into it.
#pragma once

#include <vox/plugin.h>

#include <optional>
#include <string>

namespace vox {

// Why the descriptor is unacceptable (version rule, missing fields or
// mandatory functions, malformed providers), or nullopt when it is fine.
std::optional<std::string> check_descriptor(const vox_plugin_descriptor* descriptor);

// Why one provider is unacceptable, or nullopt.
std::optional<std::string> check_provider(const vox_provider* provider);

// True for names made of [a-z0-9_], starting with a letter.
bool is_valid_provider_name(const char* name);

}  // namespace vox
