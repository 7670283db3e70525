// vox/sdk/llm.hpp — LLM providers in C++ (see tts.hpp for the pattern).
#pragma once

#include <vox/sdk/detail.hpp>
#include <vox/sdk/error.hpp>
#include <vox/sdk/provider_info.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace vox::sdk {

// Where a generation delivers its output. Copyable; thread-safe to call.
class LlmSink {
public:
    LlmSink() = default;
    LlmSink(const vox_llm_callbacks* callbacks, std::uint64_t generation)
        : callbacks_(detail::copy_versioned(callbacks)), generation_(generation) {}

    std::uint64_t generation() const { return generation_; }
    void token(std::string_view text) const {
        if (callbacks_.on_token != nullptr) callbacks_.on_token(callbacks_.user, generation_, text.data(), text.size());
    }
    void tool_call(const std::string& call_id, const std::string& name, const std::string& arguments_json) const {
        if (callbacks_.on_tool_call != nullptr)
            callbacks_.on_tool_call(callbacks_.user, generation_, call_id.c_str(), name.c_str(), arguments_json.c_str());
    }
    void done(const char* finish_reason) const {
        if (callbacks_.on_done != nullptr) callbacks_.on_done(callbacks_.user, generation_, finish_reason);
    }
    void error(vox_status code, const std::string& message) const {
        if (callbacks_.on_error != nullptr) callbacks_.on_error(callbacks_.user, generation_, code, message.c_str());
    }

private:
    vox_llm_callbacks callbacks_{};
    std::uint64_t generation_ = 0;
};

class LlmProvider {
public:
    virtual ~LlmProvider() = default;
    // Starts streaming; must return quickly (do network I/O on other threads).
    virtual void start(std::string_view request_json, LlmSink sink) = 0;
    virtual void cancel(std::uint64_t generation) noexcept = 0;
    // JSON array of model ids.
    virtual std::string list_models() = 0;
    virtual std::string describe() { return {}; }
};

namespace detail {

template <auto Member>
struct LlmAdapter {
    using Plugin = member_owner_t<decltype(Member)>;
    static LlmProvider& provider(void* ctx) { return static_cast<Plugin*>(ctx)->*Member; }

    static vox_status start(void* ctx, const char* request, std::uint64_t generation,
                            const vox_llm_callbacks* callbacks, vox_error* err) {
        return guarded(err, [&] { provider(ctx).start(view(request), LlmSink(callbacks, generation)); });
    }
    static void cancel(void* ctx, std::uint64_t generation) {
        guarded_void([&] { provider(ctx).cancel(generation); });
    }
    static vox_status list_models(void* ctx, vox_string_sink* out, vox_error* err) {
        return guarded(err, [&] { write_to(out, provider(ctx).list_models()); });
    }
    static vox_status describe(void* ctx, vox_string_sink* out, vox_error* err) {
        return guarded(err, [&] { write_to(out, provider(ctx).describe()); });
    }
    static constexpr vox_llm_vtable vtable{sizeof(vox_llm_vtable), &start, &cancel, &list_models};
};

}  // namespace detail

template <auto Member>
vox_provider llm_provider(const ProviderInfo& info) {
    using Adapter = detail::LlmAdapter<Member>;
    return detail::make_provider(VOX_PROVIDER_LLM, info, &Adapter::vtable, &Adapter::describe);
}

}  // namespace vox::sdk
