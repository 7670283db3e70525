// vox/sdk/stt.hpp — speech-to-text providers in C++ (see tts.hpp for the pattern).
#pragma once

#include <vox/sdk/detail.hpp>
#include <vox/sdk/error.hpp>
#include <vox/sdk/provider_info.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vox::sdk {

struct Transcript {
    std::string text;
    bool is_final = false;
    std::uint32_t start_ms = 0;
    std::uint32_t end_ms = 0;
    float confidence = -1.0F;
};

// Where an STT session delivers results. Copyable; thread-safe to call.
class SttSink {
public:
    SttSink() = default;
    explicit SttSink(const vox_stt_callbacks* callbacks) : callbacks_(detail::copy_versioned(callbacks)) {}

    void transcript(const Transcript& t) const {
        if (callbacks_.on_transcript == nullptr) return;
        vox_transcript raw{
            sizeof(vox_transcript), t.text.c_str(), t.is_final ? 1 : 0, t.start_ms, t.end_ms, t.confidence};
        callbacks_.on_transcript(callbacks_.user, &raw);
    }
    void error(vox_status code, const std::string& message) const {
        if (callbacks_.on_error != nullptr) callbacks_.on_error(callbacks_.user, code, message.c_str());
    }

private:
    vox_stt_callbacks callbacks_{};
};

class SttSession {
public:
    virtual ~SttSession() = default;
    virtual void push_audio(const vox_audio& audio) = 0;
    virtual void flush() = 0;
    virtual void end_input() = 0;
    virtual void cancel() noexcept = 0;
    // Since ABI 1.2: restricts recognition to a grammar (JSON, see
    // vox_stt_vtable.set_grammar in vox/plugin.h) from the next utterance on;
    // "{}" or "null" means free speech again. Throw Error(VOX_ERR_INVALID_ARGUMENT)
    // for a grammar the session cannot honour. By default unsupported, which
    // the host reads as "this provider has no grammars".
    virtual void set_grammar(std::string_view grammar_json) {
        (void)grammar_json;
        throw Error(VOX_ERR_UNSUPPORTED, "this speech-to-text provider does not support grammars");
    }
};

class SttProvider {
public:
    virtual ~SttProvider() = default;
    virtual std::unique_ptr<SttSession> open(std::string_view settings_json, std::uint32_t sample_rate,
                                             SttSink sink) = 0;
    virtual std::string describe() { return {}; }
};

namespace detail {

template <auto Member>
struct SttAdapter {
    using Plugin = member_owner_t<decltype(Member)>;
    static SttSession& session(vox_stt_session* s) { return *reinterpret_cast<SttSession*>(s); }

    static vox_status open(void* ctx, const char* settings, std::uint32_t rate, const vox_stt_callbacks* callbacks,
                           vox_stt_session** out, vox_error* err) {
        return guarded(err, [&] {
            SttProvider& provider = static_cast<Plugin*>(ctx)->*Member;
            *out =
                reinterpret_cast<vox_stt_session*>(provider.open(view(settings), rate, SttSink(callbacks)).release());
        });
    }
    static vox_status push_audio(vox_stt_session* s, const vox_audio* audio, vox_error* err) {
        return guarded(err, [&] { session(s).push_audio(*audio); });
    }
    static vox_status flush(vox_stt_session* s, vox_error* err) {
        return guarded(err, [&] { session(s).flush(); });
    }
    static vox_status end_input(vox_stt_session* s, vox_error* err) {
        return guarded(err, [&] { session(s).end_input(); });
    }
    static void cancel(vox_stt_session* s) {
        guarded_void([&] { session(s).cancel(); });
    }
    static vox_status set_grammar(vox_stt_session* s, const char* grammar_json, vox_error* err) {
        return guarded(
            err, [&] { session(s).set_grammar(std::string_view(grammar_json != nullptr ? grammar_json : "null")); });
    }
    static void close(vox_stt_session* s) {
        guarded_void([&] { delete &session(s); });
    }
    static vox_status describe(void* ctx, vox_string_sink* out, vox_error* err) {
        return guarded(err, [&] { write_to(out, (static_cast<Plugin*>(ctx)->*Member).describe()); });
    }
    static constexpr vox_stt_vtable vtable{
        sizeof(vox_stt_vtable), &open, &push_audio, &flush, &end_input, &cancel, &close, &set_grammar};
};

}  // namespace detail

template <auto Member>
vox_provider stt_provider(const ProviderInfo& info) {
    using Adapter = detail::SttAdapter<Member>;
    return detail::make_provider(VOX_PROVIDER_STT, info, &Adapter::vtable, &Adapter::describe);
}

}  // namespace vox::sdk
