#include "providers/provider_catalog.hpp"

#include "providers/plugin_setup.hpp"

#include <vox/core/log.hpp>
#include <vox/core/time.hpp>

#include <algorithm>
#include <set>

namespace vox::host {
namespace {

using nlohmann::json;

std::set<std::string> provider_keys(const PluginRegistry& plugins) {
    std::set<std::string> keys;
    for (const Provider* provider : plugins.providers()) keys.insert(provider->key);
    return keys;
}

// What `next` changes for new calls, compared with `previous` (null at start-up).
json changes(const ProviderGeneration* previous, const ProviderGeneration& next) {
    const PluginRegistry& plugins = *next.plugins;
    std::set<std::string> before = previous ? provider_keys(*previous->plugins) : std::set<std::string>();
    std::set<std::string> after = provider_keys(plugins);
    json added = json::array(), removed = json::array(), reinitialised = json::array();
    for (const auto& key : after)
        if (!before.contains(key)) added.push_back(key);
    for (const auto& key : before)
        if (!after.contains(key)) removed.push_back(key);
    if (previous)
        for (const Provider* provider : plugins.providers())
            if (before.contains(provider->key) && plugins.initialised_here(*provider->plugin))
                reinitialised.push_back(provider->key);
    json restart = json::array();
    for (const auto& pending : plugins.restart_needed())
        restart.push_back({{"plugin", pending.plugin}, {"path", pending.origin}, {"reason", pending.reason}});
    json refused = json::array();
    for (const auto& r : plugins.refused()) refused.push_back({{"path", r.origin}, {"reason", r.reason}});
    return {{"generation", next.number},
            {"loaded_at", next.loaded_at},
            {"providers", {{"added", added}, {"removed", removed}, {"reinitialised", reinitialised}}},
            {"agent_defaults", agent_defaults_json(next)},
            {"restart_needed", restart},
            {"refused", refused}};
}

}  // namespace

json agent_defaults_json(const ProviderGeneration& generation) {
    return {{"stt_provider", generation.agents.stt_provider},
            {"llm_provider", generation.agents.llm_provider},
            {"tts_provider", generation.agents.tts_provider},
            {"language", generation.agents.language},
            {"vad_provider", generation.vad_provider}};
}

ProviderGeneration::~ProviderGeneration() {
    if (plugins) plugins->shutdown();
}

ProviderCatalog::~ProviderCatalog() { shutdown(); }

json ProviderCatalog::load(const LayeredConfig& config, const VoxdSettings& settings) {
    std::shared_ptr<ProviderGeneration> previous;
    {
        std::lock_guard lock(mutex_);
        previous = current_;
    }
    auto next = std::make_shared<ProviderGeneration>();
    RegistryOptions options = registry_options(config, settings.plugin);
    options.previous = previous ? previous->plugins.get() : nullptr;
    options.stops_host_services = false;  // shutdown() does, once, for every generation
    next->plugins = std::make_unique<PluginRegistry>(host_, std::move(options));
    load_plugins(*next->plugins, settings.plugin);
    next->agents = settings.agents;
    next->vad_provider = settings.calls.vad_provider;
    make_current(next, previous);
    json report = changes(previous.get(), *next);
    if (previous) vox::log::info("plugins", "providers reloaded: new calls use the new generation", report);
    return report;
}

void ProviderCatalog::adopt(std::unique_ptr<PluginRegistry> plugins, AgentDefaults agents, std::string vad_provider) {
    auto next = std::make_shared<ProviderGeneration>();
    next->plugins = std::move(plugins);
    next->agents = std::move(agents);
    next->vad_provider = std::move(vad_provider);
    std::shared_ptr<ProviderGeneration> previous;
    {
        std::lock_guard lock(mutex_);
        previous = current_;
    }
    make_current(next, previous);
}

void ProviderCatalog::make_current(const std::shared_ptr<ProviderGeneration>& next,
                                   const std::shared_ptr<ProviderGeneration>& previous) {
    next->loaded_at = time::now_iso8601();
    std::lock_guard lock(mutex_);
    next->number = next_number_++;
    if (previous) retired_.push_back(previous);
    current_ = next;
}

ProviderGenerationPtr ProviderCatalog::current() const {
    std::lock_guard lock(mutex_);
    return current_;
}

std::size_t ProviderCatalog::release_unused() {
    std::vector<std::shared_ptr<ProviderGeneration>> released;
    {
        std::lock_guard lock(mutex_);
        auto unused = [](const auto& generation) { return generation.use_count() == 1; };
        auto first = std::stable_partition(retired_.begin(), retired_.end(), [&](const auto& g) { return !unused(g); });
        released.assign(std::make_move_iterator(first), std::make_move_iterator(retired_.end()));
        retired_.erase(first, retired_.end());
    }
    for (const auto& generation : released)
        vox::log::info("plugins", "released a superseded provider generation", {{"generation", generation->number}});
    std::size_t count = released.size();
    released.clear();  // deinitialises what only they held, here on the main thread
    return count;
}

std::size_t ProviderCatalog::retired() const {
    std::lock_guard lock(mutex_);
    return retired_.size();
}

void ProviderCatalog::shutdown() {
    std::vector<std::shared_ptr<ProviderGeneration>> all;
    {
        std::lock_guard lock(mutex_);
        if (shut_down_) return;
        shut_down_ = true;
        all = std::move(retired_);
        if (current_) all.push_back(std::move(current_));
    }
    host_.shutdown();                     // no plugin work runs while contexts are deinitialised
    while (!all.empty()) all.pop_back();  // newest first
}

}  // namespace vox::host
