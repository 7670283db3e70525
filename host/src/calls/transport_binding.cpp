#include "calls/transport_binding.hpp"

#include <vox/core/log.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <exception>

namespace vox::host {
namespace {

TransportEvents& events_of(void* user) { return *static_cast<TransportEvents*>(user); }

// Runs a callback's body; nothing thrown may unwind into the plugin.
template <class Fn>
void guarded(const char* what, Fn&& fn) noexcept {
    try {
        fn();
    } catch (const std::exception& error) {
        vox::log::error("calls", "a transport callback failed", {{"callback", what}, {"error", error.what()}});
    } catch (...) {
        vox::log::error("calls", "a transport callback failed", {{"callback", what}});
    }
}

void on_call_started(void* user, vox_transport_call* call, const char* details_json) {
    guarded("on_call_started", [&] {
        auto details = nlohmann::json::parse(details_json != nullptr ? details_json : "{}", nullptr, false);
        if (!details.is_object()) details = nlohmann::json::object();
        events_of(user).on_call_started(call, details);
    });
}

void on_audio(void* user, vox_transport_call* call, const vox_audio* audio) {
    if (audio == nullptr) return;
    guarded("on_audio", [&] { events_of(user).on_audio(call, *audio); });
}

void on_dtmf(void* user, vox_transport_call* call, char digit) {
    guarded("on_dtmf", [&] { events_of(user).on_dtmf(call, digit); });
}

void on_played(void* user, vox_transport_call* call, uint64_t context, uint32_t played_ms) {
    guarded("on_played", [&] { events_of(user).on_played(call, context, played_ms); });
}

void on_call_ended(void* user, vox_transport_call* call, const char* reason) {
    guarded("on_call_ended", [&] { events_of(user).on_call_ended(call, reason != nullptr ? reason : ""); });
}

vox_error empty_error() { return vox_error{sizeof(vox_error), VOX_OK, {}}; }

}  // namespace

TransportBinding::TransportBinding(Provider provider, std::shared_ptr<const PluginRecord> plugin,
                                   nlohmann::json settings)
    : plugin_(std::move(plugin)), provider_(std::move(provider)), settings_(std::move(settings)) {}

TransportBinding::~TransportBinding() { stop(); }

void TransportBinding::start(TransportEvents& events) {
    callbacks_ = vox_transport_callbacks{sizeof(vox_transport_callbacks), &events, &on_call_started, &on_audio,
                                         &on_dtmf, &on_played, &on_call_ended};
    std::string settings = settings_.dump();
    vox_error err = empty_error();
    vox_status status = vtable().start(provider_.plugin_context(), settings.c_str(), &callbacks_, &err);
    if (status != VOX_OK) throw ProviderError(status, provider_.key, err.message);
    started_ = true;
}

void TransportBinding::stop() {
    if (!started_.exchange(false)) return;
    vtable().stop(provider_.plugin_context());
}

void TransportBinding::dial(const nlohmann::json& request) {
    if (vtable().dial == nullptr)  // optional: a transport may only answer calls
        throw ProviderError(VOX_ERR_UNSUPPORTED, provider_.key, "this transport does not take web callers (no dial)");
    std::string text = request.dump();
    vox_error err = empty_error();
    vox_status status = vtable().dial(provider_.plugin_context(), text.c_str(), &err);
    if (status != VOX_OK) throw ProviderError(status, provider_.key, err.message);
}

std::string TransportBinding::base_url() const {
    std::string url;
    if (auto it = settings_.find("public_url"); it != settings_.end() && it->is_string()) url = it->get<std::string>();
    if (url.empty()) {
        nlohmann::json described = provider_.describe();
        if (auto it = described.find("listen_url"); it != described.end() && it->is_string())
            url = it->get<std::string>();
    }
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace vox::host
