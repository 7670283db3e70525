// What the host offers plugins (vox_host_services): logging attributed to the
// plugin, a pool for blocking work, the monotonic clock and counters.
#pragma once

#include <vox/plugin.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

namespace prometheus {
class Registry;
}

namespace boost::asio {
class thread_pool;
}

namespace vox {

class HostServices {
public:
    struct Options {
        std::size_t work_threads = 2;  // CPU-bound synthesis/decoding: about one per core
        std::shared_ptr<prometheus::Registry> metrics;  // where plugin counters go (optional)
    };

    explicit HostServices(Options options);
    HostServices();
    ~HostServices();
    HostServices(const HostServices&) = delete;
    HostServices& operator=(const HostServices&) = delete;

    // The services table handed to one plugin; it lives as long as this object.
    const vox_host_services* table_for(const std::string& plugin_name);

    // Runs `fn` on the work pool; false once shutdown() has begun.
    bool post(void (*fn)(void*), void* arg);
    // Refuses new work and waits for queued work to finish.
    void shutdown();

    static std::uint64_t monotonic_ns();

private:
    struct PluginContext;
    static void log(void* host, vox_log_level level, const char* message);
    static vox_status post_work(void* host, void (*fn)(void*), void* arg);
    static std::uint64_t monotonic_ns_for(void* host);
    static void counter_add(void* host, const char* provider_key, const char* name, double value);

    Options options_;
    std::unique_ptr<boost::asio::thread_pool> pool_;
    std::atomic<bool> accepting_{true};
    std::mutex mutex_;
    std::deque<std::unique_ptr<PluginContext>> contexts_;  // stable addresses
};

}  // namespace vox
