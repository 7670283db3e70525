// vox/sdk/plugin.hpp — a whole plugin in C++: the plugin object, its
// descriptor and the exported entry symbol.
//
//   struct MyPlugin : vox::sdk::Plugin {
//       MyPlugin(vox::sdk::Host host, std::string_view config_json) : Plugin(host) {}
//       MyTts tts;
//   };
//   const vox_plugin_descriptor* my_plugin_descriptor() {
//       static const vox_provider tts = vox::sdk::tts_provider<&MyPlugin::tts>({"mine", "My voice", caps});
//       static const vox_provider* const providers[] = {&tts};
//       static const vox_plugin_descriptor d =
//           vox::sdk::plugin_descriptor<MyPlugin>({"mine", "1.0.0", "My provider"}, providers);
//       return &d;
//   }
//   VOX_PLUGIN_ENTRY(my_plugin_descriptor)
#pragma once

#include <vox/plugin.h>
#include <vox/sdk/error.hpp>
#include <vox/sdk/host.hpp>

#include <cstddef>
#include <string_view>

namespace vox::sdk {

// Base of a plugin's state object; one instance lives from init to deinit.
class Plugin {
public:
    explicit Plugin(Host host) : host_(host) {}
    virtual ~Plugin() = default;
    Plugin(const Plugin&) = delete;
    Plugin& operator=(const Plugin&) = delete;

    const Host& host() const { return host_; }

private:
    Host host_;
};

struct PluginInfo {
    const char* name;
    const char* version;
    const char* description;
};

namespace detail {

template <class P>
struct PluginAdapter {
    static vox_status init(const vox_host_services* host, const char* config, void** ctx, vox_error* err) {
        return guarded(err, [&] { *ctx = new P(Host(host), config != nullptr ? config : "{}"); });
    }
    static void deinit(void* ctx) {
        guarded_void([&] { delete static_cast<P*>(ctx); });
    }
};

}  // namespace detail

// The descriptor of plugin class P (constructible from Host and the config JSON).
template <class P, std::size_t N>
vox_plugin_descriptor plugin_descriptor(const PluginInfo& info, const vox_provider* const (&providers)[N]) {
    vox_plugin_descriptor descriptor{};
    descriptor.struct_size = sizeof(vox_plugin_descriptor);
    descriptor.abi_major = VOX_ABI_MAJOR;
    descriptor.abi_minor = VOX_ABI_MINOR;
    descriptor.name = info.name;
    descriptor.version = info.version;
    descriptor.description = info.description;
    descriptor.init = &detail::PluginAdapter<P>::init;
    descriptor.deinit = &detail::PluginAdapter<P>::deinit;
    descriptor.providers = providers;
    descriptor.provider_count = N;
    return descriptor;
}

}  // namespace vox::sdk

// Exports `vox_plugin_entry` returning descriptor_function(). Define
// VOX_PLUGIN_STATIC when linking the plugin into a program instead (several
// plugins in one binary): the host then registers descriptor_function directly.
#ifdef VOX_PLUGIN_STATIC
#define VOX_PLUGIN_ENTRY(descriptor_function)
#else
#define VOX_PLUGIN_ENTRY(descriptor_function)                                     \
    extern "C" VOX_PLUGIN_EXPORT const vox_plugin_descriptor* vox_plugin_entry(void) { \
        return descriptor_function();                                             \
    }
#endif
