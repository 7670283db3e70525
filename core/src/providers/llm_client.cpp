#include <vox/core/log.hpp>
#include <vox/core/providers/llm_client.hpp>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <set>
#include <string>

namespace vox {
namespace {

// Generation ids are unique in the process, so a late callback can never be
// mistaken for another client's generation.
std::atomic<std::uint64_t> g_next_generation{1};

// How long the destructor waits for cancelled generations to end.
constexpr std::chrono::seconds kCloseWait{10};

std::string error_text(const vox_error& err) {
    std::string text(err.message, strnlen(err.message, sizeof err.message));
    return text.empty() ? "no message" : text;
}

}  // namespace

struct LlmClient::State {
    const Provider* provider = nullptr;
    const vox_llm_vtable* vtable = nullptr;
    LlmCallbacks callbacks;
    vox_llm_callbacks raw{};

    mutable std::mutex mutex;  // leaf lock: never held while calling out
    mutable std::condition_variable idle;
    std::set<std::uint64_t> active;
    std::set<std::uint64_t> cancelled;  // subset of active
    // Callbacks being delivered right now: the client is not idle (and may not
    // be destroyed) until they have returned, even after their generation ended.
    std::size_t delivering = 0;

    // True (and counted as delivering) when `generation` may still report tokens.
    bool begin_live_delivery(std::uint64_t generation) {
        std::lock_guard lock(mutex);
        if (active.count(generation) == 0 || cancelled.count(generation) != 0) return false;
        ++delivering;
        return true;
    }
    // True for the one call that ends `generation` (then counted as delivering).
    bool end(std::uint64_t generation) {
        std::lock_guard lock(mutex);
        if (active.erase(generation) == 0) return false;
        cancelled.erase(generation);
        ++delivering;
        return true;
    }
    void delivered() {
        std::lock_guard lock(mutex);
        --delivering;
        idle.notify_all();
    }

    template <class Fn>
    void deliver(const char* what, Fn&& fn) noexcept {
        try {
            fn();
        } catch (const std::exception& e) {
            log::error("llm", "callback threw", {{"provider", provider->key}, {"callback", what}, {"error", e.what()}});
        } catch (...) {
            log::error("llm", "callback threw", {{"provider", provider->key}, {"callback", what}});
        }
    }

    static void on_token(void* user, std::uint64_t generation, const char* text, std::size_t length) {
        auto* state = static_cast<State*>(user);
        if (text == nullptr || length == 0 || !state->callbacks.on_token || !state->begin_live_delivery(generation)) return;
        state->deliver("on_token", [&] { state->callbacks.on_token(generation, std::string_view(text, length)); });
        state->delivered();
    }
    static void on_tool_call(void* user, std::uint64_t generation, const char* id, const char* name,
                             const char* arguments) {
        auto* state = static_cast<State*>(user);
        if (!state->callbacks.on_tool_call || !state->begin_live_delivery(generation)) return;
        LlmToolCall call{id != nullptr ? id : "", name != nullptr ? name : "",
                         arguments != nullptr && *arguments != '\0' ? arguments : "{}"};
        state->deliver("on_tool_call", [&] { state->callbacks.on_tool_call(generation, call); });
        state->delivered();
    }
    static void on_done(void* user, std::uint64_t generation, const char* finish_reason) {
        auto* state = static_cast<State*>(user);
        if (!state->end(generation)) return;
        std::string_view reason = finish_reason != nullptr && *finish_reason != '\0' ? finish_reason : "stop";
        if (state->callbacks.on_done) state->deliver("on_done", [&] { state->callbacks.on_done(generation, reason); });
        state->delivered();
    }
    static void on_error(void* user, std::uint64_t generation, vox_status code, const char* message) {
        auto* state = static_cast<State*>(user);
        if (!state->end(generation)) return;
        ProviderError error(code == VOX_OK ? VOX_ERR_INTERNAL : code, state->provider->key,
                            message != nullptr && *message != '\0' ? message : "generation failed (no message)");
        if (state->callbacks.on_error) {
            state->deliver("on_error", [&] { state->callbacks.on_error(generation, error); });
        } else {
            log::warn("llm", "provider error",
                      {{"provider", state->provider->key}, {"generation", generation}, {"message", error.message()}});
        }
        state->delivered();
    }
};

LlmClient::LlmClient(const Provider& provider, LlmCallbacks callbacks) : state_(std::make_unique<State>()) {
    if (provider.kind != ProviderKind::llm)
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, provider.key,
                            "is a " + std::string(to_string(provider.kind)) + " provider, not an llm provider");
    state_->provider = &provider;
    state_->vtable = &provider.vtable<vox_llm_vtable>();
    state_->callbacks = std::move(callbacks);
    state_->raw = vox_llm_callbacks{sizeof(vox_llm_callbacks), state_.get(), &State::on_token,
                                    &State::on_tool_call,      &State::on_done, &State::on_error};
}

LlmClient::~LlmClient() {
    std::set<std::uint64_t> running;
    {
        std::lock_guard lock(state_->mutex);
        running = state_->active;
    }
    for (auto generation : running) cancel(generation);
    if (!wait_idle(kCloseWait)) {
        // A plugin that never ends a cancelled generation would call into
        // freed memory later: keep the state alive instead (a bounded leak).
        log::error("llm", "generations did not end after cancel; leaking the client state",
                   {{"provider", state_->provider->key}, {"active", active()}});
        (void)state_.release();
    }
}

std::uint64_t LlmClient::start(const nlohmann::json& request) {
    if (!request.is_object())
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, state_->provider->key, "the request must be a JSON object");
    std::string body = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::uint64_t generation = g_next_generation.fetch_add(1);
    {
        std::lock_guard lock(state_->mutex);
        state_->active.insert(generation);
    }
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_status status =
        state_->vtable->start(state_->provider->plugin_context(), body.c_str(), generation, &state_->raw, &err);
    if (status != VOX_OK) {
        if (state_->end(generation)) state_->delivered();
        throw ProviderError(status, state_->provider->key, "start failed: " + error_text(err));
    }
    return generation;
}

void LlmClient::cancel(std::uint64_t generation) noexcept {
    {
        std::lock_guard lock(state_->mutex);
        if (state_->active.count(generation) == 0) return;
        state_->cancelled.insert(generation);
    }
    state_->vtable->cancel(state_->provider->plugin_context(), generation);
}

std::size_t LlmClient::active() const {
    std::lock_guard lock(state_->mutex);
    return state_->active.size();
}

bool LlmClient::wait_idle(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(state_->mutex);
    return state_->idle.wait_for(lock, timeout, [&] { return state_->active.empty() && state_->delivering == 0; });
}

std::vector<std::string> LlmClient::list_models() const {
    std::string text;
    vox_string_sink sink{sizeof(vox_string_sink), &text,
                         [](void* user, const char* data, std::size_t length) {
                             static_cast<std::string*>(user)->append(data, length);
                         }};
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_status status = state_->vtable->list_models(state_->provider->plugin_context(), &sink, &err);
    if (status != VOX_OK) throw ProviderError(status, state_->provider->key, "list_models failed: " + error_text(err));
    auto document = nlohmann::json::parse(text, nullptr, false);
    if (document.is_discarded() || !document.is_array())
        throw ProviderError(VOX_ERR_INTERNAL, state_->provider->key, "list_models returned no JSON array");
    std::vector<std::string> models;
    for (const auto& model : document)
        if (model.is_string()) models.push_back(model.get<std::string>());
    return models;
}

const Provider& LlmClient::provider() const { return *state_->provider; }

}  // namespace vox
