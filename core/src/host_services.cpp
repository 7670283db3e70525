#include <vox/core/host_services.hpp>
#include <vox/core/log.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <prometheus/counter.h>
#include <prometheus/registry.h>

#include <chrono>
#include <cctype>

namespace vox {

struct HostServices::PluginContext {
    HostServices* owner;
    std::string plugin_name;
    vox_host_services table;
};

HostServices::HostServices() : HostServices(Options{}) {}

HostServices::HostServices(Options options)
    : options_(std::move(options)), pool_(std::make_unique<boost::asio::thread_pool>(options_.work_threads)) {}

HostServices::~HostServices() { shutdown(); }

const vox_host_services* HostServices::table_for(const std::string& plugin_name) {
    std::lock_guard lock(mutex_);
    auto context = std::make_unique<PluginContext>();
    context->owner = this;
    context->plugin_name = plugin_name;
    context->table = vox_host_services{};
    context->table.struct_size = sizeof(vox_host_services);
    context->table.abi_major = VOX_ABI_MAJOR;
    context->table.abi_minor = VOX_ABI_MINOR;
    context->table.host = context.get();
    context->table.log = &HostServices::log;
    context->table.post_work = &HostServices::post_work;
    context->table.monotonic_ns = &HostServices::monotonic_ns_for;
    context->table.counter_add = &HostServices::counter_add;
    contexts_.push_back(std::move(context));
    return &contexts_.back()->table;
}

bool HostServices::post(void (*fn)(void*), void* arg) {
    if (!accepting_.load()) return false;
    boost::asio::post(*pool_, [fn, arg] { fn(arg); });
    return true;
}

void HostServices::shutdown() {
    if (accepting_.exchange(false)) pool_->join();
}

std::uint64_t HostServices::monotonic_ns() {
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

void HostServices::log(void* host, vox_log_level level, const char* message) {
    auto* context = static_cast<PluginContext*>(host);
    spdlog::level::level_enum mapped = spdlog::level::info;
    switch (level) {
    case VOX_LOG_TRACE: mapped = spdlog::level::trace; break;
    case VOX_LOG_DEBUG: mapped = spdlog::level::debug; break;
    case VOX_LOG_INFO: mapped = spdlog::level::info; break;
    case VOX_LOG_WARN: mapped = spdlog::level::warn; break;
    case VOX_LOG_ERROR: mapped = spdlog::level::err; break;
    }
    log::write(mapped, "plugin", message != nullptr ? message : "", {{"plugin", context->plugin_name}});
}

vox_status HostServices::post_work(void* host, void (*fn)(void*), void* arg) {
    auto* context = static_cast<PluginContext*>(host);
    if (fn == nullptr) return VOX_ERR_INVALID_ARGUMENT;
    return context->owner->post(fn, arg) ? VOX_OK : VOX_ERR_UNAVAILABLE;
}

std::uint64_t HostServices::monotonic_ns_for(void* /*host*/) { return monotonic_ns(); }

void HostServices::counter_add(void* host, const char* provider_key, const char* name, double value) {
    auto* context = static_cast<PluginContext*>(host);
    auto& registry = context->owner->options_.metrics;
    if (!registry || name == nullptr || value < 0) return;
    std::string metric = "vox_plugin_";  // + name + "_total"
    for (const char* c = name; *c != '\0'; ++c)
        metric += std::isalnum(static_cast<unsigned char>(*c)) != 0 ? *c : '_';
    if (metric.size() < 6 || metric.compare(metric.size() - 6, 6, "_total") != 0) metric += "_total";
    // prometheus-cpp returns the existing family for the same name and labels.
    auto& family = prometheus::BuildCounter().Name(metric).Help("Counter reported by a plugin").Register(*registry);
    family.Add({{"plugin", context->plugin_name}, {"provider", provider_key != nullptr ? provider_key : ""}})
        .Increment(value);
}

}  // namespace vox
