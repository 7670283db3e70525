// The providers voxd offers right now, as generations: one generation is the
// plugins loaded from one reading of the configuration, with the agent
// defaults and VAD of that same reading. A call (or a text-playground turn)
// takes the current generation when it starts and holds it to its end, so a
// reload (SIGHUP, POST /api/system/reload) switches new calls to the new
// providers while live calls finish on the ones they started with.
//
// Plugins whose settings did not change are shared between generations (see
// PluginRegistry). A superseded generation is released on the main thread by
// release_unused() once nothing holds it, which deinitialises the plugin
// contexts only it held (the ABI wants init and deinit on the main thread).
#pragma once

#include "config/layered_config.hpp"
#include "config/voxd_settings.hpp"

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_registry.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace vox::host {

struct ProviderGeneration {
    std::uint64_t number = 0;  // 1 at start-up, +1 per reload
    std::string loaded_at;     // ISO-8601
    std::unique_ptr<PluginRegistry> plugins;
    AgentDefaults agents;      // [agents] of the same configuration
    std::string vad_provider;  // [calls] vad_provider of the same configuration

    ~ProviderGeneration();
};

using ProviderGenerationPtr = std::shared_ptr<const ProviderGeneration>;

// The providers and language an agent gets when it names none, and the VAD
// (GET /api/plugins and the reload answer show them).
nlohmann::json agent_defaults_json(const ProviderGeneration& generation);

class ProviderCatalog {
public:
    explicit ProviderCatalog(HostServices& host) : host_(host) {}
    ~ProviderCatalog();  // shutdown()
    ProviderCatalog(const ProviderCatalog&) = delete;
    ProviderCatalog& operator=(const ProviderCatalog&) = delete;

    // Loads a generation from `config` and makes it current. Main thread.
    // Returns what changed from the previous one (see docs/api.md, reload).
    nlohmann::json load(const LayeredConfig& config, const VoxdSettings& settings);

    // Makes `plugins`, loaded by the caller, the current generation (tests,
    // and embedders that load plugins themselves). Main thread.
    void adopt(std::unique_ptr<PluginRegistry> plugins, AgentDefaults agents, std::string vad_provider = {});

    // The generation new calls use (null before the first load). Any thread.
    ProviderGenerationPtr current() const;

    // Releases superseded generations nothing holds any more. Main thread.
    // Returns how many were released.
    std::size_t release_unused();
    // Superseded generations still held by live calls or turns.
    std::size_t retired() const;

    // Stops the host's work pool and lets go of every generation. Main thread, after the calls have ended.
    void shutdown();

private:
    void make_current(const std::shared_ptr<ProviderGeneration>& next,
                      const std::shared_ptr<ProviderGeneration>& previous);

    HostServices& host_;
    mutable std::mutex mutex_;
    std::shared_ptr<ProviderGeneration> current_;
    std::vector<std::shared_ptr<ProviderGeneration>> retired_;
    std::uint64_t next_number_ = 1;
    bool shut_down_ = false;
};

}  // namespace vox::host
