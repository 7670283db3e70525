// The registry of providers offered by plugins: checks each plugin against
// the ABI rules, initialises it, and keys its providers "<kind>.<name>".
// Populated at start-up (dlopen'ed files and statically linked plugins alike),
// read-only afterwards, so lookups need no lock.
//
// A configuration reload builds a new registry next to the old one (a
// generation): plugins whose settings did not change are carried over, not
// initialised again, and an initialised plugin is deinitialised only when the
// last registry holding it shuts down, so live calls keep the providers they
// started with.
#pragma once

#include <vox/core/host_services.hpp>
#include <vox/core/provider_kind.hpp>
#include <vox/plugin.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace vox {

struct PluginRecord {
    std::string name;
    std::string version;
    std::string description;
    std::string origin;  // the file it came from, or "static:<name>"
    const vox_plugin_descriptor* descriptor = nullptr;
    void* context = nullptr;  // from init()
    std::string config;       // the settings JSON init() was given
};

struct Provider {
    std::string key;  // "tts.flite"
    ProviderKind kind{};
    std::string name;
    std::string description;
    nlohmann::json capabilities;     // static capabilities object
    nlohmann::json settings_schema;  // JSON Schema of the session settings
    const vox_provider* raw = nullptr;
    const PluginRecord* plugin = nullptr;

    void* plugin_context() const { return plugin->context; }
    template <class VTable>
    const VTable& vtable() const {
        return *static_cast<const VTable*>(raw->vtable);
    }
    // Run-time capabilities when the provider offers them, else the static ones.
    nlohmann::json describe() const;
};

struct RefusedPlugin {
    std::string origin;
    std::string reason;
};

struct DisabledProvider {
    std::string key;
    std::string origin;
};

struct RegistryOptions {
    std::set<std::string> disabled;  // provider keys switched off by config
    // The configured settings of a provider key, handed to its plugin's init().
    std::function<nlohmann::json(const std::string& provider_key)> settings_for;
    // A reload: the registry this one replaces. A plugin it holds is carried
    // over (not initialised again) when its settings are unchanged, and also
    // when they changed but it cannot be initialised twice (a transport, whose
    // listening socket is taken, or a plugin built for ABI < 1.3): that change
    // waits for a restart and is listed in restart_needed(). Must outlive every add().
    const class PluginRegistry* previous = nullptr;
    // Whether shutdown() stops the host's work pool first. A registry that is
    // one generation among several leaves that to the host's owner.
    bool stops_host_services = true;
};

// A plugin whose new settings a reload could not apply.
struct PendingRestart {
    std::string plugin;
    std::string origin;
    std::string reason;
};

class PluginRegistry {
public:
    explicit PluginRegistry(HostServices& host, RegistryOptions options = {});
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry&) = delete;
    PluginRegistry& operator=(const PluginRegistry&) = delete;

    // Checks, initialises and registers the plugin behind `entry`. On refusal
    // records (and logs) the origin and the exact reason and returns false.
    bool add(vox_plugin_entry_fn entry, const std::string& origin);
    // Records a plugin that could not even be opened.
    void refuse(const std::string& origin, const std::string& reason);

    const Provider* find(std::string_view key) const;
    const Provider* find(ProviderKind kind, std::string_view name) const;
    std::vector<const Provider*> providers() const;
    std::vector<const Provider*> providers(ProviderKind kind) const;
    std::vector<const PluginRecord*> plugins() const;
    const std::vector<RefusedPlugin>& refused() const { return refused_; }
    const std::vector<DisabledProvider>& disabled() const { return disabled_; }
    const std::vector<PendingRestart>& restart_needed() const { return restart_needed_; }
    // Keeps the plugin of `provider` (one of this registry's) initialised for
    // as long as the result is held, even after every registry has let it go:
    // for a provider that outlives generations, such as a running transport.
    std::shared_ptr<const PluginRecord> keep_plugin(const Provider& provider) const;
    // Whether `provider` belongs to a plugin initialised by this registry
    // (not carried over from the previous one).
    bool initialised_here(const PluginRecord& plugin) const;
    bool has_origin(const std::string& origin) const;

    // The whole registry as the API shows it: {"providers","plugins","refused","disabled"}.
    nlohmann::json to_json() const;

    // Stops the work pool (see RegistryOptions::stops_host_services), then lets
    // go of the plugins in reverse order: each is deinitialised once no other
    // registry holds it. Idempotent.
    void shutdown();

private:
    // Registers the providers in `enabled` of `plugin`, initialised here or carried over.
    void register_providers(const std::shared_ptr<PluginRecord>& plugin,
                            const std::vector<std::pair<std::string, const vox_provider*>>& enabled);
    std::shared_ptr<PluginRecord> previous_instance(const vox_plugin_descriptor* descriptor) const;

    HostServices& host_;
    RegistryOptions options_;
    // Shared with other generations; the last holder deinitialises. Stable addresses: providers point into them.
    std::vector<std::shared_ptr<PluginRecord>> plugins_;
    std::set<const PluginRecord*> initialised_here_;
    std::vector<PendingRestart> restart_needed_;
    std::map<std::string, Provider, std::less<>> providers_;
    std::vector<RefusedPlugin> refused_;
    std::vector<DisabledProvider> disabled_;
    std::set<std::string> origins_;
    bool shut_down_ = false;
};

}  // namespace vox
