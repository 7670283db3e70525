// One caller's connection on the transport, as the call pipeline sees it
// (vox::call::CallTransport: play, clear, hangup), plus send_event for the
// call's events. The vox_transport_call pointer belongs to the plugin and is
// used only until the transport reports the end (on_call_ended) or voxd hangs
// up; after that every operation is a no-op.
//
// hangup() from the session only notes that it wants the call over: the
// connection is closed by close() once the host has stored the record and
// sent call_ended over it (docs/protocol.md: the socket closes after call_ended).
#pragma once

#include <vox/core/call/call_session.hpp>
#include <vox/plugin.h>

#include <mutex>
#include <optional>
#include <string>

namespace vox::host {

class TransportCall final : public call::CallTransport {
public:
    TransportCall(const vox_transport_vtable& vtable, vox_transport_call* call, std::uint32_t sample_rate);

    void play(std::uint64_t context, const audio::AudioView& audio) override;
    std::uint32_t clear(std::uint64_t context) override;
    void hangup(std::string_view reason) override;
    // Asks the transport to transfer (vox_transport_vtable.transfer); throws ProviderError when it cannot.
    void transfer(std::string_view to) override;

    // An event for the caller's client (when the transport has a channel for it).
    void send_event(const std::string& event_json);
    // The transport reported the end: the call pointer is no longer to be used.
    void mark_gone();
    // Hangs up (unless the transport already ended the call) with `reason`. Idempotent.
    void close(const std::string& reason);
    vox_transport_call* raw() const { return call_; }

private:
    const vox_transport_vtable& vtable_;
    vox_transport_call* const call_;
    const std::uint32_t sample_rate_;
    // Held across each call into the plugin, so that mark_gone() (the
    // transport's own thread, before it frees the call) waits for one in progress.
    mutable std::mutex mutex_;
    bool gone_ = false;
    std::optional<std::string> requested_hangup_;
};

}  // namespace vox::host
