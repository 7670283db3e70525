#include <vox/core/plugin_validation.hpp>
#include <vox/core/provider_kind.hpp>

#include <nlohmann/json.hpp>

#include <cstring>
#include <vector>

namespace vox {
namespace {

std::string describe_version(uint32_t major, uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

// A named function pointer that a vtable must provide.
struct Mandatory {
    const char* name;
    std::size_t end_offset;  // the struct_size that covers it
    bool present;
};

template <class VTable, class Field>
Mandatory mandatory(const VTable* vtable, const char* name, Field VTable::*field) {
    const auto* base = reinterpret_cast<const char*>(vtable);
    const auto* member = reinterpret_cast<const char*>(&(vtable->*field));
    std::size_t end = static_cast<std::size_t>(member - base) + sizeof(Field);
    bool covered = vtable->struct_size >= end;
    return {name, end, covered && vtable->*field != nullptr};
}

std::vector<Mandatory> mandatory_functions(std::uint32_t kind, const void* raw) {
    switch (kind) {
    case VOX_PROVIDER_STT: {
        const auto* v = static_cast<const vox_stt_vtable*>(raw);
        return {mandatory(v, "open", &vox_stt_vtable::open), mandatory(v, "push_audio", &vox_stt_vtable::push_audio),
                mandatory(v, "flush", &vox_stt_vtable::flush), mandatory(v, "end_input", &vox_stt_vtable::end_input),
                mandatory(v, "cancel", &vox_stt_vtable::cancel), mandatory(v, "close", &vox_stt_vtable::close)};
    }
    case VOX_PROVIDER_LLM: {
        const auto* v = static_cast<const vox_llm_vtable*>(raw);
        return {mandatory(v, "start", &vox_llm_vtable::start), mandatory(v, "cancel", &vox_llm_vtable::cancel),
                mandatory(v, "list_models", &vox_llm_vtable::list_models)};
    }
    case VOX_PROVIDER_TTS: {
        const auto* v = static_cast<const vox_tts_vtable*>(raw);
        return {mandatory(v, "open", &vox_tts_vtable::open), mandatory(v, "push_text", &vox_tts_vtable::push_text),
                mandatory(v, "flush", &vox_tts_vtable::flush), mandatory(v, "cancel", &vox_tts_vtable::cancel),
                mandatory(v, "close", &vox_tts_vtable::close)};
    }
    case VOX_PROVIDER_VAD: {
        const auto* v = static_cast<const vox_vad_vtable*>(raw);
        return {mandatory(v, "open", &vox_vad_vtable::open), mandatory(v, "process", &vox_vad_vtable::process),
                mandatory(v, "reset", &vox_vad_vtable::reset), mandatory(v, "close", &vox_vad_vtable::close)};
    }
    case VOX_PROVIDER_TRANSPORT: {
        const auto* v = static_cast<const vox_transport_vtable*>(raw);
        return {mandatory(v, "start", &vox_transport_vtable::start), mandatory(v, "play", &vox_transport_vtable::play),
                mandatory(v, "clear", &vox_transport_vtable::clear),
                mandatory(v, "hangup", &vox_transport_vtable::hangup), mandatory(v, "stop", &vox_transport_vtable::stop)};
    }
    case VOX_PROVIDER_FLOW_NODE: {
        const auto* v = static_cast<const vox_flow_node_vtable*>(raw);
        return {mandatory(v, "validate", &vox_flow_node_vtable::validate),
                mandatory(v, "step", &vox_flow_node_vtable::step)};
    }
    }
    return {};
}

bool is_json_object(const char* text) {
    if (text == nullptr) return false;
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    return parsed.is_object();
}

bool is_valid_plugin_name(const char* name) {
    if (name == nullptr || *name == '\0') return false;
    for (const char* c = name; *c != '\0'; ++c)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.')) return false;
    return true;
}

}  // namespace

bool is_valid_provider_name(const char* name) {
    if (name == nullptr || !(*name >= 'a' && *name <= 'z')) return false;
    for (const char* c = name; *c != '\0'; ++c)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) return false;
    return std::strlen(name) <= 64;
}

std::optional<std::string> check_descriptor(const vox_plugin_descriptor* d) {
    if (d == nullptr) return "vox_plugin_entry returned no descriptor (NULL)";
    // The version fields come right after struct_size and never move.
    if (d->struct_size < offsetof(vox_plugin_descriptor, abi_minor) + sizeof(d->abi_minor))
        return "descriptor struct_size " + std::to_string(d->struct_size) + " is too small to hold the ABI version";
    if (d->abi_major != VOX_ABI_MAJOR)
        return "built for ABI " + describe_version(d->abi_major, d->abi_minor) + ", but this host speaks ABI " +
               describe_version(VOX_ABI_MAJOR, VOX_ABI_MINOR) + " (the major version must be equal)";
    if (d->abi_minor > VOX_ABI_MINOR)
        return "built for ABI " + describe_version(d->abi_major, d->abi_minor) +
               ", newer than this host's ABI " + describe_version(VOX_ABI_MAJOR, VOX_ABI_MINOR) +
               " (upgrade voxd or rebuild the plugin against an older SDK)";
    if (!VOX_STRUCT_HAS(d, vox_plugin_descriptor, provider_count))
        return "descriptor struct_size " + std::to_string(d->struct_size) + " is smaller than ABI " +
               describe_version(d->abi_major, d->abi_minor) + " requires (" +
               std::to_string(offsetof(vox_plugin_descriptor, provider_count) + sizeof(d->provider_count)) + ")";
    if (!is_valid_plugin_name(d->name)) return "plugin name is missing or not made of [a-z0-9_.-]";
    if (d->version == nullptr || *d->version == '\0') return "plugin '" + std::string(d->name) + "' has no version";
    if (d->init == nullptr) return "plugin '" + std::string(d->name) + "' lacks the mandatory function init";
    if (d->deinit == nullptr) return "plugin '" + std::string(d->name) + "' lacks the mandatory function deinit";
    if (d->provider_count == 0 || d->providers == nullptr)
        return "plugin '" + std::string(d->name) + "' offers no providers";
    for (std::size_t i = 0; i < d->provider_count; ++i) {
        if (auto problem = check_provider(d->providers[i]))
            return "plugin '" + std::string(d->name) + "' provider #" + std::to_string(i) + ": " + *problem;
    }
    return std::nullopt;
}

std::optional<std::string> check_provider(const vox_provider* p) {
    if (p == nullptr) return "provider entry is NULL";
    if (!VOX_STRUCT_HAS(p, vox_provider, vtable)) return "provider struct_size " + std::to_string(p->struct_size) + " is too small";
    auto kind = provider_kind_from_abi(p->kind);
    if (!kind) return "unknown provider kind " + std::to_string(static_cast<int>(p->kind));
    if (!is_valid_provider_name(p->name)) return "provider name is missing or not made of [a-z0-9_] (starting with a letter)";
    std::string key = provider_key(*kind, p->name);
    if (p->vtable == nullptr) return key + " has no function table";
    if (!is_json_object(p->capabilities_json)) return key + ": capabilities_json is not a JSON object";
    if (!is_json_object(p->settings_schema_json)) return key + ": settings_schema_json is not a JSON object";
    const auto* vtable_size = static_cast<const size_t*>(p->vtable);
    if (*vtable_size == 0) return key + ": function table has struct_size 0";
    for (const auto& function : mandatory_functions(p->kind, p->vtable))
        if (!function.present) return key + " lacks the mandatory function " + function.name;
    return std::nullopt;
}

}  // namespace vox
