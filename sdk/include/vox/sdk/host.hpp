// vox/sdk/host.hpp — the host's services, as a small C++ value type.
#pragma once

#include <vox/plugin.h>
#include <vox/sdk/error.hpp>

#include <functional>
#include <memory>
#include <string>

namespace vox::sdk {

class Host {
public:
    Host() = default;
    explicit Host(const vox_host_services* services) : services_(services) {}

    void log(vox_log_level level, const std::string& message) const {
        if (services_ != nullptr && services_->log != nullptr) services_->log(services_->host, level, message.c_str());
    }
    void debug(const std::string& message) const { log(VOX_LOG_DEBUG, message); }
    void info(const std::string& message) const { log(VOX_LOG_INFO, message); }
    void warn(const std::string& message) const { log(VOX_LOG_WARN, message); }
    void error(const std::string& message) const { log(VOX_LOG_ERROR, message); }

    // Runs `work` on the host's blocking pool. Throws Error when the host refuses.
    void post_work(std::function<void()> work) const {
        if (services_ == nullptr || services_->post_work == nullptr)
            throw Error(VOX_ERR_UNAVAILABLE, "host offers no work pool");
        auto* boxed = new std::function<void()>(std::move(work));
        vox_status status = services_->post_work(
            services_->host,
            [](void* arg) {
                std::unique_ptr<std::function<void()>> job(static_cast<std::function<void()>*>(arg));
                guarded_void([&] { (*job)(); });
            },
            boxed);
        if (status != VOX_OK) {
            delete boxed;
            throw Error(status, "host refused work (shutting down)");
        }
    }

    std::uint64_t monotonic_ns() const {
        return services_ != nullptr && services_->monotonic_ns != nullptr ? services_->monotonic_ns(services_->host) : 0;
    }

    void counter_add(const char* provider_key, const char* name, double value) const {
        if (services_ != nullptr && VOX_STRUCT_HAS(services_, vox_host_services, counter_add) &&
            services_->counter_add != nullptr)
            services_->counter_add(services_->host, provider_key, name, value);
    }

    const vox_host_services* raw() const { return services_; }

private:
    const vox_host_services* services_ = nullptr;
};

}  // namespace vox::sdk
