#include <vox/core/log.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace vox {
namespace {

// How many cancelled context ids are remembered to drop late callbacks.
// Contexts are one per agent turn, so this covers far more than a call's
// in-flight turns.
constexpr std::size_t kRememberedCancels = 1024;

std::string error_text(const vox_error& err) {
    std::string text(err.message, strnlen(err.message, sizeof err.message));
    return text.empty() ? "no message" : text;
}

}  // namespace

struct TtsClient::State {
    const Provider* provider = nullptr;
    const vox_tts_vtable* vtable = nullptr;
    TtsCallbacks callbacks;
    TtsOptions options;
    vox_tts_callbacks raw_callbacks{};

    std::mutex api_mutex;  // serialises calls into the session (ABI rule 4)
    vox_tts_session* session = nullptr;

    std::mutex stream_mutex;  // leaf lock: never held while calling out
    std::map<std::uint64_t, audio::Resampler> resamplers;
    std::set<std::uint64_t> cancelled;
    std::deque<std::uint64_t> cancel_order;

    void call(vox_status status, const vox_error& err, const char* operation) const {
        if (status != VOX_OK)
            throw ProviderError(status, provider->key, std::string(operation) + " failed: " + error_text(err));
    }
    bool is_cancelled(std::uint64_t context) {
        std::lock_guard lock(stream_mutex);
        return cancelled.count(context) != 0;
    }
    void mark_cancelled(std::uint64_t context) {
        std::lock_guard lock(stream_mutex);
        resamplers.erase(context);
        if (!cancelled.insert(context).second) return;
        cancel_order.push_back(context);
        if (cancel_order.size() > kRememberedCancels) {
            cancelled.erase(cancel_order.front());
            cancel_order.pop_front();
        }
    }

    // Runs a user callback; nothing may propagate back into the plugin.
    template <class Fn>
    void deliver(const char* what, Fn&& fn) noexcept {
        try {
            fn();
        } catch (const std::exception& e) {
            log::error("tts", "callback threw", {{"provider", provider->key}, {"callback", what}, {"error", e.what()}});
        } catch (...) {
            log::error("tts", "callback threw", {{"provider", provider->key}, {"callback", what}});
        }
    }

    void emit_audio(std::uint64_t context, const audio::AudioView& view) {
        if (view.samples.empty() || !callbacks.on_audio) return;
        deliver("on_audio", [&] { callbacks.on_audio(context, view); });
    }

    // The resampled tail still held for `context` (empty when none).
    audio::AudioBuffer take_tail(std::uint64_t context) {
        audio::AudioBuffer tail;
        std::lock_guard lock(stream_mutex);
        auto found = resamplers.find(context);
        if (found == resamplers.end()) return tail;
        tail.sample_rate = found->second.output_rate();
        tail.channels = found->second.channels();
        tail.samples = found->second.flush();
        resamplers.erase(found);
        return tail;
    }

    static void on_audio(void* user, std::uint64_t context, const vox_audio* raw);
    static void on_word(void* user, std::uint64_t context, const char* word, std::uint32_t start_ms,
                        std::uint32_t end_ms);
    static void on_done(void* user, std::uint64_t context);
    static void on_error(void* user, std::uint64_t context, vox_status code, const char* message);
};

namespace {

// The client whose callback is running on this thread (to refuse re-entry).
thread_local const void* t_in_callback = nullptr;

struct CallbackScope {
    const void* previous;
    explicit CallbackScope(const void* state) : previous(t_in_callback) { t_in_callback = state; }
    ~CallbackScope() { t_in_callback = previous; }
    CallbackScope(const CallbackScope&) = delete;
    CallbackScope& operator=(const CallbackScope&) = delete;
};

}  // namespace

void TtsClient::State::on_audio(void* user, std::uint64_t context, const vox_audio* raw) {
    auto* state = static_cast<State*>(user);
    CallbackScope scope(state);
    if (raw == nullptr || !VOX_STRUCT_HAS(raw, vox_audio, channels) || raw->channels == 0 || raw->sample_rate == 0)
        return;
    if (raw->frames == 0 || raw->samples == nullptr) return;
    audio::AudioView view{{raw->samples, raw->frames * raw->channels}, raw->sample_rate, raw->channels};
    std::uint32_t target = state->options.output_sample_rate;
    if (target == 0 || target == view.sample_rate) {
        if (!state->is_cancelled(context)) state->emit_audio(context, view);
        return;
    }
    audio::AudioBuffer earlier;  // tail of a previous rate, if the provider switched rate mid-utterance
    std::vector<std::int16_t> converted;
    try {
        std::unique_lock lock(state->stream_mutex);
        if (state->cancelled.count(context) != 0) return;
        auto found = state->resamplers.find(context);
        if (found != state->resamplers.end() &&
            (found->second.input_rate() != view.sample_rate || found->second.channels() != view.channels)) {
            lock.unlock();
            earlier = state->take_tail(context);
            lock.lock();
            found = state->resamplers.end();
        }
        if (found == state->resamplers.end())
            found = state->resamplers
                        .emplace(context, audio::Resampler(view.sample_rate, target, view.channels,
                                                           state->options.resample_quality))
                        .first;
        converted = found->second.process(view.samples);
    } catch (const std::exception& e) {
        log::error("tts", "cannot resample provider audio",
                   {{"provider", state->provider->key}, {"context", context}, {"error", e.what()}});
        return;
    }
    state->emit_audio(context, earlier.view());
    state->emit_audio(context, audio::AudioView{converted, target, view.channels});
}

void TtsClient::State::on_word(void* user, std::uint64_t context, const char* word, std::uint32_t start_ms,
                               std::uint32_t end_ms) {
    auto* state = static_cast<State*>(user);
    CallbackScope scope(state);
    if (word == nullptr || !state->callbacks.on_word || state->is_cancelled(context)) return;
    state->deliver("on_word", [&] { state->callbacks.on_word(context, word, start_ms, end_ms); });
}

void TtsClient::State::on_done(void* user, std::uint64_t context) {
    auto* state = static_cast<State*>(user);
    CallbackScope scope(state);
    if (state->is_cancelled(context)) return;
    audio::AudioBuffer tail;
    try {
        tail = state->take_tail(context);
    } catch (const std::exception& e) {
        log::error("tts", "cannot flush resampler", {{"provider", state->provider->key}, {"error", e.what()}});
    }
    state->emit_audio(context, tail.view());
    if (state->callbacks.on_done) state->deliver("on_done", [&] { state->callbacks.on_done(context); });
}

void TtsClient::State::on_error(void* user, std::uint64_t context, vox_status code, const char* message) {
    auto* state = static_cast<State*>(user);
    CallbackScope scope(state);
    if (state->is_cancelled(context)) return;
    {
        std::lock_guard lock(state->stream_mutex);
        state->resamplers.erase(context);
    }
    if (!state->callbacks.on_error) {
        log::warn(
            "tts", "provider error",
            {{"provider", state->provider->key}, {"context", context}, {"message", message != nullptr ? message : ""}});
        return;
    }
    ProviderError error(code, state->provider->key,
                        message != nullptr && *message != '\0' ? message : "synthesis failed (no message)");
    state->deliver("on_error", [&] { state->callbacks.on_error(context, error); });
}

TtsClient::TtsClient(const Provider& provider, TtsCallbacks callbacks, TtsOptions options)
    : state_(std::make_unique<State>()) {
    if (provider.kind != ProviderKind::tts)
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, provider.key,
                            "is a " + std::string(to_string(provider.kind)) + " provider, not a tts provider");
    if (options.settings.is_null()) options.settings = nlohmann::json::object();  // no settings: the defaults
    if (!options.settings.is_object())
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, provider.key, "settings must be a JSON object");
    State& state = *state_;
    state.provider = &provider;
    state.vtable = &provider.vtable<vox_tts_vtable>();
    state.callbacks = std::move(callbacks);
    state.options = std::move(options);
    state.raw_callbacks = vox_tts_callbacks{sizeof(vox_tts_callbacks), &state,          &State::on_audio,
                                            &State::on_word,           &State::on_done, &State::on_error};
    std::string settings = state.options.settings.dump();
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_tts_session* session = nullptr;
    vox_status status =
        state.vtable->open(provider.plugin_context(), settings.c_str(), &state.raw_callbacks, &session, &err);
    state.call(status, err, "open");
    if (session == nullptr) throw ProviderError(VOX_ERR_INTERNAL, provider.key, "open returned no session");
    state.session = session;
}

TtsClient::~TtsClient() { close(); }
TtsClient::TtsClient(TtsClient&&) noexcept = default;

TtsClient& TtsClient::operator=(TtsClient&& other) noexcept {
    if (this != &other) {
        close();
        state_ = std::move(other.state_);
    }
    return *this;
}

void TtsClient::push_text(std::uint64_t context, std::string_view text) {
    if (!state_) throw std::logic_error("TtsClient used after move");
    if (t_in_callback == state_.get())
        throw std::logic_error("TtsClient::push_text called from its own callback; post it to another executor");
    std::lock_guard lock(state_->api_mutex);
    if (state_->session == nullptr)
        throw ProviderError(VOX_ERR_UNAVAILABLE, state_->provider->key, "session is closed");
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    state_->call(state_->vtable->push_text(state_->session, context, text.data(), text.size(), &err), err, "push_text");
}

void TtsClient::flush(std::uint64_t context) {
    if (!state_) throw std::logic_error("TtsClient used after move");
    if (t_in_callback == state_.get())
        throw std::logic_error("TtsClient::flush called from its own callback; post it to another executor");
    std::lock_guard lock(state_->api_mutex);
    if (state_->session == nullptr)
        throw ProviderError(VOX_ERR_UNAVAILABLE, state_->provider->key, "session is closed");
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    state_->call(state_->vtable->flush(state_->session, context, &err), err, "flush");
}

void TtsClient::cancel(std::uint64_t context) noexcept {
    if (!state_) return;
    // Marking first makes the guarantee hold even if the plugin breaks its
    // contract and delivers late: the client drops it.
    state_->mark_cancelled(context);
    // From inside our own callback the calling thread may already be inside
    // the plugin (a callback within push_text): calling in again could
    // deadlock, so the client-side drop is all we do.
    if (t_in_callback == state_.get()) return;
    std::lock_guard lock(state_->api_mutex);
    if (state_->session != nullptr) state_->vtable->cancel(state_->session, context);
}

void TtsClient::close() noexcept {
    if (!state_) return;
    if (t_in_callback == state_.get()) {
        // Closing frees the session the plugin is running this callback from.
        log::error("tts", "TtsClient closed from its own callback: a use-after-free; aborting",
                   {{"provider", state_->provider->key}});
        std::terminate();
    }
    std::lock_guard lock(state_->api_mutex);
    if (state_->session == nullptr) return;
    state_->vtable->close(state_->session);
    state_->session = nullptr;
}

bool TtsClient::is_open() const {
    if (!state_) return false;
    std::lock_guard lock(state_->api_mutex);
    return state_->session != nullptr;
}

const Provider& TtsClient::provider() const {
    if (!state_) throw std::logic_error("TtsClient used after move");
    return *state_->provider;
}

}  // namespace vox
