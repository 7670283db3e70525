// vox/sdk/transport.hpp — call transports in C++ (see tts.hpp for the pattern).
//
//   class MyCall : public vox::sdk::TransportCall { ... };      // one per call, owned by the plugin
//   class MyTransport : public vox::sdk::TransportProvider {
//       void start(std::string_view settings, vox::sdk::TransportSink sink) override;
//       void dial(std::string_view request) override;
//       void stop() noexcept override;
//   };
//   struct MyPlugin : vox::sdk::Plugin { MyTransport transport; ... };
//   static const vox_provider provider =
//       vox::sdk::transport_provider<&MyPlugin::transport>({"name", "description", caps, schema});
//
// The host's handle on a call (vox_transport_call*) is the TransportCall
// itself: TransportCall::handle() is what the sink reports, and the adapter
// turns it back into the object for play/clear/transfer/hangup/send_event.
// Call objects are owned by the plugin and must stay alive as long as the host
// may use the handle: until the host's hangup() on the call has returned (the
// host calls it once per call, also after on_call_ended), or until stop().
#pragma once

#include <vox/sdk/detail.hpp>
#include <vox/sdk/error.hpp>
#include <vox/sdk/provider_info.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace vox::sdk {

// One call of a transport. Its functions are called on host threads,
// concurrently with the plugin's own threads (never two host threads on one
// call at once), so an implementation guards what it shares with them.
class TransportCall {
public:
    virtual ~TransportCall() = default;

    // Queues agent audio of `context` for playout; `audio` is borrowed (copy it).
    virtual void play(std::uint64_t context, const vox_audio& audio) = 0;
    // Barge-in: drops queued playout of `context` (and older); returns how many
    // ms of `context` had been played. Must not throw.
    virtual std::uint32_t clear(std::uint64_t context) noexcept = 0;
    // Transfers the call (JSON {"to": ...}). By default unsupported.
    virtual void transfer(std::string_view request_json) {
        (void)request_json;
        throw Error(VOX_ERR_UNSUPPORTED, "this transport cannot transfer calls");
    }
    // Ends the call (the host's decision: no on_call_ended follows) and
    // releases the handle.
    virtual void hangup(std::string_view reason) = 0;
    // Delivers a call event (a JSON object) to the caller's client. By default unsupported.
    virtual void send_event(std::string_view event_json) {
        (void)event_json;
        throw Error(VOX_ERR_UNSUPPORTED, "this transport has no event channel");
    }

    vox_transport_call* handle() { return reinterpret_cast<vox_transport_call*>(this); }
    static TransportCall& from(vox_transport_call* call) { return *reinterpret_cast<TransportCall*>(call); }
};

// Where a transport reports calls and their media. Copyable; thread-safe to
// call. Never call it while holding a lock the host's calls into the
// transport (play, clear, hangup...) may need: the host may call back at once.
class TransportSink {
public:
    TransportSink() = default;
    explicit TransportSink(const vox_transport_callbacks* callbacks) : callbacks_(detail::copy_versioned(callbacks)) {}

    void call_started(TransportCall& call, const std::string& details_json) const {
        if (callbacks_.on_call_started != nullptr)
            callbacks_.on_call_started(callbacks_.user, call.handle(), details_json.c_str());
    }
    void audio(TransportCall& call, const std::int16_t* samples, std::size_t frames, std::uint32_t sample_rate,
               std::uint32_t channels = 1) const {
        if (callbacks_.on_audio == nullptr) return;
        vox_audio audio = detail::make_audio(samples, frames, sample_rate, channels);
        callbacks_.on_audio(callbacks_.user, call.handle(), &audio);
    }
    void dtmf(TransportCall& call, char digit) const {
        if (callbacks_.on_dtmf != nullptr) callbacks_.on_dtmf(callbacks_.user, call.handle(), digit);
    }
    void played(TransportCall& call, std::uint64_t context, std::uint32_t played_ms) const {
        if (callbacks_.on_played != nullptr) callbacks_.on_played(callbacks_.user, call.handle(), context, played_ms);
    }
    void call_ended(TransportCall& call, const char* reason) const {
        if (callbacks_.on_call_ended != nullptr) callbacks_.on_call_ended(callbacks_.user, call.handle(), reason);
    }

private:
    vox_transport_callbacks callbacks_{};
};

class TransportProvider {
public:
    virtual ~TransportProvider() = default;
    // Starts accepting calls; `settings_json` follows the provider's schema.
    virtual void start(std::string_view settings_json, TransportSink sink) = 0;
    // Places a call, or (for transports callers connect to) expects one.
    virtual void dial(std::string_view request_json) = 0;
    // Stops accepting calls and closes the open ones (no on_call_ended).
    virtual void stop() noexcept = 0;
    // Run-time capabilities (JSON object); empty means "use the static ones".
    virtual std::string describe() { return {}; }
};

namespace detail {

template <auto Member>
struct TransportAdapter {
    using Plugin = member_owner_t<decltype(Member)>;
    static TransportProvider& provider(void* ctx) { return static_cast<Plugin*>(ctx)->*Member; }

    static vox_status start(void* ctx, const char* settings, const vox_transport_callbacks* callbacks, vox_error* err) {
        return guarded(err, [&] { provider(ctx).start(view(settings), TransportSink(callbacks)); });
    }
    static vox_status dial(void* ctx, const char* request, vox_error* err) {
        return guarded(err, [&] { provider(ctx).dial(view(request)); });
    }
    static vox_status play(vox_transport_call* call, std::uint64_t context, const vox_audio* audio, vox_error* err) {
        return guarded(err, [&] {
            if (audio == nullptr) throw Error(VOX_ERR_INVALID_ARGUMENT, "no audio");
            TransportCall::from(call).play(context, *audio);
        });
    }
    static std::uint32_t clear(vox_transport_call* call, std::uint64_t context) {
        return TransportCall::from(call).clear(context);
    }
    static vox_status transfer(vox_transport_call* call, const char* request, vox_error* err) {
        return guarded(err, [&] { TransportCall::from(call).transfer(view(request)); });
    }
    static vox_status hangup(vox_transport_call* call, const char* reason, vox_error* err) {
        return guarded(err, [&] { TransportCall::from(call).hangup(view(reason)); });
    }
    static void stop(void* ctx) {
        guarded_void([&] { provider(ctx).stop(); });
    }
    static vox_status send_event(vox_transport_call* call, const char* event_json, vox_error* err) {
        return guarded(err, [&] { TransportCall::from(call).send_event(view(event_json)); });
    }
    static vox_status describe(void* ctx, vox_string_sink* out, vox_error* err) {
        return guarded(err, [&] { write_to(out, provider(ctx).describe()); });
    }
    static constexpr vox_transport_vtable vtable{sizeof(vox_transport_vtable), &start, &dial, &play, &clear,
                                                 &transfer, &hangup, &stop, &send_event};
};

}  // namespace detail

// A vox_provider whose functions forward to the TransportProvider member `Member` of the plugin class.
template <auto Member>
vox_provider transport_provider(const ProviderInfo& info) {
    using Adapter = detail::TransportAdapter<Member>;
    return detail::make_provider(VOX_PROVIDER_TRANSPORT, info, &Adapter::vtable, &Adapter::describe);
}

}  // namespace vox::sdk
