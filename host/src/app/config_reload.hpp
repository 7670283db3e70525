// Reloading voxd's configuration while it runs (SIGHUP, `voxctl reload`,
// POST /api/system/reload): re-reads the same sources (the --config file, the
// environment, --set) and applies what may change under live calls: the
// providers and their settings (provider.*, plugin.disabled, plugin.path,
// plugin.builtin), the agent defaults ([agents]) and calls.vad_provider, as a
// new provider generation for new calls. Any other key that changed is only
// reported (restart_needed). A configuration that does not load changes
// nothing and says why.
#pragma once

#include "config/config_loader.hpp"
#include "config/layered_config.hpp"
#include "providers/provider_catalog.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <vector>

namespace vox::host {

struct ReloadOutcome {
    bool applied = false;
    bool timed_out = false;                            // request(): the main thread did not answer in time
    std::string error;                                 // why not, when not applied (a configuration error)
    nlohmann::json report = nlohmann::json::object();  // the catalog's changes plus "restart_needed" keys
};

// Whether a change of `key` takes effect on reload (else after a restart).
bool reloadable_key(const std::string& key);

class ConfigReloader {
public:
    // `wake` makes the main thread call serve_requests() soon (voxd: raise SIGHUP).
    ConfigReloader(ConfigSources sources, LayeredConfig running, ProviderCatalog& catalog, std::function<void()> wake);

    // Re-reads and applies. Main thread. Never throws.
    ReloadOutcome reload();

    // Any thread: asks the main thread for a reload and waits for its outcome
    // (a ReloadOutcome with an error after `timeout`).
    ReloadOutcome request(std::chrono::milliseconds timeout);
    // Main thread: one reload answers every request waiting (none waiting: a plain reload, as on SIGHUP).
    void serve_requests();

private:
    ConfigSources sources_;
    LayeredConfig running_;
    ProviderCatalog& catalog_;
    std::function<void()> wake_;
    std::mutex mutex_;
    std::vector<std::promise<ReloadOutcome>> waiting_;
};

}  // namespace vox::host
