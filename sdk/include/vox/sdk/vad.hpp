// vox/sdk/vad.hpp — voice-activity detectors in C++ (see tts.hpp for the pattern).
#pragma once

#include <vox/sdk/detail.hpp>
#include <vox/sdk/error.hpp>
#include <vox/sdk/provider_info.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace vox::sdk {

class VadSession {
public:
    virtual ~VadSession() = default;
    // Probability 0..1 that `audio` holds speech. Cheap: runs on the call's strand.
    virtual float process(const vox_audio& audio) = 0;
    virtual void reset() noexcept = 0;
};

class VadProvider {
public:
    virtual ~VadProvider() = default;
    virtual std::unique_ptr<VadSession> open(std::string_view settings_json, std::uint32_t sample_rate) = 0;
    virtual std::string describe() { return {}; }
};

namespace detail {

template <auto Member>
struct VadAdapter {
    using Plugin = member_owner_t<decltype(Member)>;
    static VadSession& session(vox_vad_session* s) { return *reinterpret_cast<VadSession*>(s); }

    static vox_status open(void* ctx, const char* settings, std::uint32_t rate, vox_vad_session** out, vox_error* err) {
        return guarded(err, [&] {
            VadProvider& provider = static_cast<Plugin*>(ctx)->*Member;
            *out = reinterpret_cast<vox_vad_session*>(provider.open(view(settings), rate).release());
        });
    }
    static vox_status process(vox_vad_session* s, const vox_audio* audio, float* probability, vox_error* err) {
        return guarded(err, [&] { *probability = session(s).process(*audio); });
    }
    static void reset(vox_vad_session* s) {
        guarded_void([&] { session(s).reset(); });
    }
    static void close(vox_vad_session* s) {
        guarded_void([&] { delete &session(s); });
    }
    static vox_status describe(void* ctx, vox_string_sink* out, vox_error* err) {
        return guarded(err, [&] { write_to(out, (static_cast<Plugin*>(ctx)->*Member).describe()); });
    }
    static constexpr vox_vad_vtable vtable{sizeof(vox_vad_vtable), &open, &process, &reset, &close};
};

}  // namespace detail

template <auto Member>
vox_provider vad_provider(const ProviderInfo& info) {
    using Adapter = detail::VadAdapter<Member>;
    return detail::make_provider(VOX_PROVIDER_VAD, info, &Adapter::vtable, &Adapter::describe);
}

}  // namespace vox::sdk
