#include <vox/core/provider_kind.hpp>

#include <array>
#include <utility>

namespace vox {
namespace {

constexpr std::array<std::pair<ProviderKind, std::string_view>, 6> kNames{{
    {ProviderKind::stt, "stt"},
    {ProviderKind::llm, "llm"},
    {ProviderKind::tts, "tts"},
    {ProviderKind::vad, "vad"},
    {ProviderKind::transport, "transport"},
    {ProviderKind::flow_node, "flow_node"},
}};

}  // namespace

std::string_view to_string(ProviderKind kind) {
    for (const auto& [k, name] : kNames)
        if (k == kind) return name;
    return "unknown";
}

std::optional<ProviderKind> provider_kind_from_string(std::string_view name) {
    for (const auto& [k, n] : kNames)
        if (n == name) return k;
    return std::nullopt;
}

std::optional<ProviderKind> provider_kind_from_abi(std::uint32_t kind) {
    switch (kind) {
    case VOX_PROVIDER_STT: return ProviderKind::stt;
    case VOX_PROVIDER_LLM: return ProviderKind::llm;
    case VOX_PROVIDER_TTS: return ProviderKind::tts;
    case VOX_PROVIDER_VAD: return ProviderKind::vad;
    case VOX_PROVIDER_TRANSPORT: return ProviderKind::transport;
    case VOX_PROVIDER_FLOW_NODE: return ProviderKind::flow_node;
    }
    return std::nullopt;
}

vox_provider_kind to_abi(ProviderKind kind) {
    switch (kind) {
    case ProviderKind::stt: return VOX_PROVIDER_STT;
    case ProviderKind::llm: return VOX_PROVIDER_LLM;
    case ProviderKind::tts: return VOX_PROVIDER_TTS;
    case ProviderKind::vad: return VOX_PROVIDER_VAD;
    case ProviderKind::transport: return VOX_PROVIDER_TRANSPORT;
    case ProviderKind::flow_node: return VOX_PROVIDER_FLOW_NODE;
    }
    return VOX_PROVIDER_STT;
}

std::string provider_key(ProviderKind kind, std::string_view name) {
    std::string key(to_string(kind));
    key += '.';
    key += name;
    return key;
}

}  // namespace vox
