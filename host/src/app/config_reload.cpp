#include "app/config_reload.hpp"

#include "config/config_error.hpp"
#include "config/voxd_settings.hpp"

#include <vox/core/log.hpp>

#include <set>

namespace vox::host {

using nlohmann::json;

bool reloadable_key(const std::string& key) {
    static const std::set<std::string> reloadable = {"plugin.disabled", "plugin.path", "plugin.builtin",
                                                     "calls.vad_provider"};
    return key.starts_with("provider.") || key.starts_with("agents.") || reloadable.contains(key);
}

ConfigReloader::ConfigReloader(ConfigSources sources, LayeredConfig running, ProviderCatalog& catalog,
                               std::function<void()> wake)
    : sources_(std::move(sources)), running_(std::move(running)), catalog_(catalog), wake_(std::move(wake)) {}

ReloadOutcome ConfigReloader::reload() {
    ReloadOutcome outcome;
    LayeredConfig next;
    VoxdSettings settings;
    try {
        sources_.environment = vox_environment();
        next = load_config(sources_);
        settings = read_settings(next);
    } catch (const ConfigError& error) {
        outcome.error = error.what();
        vox::log::error("config", "reload refused: the configuration does not load; nothing changed",
                        {{"error", outcome.error}});
        return outcome;
    }
    // Keys that changed but only apply at start-up.
    std::set<std::string> keys;
    for (const auto& key : running_.keys()) keys.insert(key);
    for (const auto& key : next.keys()) keys.insert(key);
    json restart = json::array();
    for (const auto& key : keys)
        if (!reloadable_key(key) && running_.get(key) != next.get(key)) restart.push_back(key);
    try {
        outcome.report = catalog_.load(next, settings);
    } catch (const std::exception& error) {
        outcome.error = std::string("loading the providers failed: ") + error.what();
        vox::log::error("config", "reload failed", {{"error", outcome.error}});
        return outcome;
    }
    outcome.report["restart_needed_keys"] = restart;
    if (!restart.empty())
        vox::log::warn("config", "changed settings that apply only after a restart", {{"keys", restart}});
    running_ = std::move(next);
    outcome.applied = true;
    return outcome;
}

ReloadOutcome ConfigReloader::request(std::chrono::milliseconds timeout) {
    std::future<ReloadOutcome> answer;
    {
        std::lock_guard lock(mutex_);
        waiting_.emplace_back();
        answer = waiting_.back().get_future();
    }
    if (wake_) wake_();
    if (answer.wait_for(timeout) != std::future_status::ready) {
        ReloadOutcome late;
        late.timed_out = true;
        late.error = "the reload did not finish within " + std::to_string(timeout.count()) +
                     " ms; it may still complete (see the log)";
        return late;
    }
    return answer.get();
}

void ConfigReloader::serve_requests() {
    std::vector<std::promise<ReloadOutcome>> waiting;
    {
        std::lock_guard lock(mutex_);
        waiting.swap(waiting_);
    }
    ReloadOutcome outcome = reload();
    for (auto& promise : waiting) promise.set_value(outcome);
}

}  // namespace vox::host
