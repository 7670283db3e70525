#include <vox/core/log.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/plugin_validation.hpp>

#include <algorithm>

namespace vox {
namespace {

void append_to_string(void* user, const char* data, std::size_t length) {
    static_cast<std::string*>(user)->append(data, length);
}

}  // namespace

nlohmann::json Provider::describe() const {
    if (raw->describe == nullptr) return capabilities;
    std::string text;
    vox_string_sink sink{sizeof(vox_string_sink), &text, &append_to_string};
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    if (raw->describe(plugin_context(), &sink, &err) != VOX_OK || text.empty()) return capabilities;
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    return parsed.is_object() ? parsed : capabilities;
}

PluginRegistry::PluginRegistry(HostServices& host, RegistryOptions options)
    : host_(host), options_(std::move(options)) {}

PluginRegistry::~PluginRegistry() { shutdown(); }

void PluginRegistry::refuse(const std::string& origin, const std::string& reason) {
    refused_.push_back({origin, reason});
    origins_.insert(origin);
    log::warn("plugins", "plugin refused", {{"path", origin}, {"reason", reason}});
}

bool PluginRegistry::has_origin(const std::string& origin) const { return origins_.count(origin) != 0; }

bool PluginRegistry::add(vox_plugin_entry_fn entry, const std::string& origin) {
    if (shut_down_) {
        refuse(origin, "the registry is shut down");
        return false;
    }
    if (entry == nullptr) {
        refuse(origin, "no entry function");
        return false;
    }
    const vox_plugin_descriptor* descriptor = entry();
    if (auto problem = check_descriptor(descriptor)) {
        refuse(origin, *problem);
        return false;
    }

    // Keys must be unique across everything already registered and within the plugin.
    std::vector<std::pair<std::string, const vox_provider*>> enabled;
    std::vector<std::string> switched_off;
    for (std::size_t i = 0; i < descriptor->provider_count; ++i) {
        const vox_provider* raw = descriptor->providers[i];
        std::string key = provider_key(*provider_kind_from_abi(raw->kind), raw->name);
        if (auto existing = providers_.find(key); existing != providers_.end()) {
            refuse(origin, "duplicate provider " + key + ": already provided by plugin '" +
                               existing->second.plugin->name + "' (" + existing->second.plugin->origin + ")");
            return false;
        }
        auto same_key = [&](const auto& entry_pair) { return entry_pair.first == key; };
        if (std::any_of(enabled.begin(), enabled.end(), same_key) ||
            std::find(switched_off.begin(), switched_off.end(), key) != switched_off.end()) {
            refuse(origin, "duplicate provider " + key + " within plugin '" + std::string(descriptor->name) + "'");
            return false;
        }
        if (options_.disabled.count(key) != 0)
            switched_off.push_back(key);
        else
            enabled.emplace_back(key, raw);
    }
    for (const auto& key : switched_off) {
        disabled_.push_back({key, origin});
        log::info("plugins", "provider disabled by configuration", {{"provider", key}, {"path", origin}});
    }
    if (enabled.empty()) {
        origins_.insert(origin);
        return false;
    }

    nlohmann::json config = nlohmann::json::object();
    if (options_.settings_for)
        for (const auto& [key, raw] : enabled) config[key] = options_.settings_for(key);
    std::string config_text = config.dump();

    if (auto kept = previous_instance(descriptor)) {
        bool unchanged = kept->config == config_text;
        bool offers_transport = std::any_of(enabled.begin(), enabled.end(), [](const auto& entry_pair) {
            return entry_pair.second->kind == VOX_PROVIDER_TRANSPORT;
        });
        bool single_init = descriptor->abi_minor < 3;  // before ABI 1.3, init was promised to run once
        if (unchanged || offers_transport || single_init) {
            if (!unchanged) {
                std::string reason =
                    offers_transport ? "its settings changed, and a transport keeps its listening socket until voxd restarts"
                                     : "its settings changed, and it was built for ABI " +
                                           std::to_string(descriptor->abi_major) + "." +
                                           std::to_string(descriptor->abi_minor) +
                                           ", which initialises a plugin only once: restart voxd to apply them";
                restart_needed_.push_back({kept->name, origin, reason});
                log::warn("plugins", "plugin settings changed but cannot be applied without a restart",
                          {{"plugin", kept->name}, {"path", origin}, {"reason", reason}});
            }
            origins_.insert(origin);
            register_providers(kept, enabled);
            return true;
        }
    }

    void* context = nullptr;
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_status status = descriptor->init(host_.table_for(descriptor->name), config_text.c_str(), &context, &err);
    if (status != VOX_OK) {
        err.message[VOX_ERROR_MESSAGE_CAPACITY - 1] = '\0';
        refuse(origin, std::string("init failed (") + std::to_string(static_cast<int>(status)) + "): " +
                           (err.message[0] != '\0' ? err.message : "no message"));
        return false;
    }

    // Deinitialised when the last registry holding it lets go (see shutdown()).
    auto record = std::shared_ptr<PluginRecord>(
        new PluginRecord{descriptor->name, descriptor->version,
                         descriptor->description != nullptr ? descriptor->description : "", origin, descriptor,
                         context, config_text},
        [](PluginRecord* plugin) {
            plugin->descriptor->deinit(plugin->context);
            delete plugin;  // NOLINT(cppcoreguidelines-owning-memory)
        });
    origins_.insert(origin);
    initialised_here_.insert(record.get());
    register_providers(record, enabled);
    return true;
}

void PluginRegistry::register_providers(const std::shared_ptr<PluginRecord>& plugin,
                                        const std::vector<std::pair<std::string, const vox_provider*>>& enabled) {
    plugins_.push_back(plugin);
    for (const auto& [key, raw] : enabled) {
        Provider provider;
        provider.key = key;
        provider.kind = *provider_kind_from_abi(raw->kind);
        provider.name = raw->name;
        provider.description = raw->description != nullptr ? raw->description : "";
        provider.capabilities = nlohmann::json::parse(raw->capabilities_json);
        provider.settings_schema = nlohmann::json::parse(raw->settings_schema_json);
        provider.raw = raw;
        provider.plugin = plugin.get();
        providers_.emplace(key, std::move(provider));
    }
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& [key, raw] : enabled) keys.push_back(key);
    log::info("plugins", initialised_here_.contains(plugin.get()) ? "plugin loaded" : "plugin carried over",
              {{"plugin", plugin->name}, {"version", plugin->version}, {"path", plugin->origin}, {"providers", keys}});
}

std::shared_ptr<PluginRecord> PluginRegistry::previous_instance(const vox_plugin_descriptor* descriptor) const {
    if (!options_.previous) return nullptr;
    for (const auto& plugin : options_.previous->plugins_)
        if (plugin->descriptor == descriptor) return plugin;
    return nullptr;
}

std::vector<const PluginRecord*> PluginRegistry::plugins() const {
    std::vector<const PluginRecord*> all;
    all.reserve(plugins_.size());
    for (const auto& plugin : plugins_) all.push_back(plugin.get());
    return all;
}

std::shared_ptr<const PluginRecord> PluginRegistry::keep_plugin(const Provider& provider) const {
    for (const auto& plugin : plugins_)
        if (plugin.get() == provider.plugin) return plugin;
    return nullptr;
}

bool PluginRegistry::initialised_here(const PluginRecord& plugin) const { return initialised_here_.contains(&plugin); }

const Provider* PluginRegistry::find(std::string_view key) const {
    auto found = providers_.find(key);
    return found == providers_.end() ? nullptr : &found->second;
}

const Provider* PluginRegistry::find(ProviderKind kind, std::string_view name) const {
    return find(provider_key(kind, name));
}

std::vector<const Provider*> PluginRegistry::providers() const {
    std::vector<const Provider*> all;
    for (const auto& [key, provider] : providers_) all.push_back(&provider);
    return all;
}

std::vector<const Provider*> PluginRegistry::providers(ProviderKind kind) const {
    std::vector<const Provider*> matching;
    for (const auto& [key, provider] : providers_)
        if (provider.kind == kind) matching.push_back(&provider);
    return matching;
}

nlohmann::json PluginRegistry::to_json() const {
    nlohmann::json providers = nlohmann::json::array();
    for (const auto& [key, provider] : providers_) {
        providers.push_back({{"key", key},
                             {"kind", to_string(provider.kind)},
                             {"name", provider.name},
                             {"description", provider.description},
                             {"plugin", provider.plugin->name},
                             {"version", provider.plugin->version},
                             {"capabilities", provider.describe()},
                             {"settings_schema", provider.settings_schema}});
    }
    nlohmann::json plugins = nlohmann::json::array();
    for (const auto& plugin : plugins_)
        plugins.push_back({{"name", plugin->name},
                           {"version", plugin->version},
                           {"description", plugin->description},
                           {"path", plugin->origin},
                           {"abi", std::to_string(plugin->descriptor->abi_major) + "." +
                                       std::to_string(plugin->descriptor->abi_minor)}});
    nlohmann::json refused = nlohmann::json::array();
    for (const auto& r : refused_) refused.push_back({{"path", r.origin}, {"reason", r.reason}});
    nlohmann::json disabled = nlohmann::json::array();
    for (const auto& d : disabled_) disabled.push_back({{"key", d.key}, {"path", d.origin}});
    return {{"providers", providers}, {"plugins", plugins}, {"refused", refused}, {"disabled", disabled}};
}

void PluginRegistry::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    if (options_.stops_host_services) host_.shutdown();
    providers_.clear();
    initialised_here_.clear();
    options_.previous = nullptr;
    while (!plugins_.empty()) plugins_.pop_back();  // reverse order
}

}  // namespace vox
