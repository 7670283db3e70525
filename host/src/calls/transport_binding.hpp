// voxd's hold on the call transport provider (transport.websocket): starts
// and stops it, asks it to expect a web caller (dial), says where callers
// connect, and turns its C callbacks into calls on a TransportEvents (the
// CallManager), catching anything thrown so that no exception crosses the ABI.
#pragma once

#include <vox/core/plugin_registry.hpp>
#include <vox/plugin.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace vox::host {

// What a transport reports. Any thread (the transport's); implementations must not block for long.
class TransportEvents {
public:
    virtual ~TransportEvents() = default;
    virtual void on_call_started(vox_transport_call* call, const nlohmann::json& details) = 0;
    virtual void on_audio(vox_transport_call* call, const vox_audio& audio) = 0;
    virtual void on_dtmf(vox_transport_call* call, char digit) = 0;
    virtual void on_played(vox_transport_call* call, std::uint64_t context, std::uint32_t played_ms) = 0;
    virtual void on_call_ended(vox_transport_call* call, const std::string& reason) = 0;
};

class TransportBinding {
public:
    // `settings`: the provider's configured settings ([provider.transport.<name>]).
    // `plugin` keeps the provider's plugin initialised while the binding
    // lives; the provider is copied, since the registry (the provider
    // generation) that listed it may be released by a reload while the
    // transport runs on.
    TransportBinding(Provider provider, std::shared_ptr<const PluginRecord> plugin, nlohmann::json settings);
    ~TransportBinding();  // stop()
    TransportBinding(const TransportBinding&) = delete;
    TransportBinding& operator=(const TransportBinding&) = delete;

    // Starts listening; callbacks go to `events`, which must outlive stop().
    // Throws ProviderError when the transport refuses.
    void start(TransportEvents& events);
    // Stops accepting calls. Idempotent.
    void stop();
    bool started() const { return started_; }

    // "Expect this caller": {"call_id","access_token","expires_in_ms","sample_rate"}. Throws ProviderError.
    void dial(const nlohmann::json& request);

    // Where callers connect, without a trailing slash: the public_url setting
    // when given, else the listen_url the transport describes at run time
    // ("ws://host:port"); empty when neither is known.
    std::string base_url() const;

    const Provider& provider() const { return provider_; }
    const vox_transport_vtable& vtable() const { return provider_.vtable<vox_transport_vtable>(); }

private:
    std::shared_ptr<const PluginRecord> plugin_;  // first: outlives every use of provider_
    Provider provider_;
    nlohmann::json settings_;
    vox_transport_callbacks callbacks_{};
    std::atomic<bool> started_{false};
};

}  // namespace vox::host
