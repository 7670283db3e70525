// A stand-in for voxd on the host side of transport.websocket: loads the real
// plugin from the build tree through the PluginRegistry, starts it with its C
// callbacks, and records what the transport reports, per call. Optionally
// plays every caller frame straight back (echo). Used by the transport tests
// and by the call server that voxctl call's tests run against.
#pragma once

#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/plugin.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vox::test {

struct HostCall {
    vox_transport_call* handle = nullptr;
    nlohmann::json details;
    std::vector<std::int16_t> audio;  // everything the caller sent
    std::size_t audio_callbacks = 0;
    std::string digits;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> played;  // (context, played_ms)
    std::vector<std::chrono::steady_clock::time_point> played_at;
    std::optional<std::string> ended;
};

class TransportHost {
public:
    using Clock = std::chrono::steady_clock;

    // Loads the plugin file; `configured` is handed to init as the provider's settings.
    explicit TransportHost(const std::string& plugin_file, nlohmann::json configured = {{"port", 0}}) {
        RegistryOptions options;
        options.settings_for = [configured](const std::string&) { return configured; };
        registry_ = std::make_unique<PluginRegistry>(services_, options);
        if (!PluginLoader(*registry_).load_file(plugin_file)) {
            std::string reasons;
            for (const auto& refused : registry_->refused()) reasons += refused.origin + ": " + refused.reason + "\n";
            throw std::runtime_error("transport plugin refused: " + reasons);
        }
        provider_ = registry_->find("transport.websocket");
        if (provider_ == nullptr) throw std::runtime_error("no transport.websocket provider");
    }
    ~TransportHost() {
        stop();
        registry_->shutdown();
    }

    const Provider& provider() const { return *provider_; }
    const vox_transport_vtable& vtable() const { return provider_->vtable<vox_transport_vtable>(); }
    void* context() const { return provider_->plugin_context(); }

    // Starts the transport; returns the status (VOX_OK expected) and the error message.
    vox_status start(const nlohmann::json& settings = nlohmann::json::object(), std::string* message = nullptr) {
        callbacks_ = vox_transport_callbacks{sizeof(vox_transport_callbacks), this, &on_call_started, &on_audio,
                                             &on_dtmf,  &on_played, &on_call_ended};
        vox_error err{sizeof(vox_error), VOX_OK, {}};
        vox_status status = vtable().start(context(), settings.dump().c_str(), &callbacks_, &err);
        if (message != nullptr) *message = err.message;
        started_ = status == VOX_OK;
        return status;
    }
    void stop() {
        if (started_) vtable().stop(context());
        started_ = false;
    }

    nlohmann::json describe() const { return provider_->describe(); }
    std::uint16_t port() const {
        std::string url = describe().value("listen_url", "");
        return static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
    }

    vox_status dial(const nlohmann::json& request, std::string* message = nullptr) {
        vox_error err{sizeof(vox_error), VOX_OK, {}};
        vox_status status = vtable().dial(context(), request.dump().c_str(), &err);
        if (message != nullptr) *message = err.message;
        return status;
    }
    vox_status dial(const std::string& call_id, const std::string& token, std::uint32_t rate = 16000,
                    std::int64_t expires_in_ms = 30000) {
        return dial({{"call_id", call_id},
                     {"access_token", token},
                     {"expires_in_ms", expires_in_ms},
                     {"sample_rate", rate}});
    }

    vox_status play(vox_transport_call* call, std::uint64_t context, const std::vector<std::int16_t>& samples,
                    std::uint32_t rate = 16000, std::uint32_t channels = 1) {
        vox_audio audio{sizeof(vox_audio), samples.data(), samples.size() / channels, rate, channels};
        vox_error err{sizeof(vox_error), VOX_OK, {}};
        return vtable().play(call, context, &audio, &err);
    }
    std::uint32_t clear(vox_transport_call* call, std::uint64_t context) { return vtable().clear(call, context); }
    vox_status send_event(vox_transport_call* call, const nlohmann::json& event) {
        return send_event_text(call, event.dump());
    }
    vox_status send_event_text(vox_transport_call* call, const std::string& text) {
        vox_error err{sizeof(vox_error), VOX_OK, {}};
        return vtable().send_event(call, text.c_str(), &err);
    }
    vox_status hangup(vox_transport_call* call, const std::string& reason) {
        vox_error err{sizeof(vox_error), VOX_OK, {}};
        return vtable().hangup(call, reason.c_str(), &err);
    }

    // Play every caller frame back at once, in context 1 (from the reactor thread, as a quick host would).
    void set_echo(bool echo) { echo_ = echo; }
    // Runs on the transport's thread for every call that starts (after it is recorded).
    void on_started(std::function<void(vox_transport_call*, const nlohmann::json&)> fn) {
        std::lock_guard lock(mutex_);
        started_hook_ = std::move(fn);
    }
    // Runs on the transport's thread for every caller frame (after it is recorded).
    void on_audio_hook(std::function<void(vox_transport_call*, const std::int16_t*, std::size_t)> fn) {
        std::lock_guard lock(mutex_);
        audio_hook_ = std::move(fn);
    }

    // Runs on the transport's thread for every on_played / on_call_ended (after it is recorded).
    void on_played_hook(std::function<void(vox_transport_call*, std::uint64_t, std::uint32_t)> fn) {
        std::lock_guard lock(mutex_);
        played_hook_ = std::move(fn);
    }
    void on_ended_hook(std::function<void(vox_transport_call*, const std::string&)> fn) {
        std::lock_guard lock(mutex_);
        ended_hook_ = std::move(fn);
    }

    // Waits until `pred(calls)` holds (the calls by call id); false on timeout.
    bool wait(const std::function<bool(const std::map<std::string, HostCall>&)>& pred,
              std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return pred(calls_); });
    }
    bool wait_started(const std::string& call_id, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        return wait([&](const auto& calls) { return calls.count(call_id) != 0; }, timeout);
    }
    bool wait_ended(const std::string& call_id, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        return wait([&](const auto& calls) { return calls.count(call_id) != 0 && calls.at(call_id).ended; },
                    timeout);
    }
    HostCall call(const std::string& call_id) {
        std::lock_guard lock(mutex_);
        auto it = calls_.find(call_id);
        return it == calls_.end() ? HostCall{} : it->second;
    }
    std::size_t callbacks() const { return callbacks_seen_.load(); }

private:
    static TransportHost& self(void* user) { return *static_cast<TransportHost*>(user); }
    std::string id_of(vox_transport_call* call) {
        auto it = ids_.find(call);
        return it == ids_.end() ? std::string() : it->second;
    }

    static void on_call_started(void* user, vox_transport_call* call, const char* details_json) {
        auto& host = self(user);
        ++host.callbacks_seen_;
        auto details = nlohmann::json::parse(details_json);
        std::function<void(vox_transport_call*, const nlohmann::json&)> hook;
        {
            std::lock_guard lock(host.mutex_);
            std::string id = details.value("call_id", "");
            host.ids_[call] = id;
            HostCall& record = host.calls_[id];
            record.handle = call;
            record.details = details;
            hook = host.started_hook_;
        }
        host.changed_.notify_all();
        if (hook) hook(call, details);
    }
    static void on_audio(void* user, vox_transport_call* call, const vox_audio* audio) {
        auto& host = self(user);
        ++host.callbacks_seen_;
        std::function<void(vox_transport_call*, const std::int16_t*, std::size_t)> hook;
        {
            std::lock_guard lock(host.mutex_);
            HostCall& record = host.calls_[host.id_of(call)];
            record.audio.insert(record.audio.end(), audio->samples, audio->samples + audio->frames);
            ++record.audio_callbacks;
            hook = host.audio_hook_;
        }
        host.changed_.notify_all();
        if (host.echo_) {
            std::vector<std::int16_t> copy(audio->samples, audio->samples + audio->frames);
            host.play(call, 1, copy, audio->sample_rate);
        }
        if (hook) hook(call, audio->samples, audio->frames);
    }
    static void on_dtmf(void* user, vox_transport_call* call, char digit) {
        auto& host = self(user);
        ++host.callbacks_seen_;
        {
            std::lock_guard lock(host.mutex_);
            host.calls_[host.id_of(call)].digits += digit;
        }
        host.changed_.notify_all();
    }
    static void on_played(void* user, vox_transport_call* call, std::uint64_t context, std::uint32_t played_ms) {
        auto& host = self(user);
        ++host.callbacks_seen_;
        std::function<void(vox_transport_call*, std::uint64_t, std::uint32_t)> hook;
        {
            std::lock_guard lock(host.mutex_);
            HostCall& record = host.calls_[host.id_of(call)];
            record.played.emplace_back(context, played_ms);
            record.played_at.push_back(Clock::now());
            hook = host.played_hook_;
        }
        host.changed_.notify_all();
        if (hook) hook(call, context, played_ms);
    }
    static void on_call_ended(void* user, vox_transport_call* call, const char* reason) {
        auto& host = self(user);
        ++host.callbacks_seen_;
        std::function<void(vox_transport_call*, const std::string&)> hook;
        {
            std::lock_guard lock(host.mutex_);
            host.calls_[host.id_of(call)].ended = reason;
            hook = host.ended_hook_;
        }
        host.changed_.notify_all();
        if (hook) hook(call, reason);
    }

    HostServices services_;
    std::unique_ptr<PluginRegistry> registry_;
    const Provider* provider_ = nullptr;
    vox_transport_callbacks callbacks_{};
    bool started_ = false;
    std::atomic<bool> echo_{false};
    std::atomic<std::size_t> callbacks_seen_{0};

    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, HostCall> calls_;
    std::map<vox_transport_call*, std::string> ids_;
    std::function<void(vox_transport_call*, const nlohmann::json&)> started_hook_;
    std::function<void(vox_transport_call*, const std::int16_t*, std::size_t)> audio_hook_;
    std::function<void(vox_transport_call*, std::uint64_t, std::uint32_t)> played_hook_;
    std::function<void(vox_transport_call*, const std::string&)> ended_hook_;
};

}  // namespace vox::test
