// The kinds of provider a plugin can offer, and their names in keys ("tts.flite").
#pragma once

#include <vox/plugin.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vox {

enum class ProviderKind { stt, llm, tts, vad, transport, flow_node };

std::string_view to_string(ProviderKind kind);
std::optional<ProviderKind> provider_kind_from_abi(std::uint32_t kind);  // a vox_provider_kind value
std::optional<ProviderKind> provider_kind_from_string(std::string_view name);
vox_provider_kind to_abi(ProviderKind kind);

// "<kind>.<name>", the key providers are known by in config and the API.
std::string provider_key(ProviderKind kind, std::string_view name);

}  // namespace vox
