// The registry of providers offered by plugins: checks each plugin against
// the ABI rules, initialises it, and keys its providers "<kind>.<name>".
// Populated at start-up (dlopen'ed files and statically linked plugins alike),
// read-only afterwards, so lookups need no lock.
#pragma once

#include <vox/core/host_services.hpp>
#include <vox/core/provider_kind.hpp>
#include <vox/plugin.h>

#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <map>
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
    const std::deque<PluginRecord>& plugins() const { return plugins_; }
    const std::vector<RefusedPlugin>& refused() const { return refused_; }
    const std::vector<DisabledProvider>& disabled() const { return disabled_; }
    bool has_origin(const std::string& origin) const;

    // The whole registry as the API shows it: {"providers","plugins","refused","disabled"}.
    nlohmann::json to_json() const;

    // Stops the work pool, then deinitialises plugins in reverse order. Idempotent.
    void shutdown();

private:
    HostServices& host_;
    RegistryOptions options_;
    std::deque<PluginRecord> plugins_;  // stable addresses: providers point into it
    std::map<std::string, Provider, std::less<>> providers_;
    std::vector<RefusedPlugin> refused_;
    std::vector<DisabledProvider> disabled_;
    std::set<std::string> origins_;
    bool shut_down_ = false;
};

}  // namespace vox
