#include "metrics/service_metrics.hpp"

#include <vox/core/provider_kind.hpp>

#include <prometheus/gauge.h>

#include <chrono>
#include <string>

namespace vox::host {
namespace {

void set_gauge(prometheus::Registry& registry, const std::string& name, const std::string& help, double value) {
    prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add({}).Set(value);
}

}  // namespace

void publish_build_info(prometheus::Registry& registry, const BuildInfo& info) {
    prometheus::BuildGauge()
        .Name("vox_build_info")
        .Help("Always 1; the labels say which build of voxd is running")
        .Register(registry)
        .Add({{"version", std::string(info.version)},
              {"git_sha", std::string(info.git_sha)},
              {"compiler", std::string(info.compiler)}})
        .Set(1);
    auto now = std::chrono::system_clock::now().time_since_epoch();
    set_gauge(registry, "vox_start_time_seconds", "When voxd started, in seconds since the Unix epoch",
              std::chrono::duration<double>(now).count());
}

void publish_plugin_counts(prometheus::Registry& registry, const vox::PluginRegistry& plugins) {
    set_gauge(registry, "vox_plugins_loaded", "Plugins loaded and initialised",
              static_cast<double>(plugins.plugins().size()));
    set_gauge(registry, "vox_plugins_refused", "Plugin files refused (see GET /api/plugins for the reasons)",
              static_cast<double>(plugins.refused().size()));
    set_gauge(registry, "vox_providers_disabled", "Providers switched off by plugin.disabled",
              static_cast<double>(plugins.disabled().size()));
    auto& providers =
        prometheus::BuildGauge().Name("vox_providers").Help("Providers available, by kind").Register(registry);
    for (auto kind : {ProviderKind::stt, ProviderKind::llm, ProviderKind::tts, ProviderKind::vad,
                      ProviderKind::transport, ProviderKind::flow_node})
        providers.Add({{"kind", std::string(to_string(kind))}})
            .Set(static_cast<double>(plugins.providers(kind).size()));
}

}  // namespace vox::host
