// vox/sdk/tts.hpp — text-to-speech providers in C++.
//
//   class MySession : public vox::sdk::TtsSession { ... };
//   class MyTts : public vox::sdk::TtsProvider {
//       std::unique_ptr<vox::sdk::TtsSession> open(std::string_view settings, vox::sdk::TtsSink sink) override;
//   };
//   struct MyPlugin : vox::sdk::Plugin { MyTts tts; ... };
//   static const vox_provider provider = vox::sdk::tts_provider<&MyPlugin::tts>({"name", "description", caps, schema});
#pragma once

#include <vox/sdk/detail.hpp>
#include <vox/sdk/error.hpp>
#include <vox/sdk/provider_info.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vox::sdk {

// Where a TTS session delivers its output. Copyable; thread-safe to call.
class TtsSink {
public:
    TtsSink() = default;
    explicit TtsSink(const vox_tts_callbacks* callbacks) : callbacks_(detail::copy_versioned(callbacks)) {}

    void audio(std::uint64_t context, const std::int16_t* samples, std::size_t frames, std::uint32_t sample_rate,
               std::uint32_t channels = 1) const {
        if (callbacks_.on_audio == nullptr) return;
        vox_audio audio = detail::make_audio(samples, frames, sample_rate, channels);
        callbacks_.on_audio(callbacks_.user, context, &audio);
    }
    void word(std::uint64_t context, const std::string& word, std::uint32_t start_ms, std::uint32_t end_ms) const {
        if (callbacks_.on_word != nullptr) callbacks_.on_word(callbacks_.user, context, word.c_str(), start_ms, end_ms);
    }
    void done(std::uint64_t context) const {
        if (callbacks_.on_done != nullptr) callbacks_.on_done(callbacks_.user, context);
    }
    void error(std::uint64_t context, vox_status code, const std::string& message) const {
        if (callbacks_.on_error != nullptr) callbacks_.on_error(callbacks_.user, context, code, message.c_str());
    }

private:
    vox_tts_callbacks callbacks_{};
};

class TtsSession {
public:
    virtual ~TtsSession() = default;
    virtual void push_text(std::uint64_t context, std::string_view text) = 0;
    virtual void flush(std::uint64_t context) = 0;
    // Must not throw; after it returns no audio of `context` may be delivered.
    virtual void cancel(std::uint64_t context) noexcept = 0;
};

class TtsProvider {
public:
    virtual ~TtsProvider() = default;
    virtual std::unique_ptr<TtsSession> open(std::string_view settings_json, TtsSink sink) = 0;
    // Run-time capabilities (JSON object); empty means "use the static ones".
    virtual std::string describe() { return {}; }
};

namespace detail {

template <auto Member>
struct TtsAdapter {
    using Plugin = member_owner_t<decltype(Member)>;
    static TtsSession& session(vox_tts_session* s) { return *reinterpret_cast<TtsSession*>(s); }

    static vox_status open(void* ctx, const char* settings, const vox_tts_callbacks* callbacks, vox_tts_session** out,
                           vox_error* err) {
        return guarded(err, [&] {
            TtsProvider& provider = static_cast<Plugin*>(ctx)->*Member;
            *out = reinterpret_cast<vox_tts_session*>(provider.open(view(settings), TtsSink(callbacks)).release());
        });
    }
    static vox_status push_text(vox_tts_session* s, std::uint64_t context, const char* text, std::size_t length,
                                vox_error* err) {
        return guarded(err, [&] { session(s).push_text(context, std::string_view(text, length)); });
    }
    static vox_status flush(vox_tts_session* s, std::uint64_t context, vox_error* err) {
        return guarded(err, [&] { session(s).flush(context); });
    }
    static void cancel(vox_tts_session* s, std::uint64_t context) {
        guarded_void([&] { session(s).cancel(context); });
    }
    static void close(vox_tts_session* s) {
        guarded_void([&] { delete &session(s); });
    }
    static vox_status describe(void* ctx, vox_string_sink* out, vox_error* err) {
        return guarded(err, [&] { write_to(out, (static_cast<Plugin*>(ctx)->*Member).describe()); });
    }
    static constexpr vox_tts_vtable vtable{sizeof(vox_tts_vtable), &open, &push_text, &flush, &cancel, &close};
};

}  // namespace detail

// A vox_provider whose functions forward to the TtsProvider member `Member` of the plugin class.
template <auto Member>
vox_provider tts_provider(const ProviderInfo& info) {
    using Adapter = detail::TtsAdapter<Member>;
    return detail::make_provider(VOX_PROVIDER_TTS, info, &Adapter::vtable, &Adapter::describe);
}

}  // namespace vox::sdk
