#include "calls/transport_call.hpp"

#include <vox/core/log.hpp>
#include <vox/core/providers/provider_error.hpp>

#include <nlohmann/json.hpp>

namespace vox::host {
namespace {

vox_error empty_error() { return vox_error{sizeof(vox_error), VOX_OK, {}}; }

}  // namespace

TransportCall::TransportCall(const vox_transport_vtable& vtable, vox_transport_call* call, std::uint32_t sample_rate)
    : vtable_(vtable), call_(call), sample_rate_(sample_rate) {}

void TransportCall::play(std::uint64_t context, const audio::AudioView& audio) {
    std::lock_guard lock(mutex_);
    if (gone_ || audio.samples.empty()) return;
    vox_audio raw{sizeof(vox_audio), audio.samples.data(), audio.frames(),
                  audio.sample_rate != 0 ? audio.sample_rate : sample_rate_, audio.channels};
    vox_error err = empty_error();
    if (vtable_.play(call_, context, &raw, &err) != VOX_OK)
        vox::log::debug("calls", "the transport refused audio", {{"error", err.message}});
}

std::uint32_t TransportCall::clear(std::uint64_t context) {
    std::lock_guard lock(mutex_);
    if (gone_) return 0;
    return vtable_.clear(call_, context);
}

void TransportCall::hangup(std::string_view reason) {
    std::lock_guard lock(mutex_);
    if (!requested_hangup_) requested_hangup_ = std::string(reason);
}

void TransportCall::transfer(std::string_view to) {
    std::string request = nlohmann::json{{"to", std::string(to)}}.dump();
    std::lock_guard lock(mutex_);
    if (gone_) throw ProviderError(VOX_ERR_UNAVAILABLE, "transport", "the caller has left");
    vox_error err = empty_error();
    vox_status status = vtable_.transfer(call_, request.c_str(), &err);
    if (status != VOX_OK)
        throw ProviderError(status, "transport",
                            err.message[0] != '\0' ? err.message : "the transport refused the transfer");
}

void TransportCall::send_event(const std::string& event_json) {
    // Optional since ABI 1.1; a 1.0 plugin's table ends before it.
    if (!VOX_STRUCT_HAS(&vtable_, vox_transport_vtable, send_event) || vtable_.send_event == nullptr) return;
    std::lock_guard lock(mutex_);
    if (gone_) return;
    vox_error err = empty_error();
    if (vtable_.send_event(call_, event_json.c_str(), &err) != VOX_OK)
        vox::log::debug("calls", "the transport refused an event", {{"error", err.message}});
}

void TransportCall::mark_gone() {
    std::lock_guard lock(mutex_);
    gone_ = true;
}

void TransportCall::close(const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (gone_) return;
    gone_ = true;
    vox_error err = empty_error();
    if (vtable_.hangup(call_, reason.c_str(), &err) != VOX_OK)
        vox::log::debug("calls", "the transport refused to hang up", {{"error", err.message}});
}

}  // namespace vox::host
