// vox/sdk/provider_info.hpp — the static description of one provider.
#pragma once

#include <vox/plugin.h>

namespace vox::sdk {

struct ProviderInfo {
    const char* name;              // "flite": the provider is keyed "<kind>.<name>"
    const char* description;       // one line for people
    const char* capabilities_json; // static JSON object (see vox_provider)
    const char* settings_schema_json = "{\"type\":\"object\"}";
};

namespace detail {

template <class T>
struct member_owner;
template <class Owner, class Field>
struct member_owner<Field Owner::*> {
    using type = Owner;
};
template <class T>
using member_owner_t = typename member_owner<T>::type;

inline vox_provider make_provider(vox_provider_kind kind, const ProviderInfo& info, const void* vtable,
                                  vox_status (*describe)(void*, vox_string_sink*, vox_error*)) {
    vox_provider provider{};
    provider.struct_size = sizeof(vox_provider);
    provider.kind = kind;
    provider.name = info.name;
    provider.description = info.description;
    provider.capabilities_json = info.capabilities_json;
    provider.settings_schema_json = info.settings_schema_json;
    provider.vtable = vtable;
    provider.describe = describe;
    return provider;
}

}  // namespace detail
}  // namespace vox::sdk
