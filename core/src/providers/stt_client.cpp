#include <vox/core/log.hpp>
#include <vox/core/providers/sample_rate_choice.hpp>
#include <vox/core/providers/stt_client.hpp>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vox {
namespace {

std::string error_text(const vox_error& err) {
    std::string text(err.message, strnlen(err.message, sizeof err.message));
    return text.empty() ? "no message" : text;
}

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

struct SttClient::State {
    const Provider* provider = nullptr;
    const vox_stt_vtable* vtable = nullptr;
    SttCallbacks callbacks;
    SttOptions options;
    std::uint32_t provider_rate = 0;
    vox_stt_callbacks raw_callbacks{};

    std::mutex api_mutex;  // serialises calls into the session (ABI rule 4); guards the resampler
    vox_stt_session* session = nullptr;
    std::optional<audio::Resampler> resampler;
    std::atomic<bool> cancelling{false};  // drop whatever arrives while cancel() runs

    void call(vox_status status, const vox_error& err, const char* operation) const {
        if (status != VOX_OK)
            throw ProviderError(status, provider->key, std::string(operation) + " failed: " + error_text(err));
    }

    template <class Fn>
    void deliver(const char* what, Fn&& fn) noexcept {
        try {
            fn();
        } catch (const std::exception& e) {
            log::error("stt", "callback threw", {{"provider", provider->key}, {"callback", what}, {"error", e.what()}});
        } catch (...) {
            log::error("stt", "callback threw", {{"provider", provider->key}, {"callback", what}});
        }
    }

    // Pushes samples at the provider's rate. Caller holds api_mutex.
    void push_raw(const std::int16_t* samples, std::size_t frames, std::uint32_t channels) {
        if (frames == 0) return;
        vox_audio raw{sizeof(vox_audio), samples, frames, provider_rate, channels};
        vox_error err{sizeof(vox_error), VOX_OK, {}};
        call(vtable->push_audio(session, &raw, &err), err, "push_audio");
    }
    // Sends the resampler's held-back tail. Caller holds api_mutex.
    void drain_resampler() {
        if (!resampler) return;
        std::vector<std::int16_t> tail = resampler->flush();
        push_raw(tail.data(), tail.size() / resampler->channels(), resampler->channels());
    }
    void require_open(const char* operation) const {
        if (t_in_callback == this)
            throw std::logic_error(std::string("SttClient::") + operation +
                                   " called from its own callback; post it to another executor");
        if (session == nullptr) throw ProviderError(VOX_ERR_UNAVAILABLE, provider->key, "session is closed");
    }

    static void on_transcript(void* user, const vox_transcript* raw);
    static void on_error(void* user, vox_status code, const char* message);
};

void SttClient::State::on_transcript(void* user, const vox_transcript* raw) {
    auto* state = static_cast<State*>(user);
    CallbackScope scope(state);
    if (raw == nullptr || state->cancelling.load() || !state->callbacks.on_transcript) return;
    SttTranscript transcript;
    transcript.text = raw->text != nullptr ? raw->text : "";
    transcript.is_final = raw->is_final != 0;
    transcript.start_ms = raw->start_ms;
    transcript.end_ms = raw->end_ms;
    transcript.confidence = VOX_STRUCT_HAS(raw, vox_transcript, confidence) ? raw->confidence : -1.0F;
    state->deliver("on_transcript", [&] { state->callbacks.on_transcript(transcript); });
}

void SttClient::State::on_error(void* user, vox_status code, const char* message) {
    auto* state = static_cast<State*>(user);
    CallbackScope scope(state);
    if (state->cancelling.load()) return;
    if (!state->callbacks.on_error) {
        log::warn("stt", "provider error",
                  {{"provider", state->provider->key}, {"message", message != nullptr ? message : ""}});
        return;
    }
    ProviderError error(code, state->provider->key,
                        message != nullptr && *message != '\0' ? message : "recognition failed (no message)");
    state->deliver("on_error", [&] { state->callbacks.on_error(error); });
}

std::uint32_t SttClient::choose_sample_rate(const Provider& provider, std::uint32_t input_rate) {
    return choose_provider_sample_rate(provider, input_rate);
}

SttClient::SttClient(const Provider& provider, SttCallbacks callbacks, SttOptions options)
    : state_(std::make_unique<State>()) {
    if (provider.kind != ProviderKind::stt)
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, provider.key,
                            "is a " + std::string(to_string(provider.kind)) + " provider, not an stt provider");
    if (options.settings.is_null()) options.settings = nlohmann::json::object();
    if (!options.settings.is_object())
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, provider.key, "settings must be a JSON object");
    State& state = *state_;
    state.provider = &provider;
    state.vtable = &provider.vtable<vox_stt_vtable>();
    state.callbacks = std::move(callbacks);
    state.provider_rate = choose_sample_rate(provider, options.input_sample_rate);
    if (options.input_sample_rate == 0) options.input_sample_rate = state.provider_rate;
    state.options = std::move(options);
    state.raw_callbacks = vox_stt_callbacks{sizeof(vox_stt_callbacks), &state, &State::on_transcript, &State::on_error};
    std::string settings = state.options.settings.dump();
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_stt_session* session = nullptr;
    vox_status status = state.vtable->open(provider.plugin_context(), settings.c_str(), state.provider_rate,
                                           &state.raw_callbacks, &session, &err);
    state.call(status, err, "open");
    if (session == nullptr) throw ProviderError(VOX_ERR_INTERNAL, provider.key, "open returned no session");
    state.session = session;
}

SttClient::~SttClient() { close(); }
SttClient::SttClient(SttClient&&) noexcept = default;

SttClient& SttClient::operator=(SttClient&& other) noexcept {
    if (this != &other) {
        close();
        state_ = std::move(other.state_);
    }
    return *this;
}

void SttClient::push_audio(const audio::AudioView& audio) {
    if (!state_) throw std::logic_error("SttClient used after move");
    State& state = *state_;
    if (audio.sample_rate != state.options.input_sample_rate)
        throw std::invalid_argument("SttClient::push_audio: audio at " + std::to_string(audio.sample_rate) +
                                    " Hz, the client was opened for " +
                                    std::to_string(state.options.input_sample_rate) + " Hz");
    if (audio.channels == 0) throw std::invalid_argument("SttClient::push_audio: audio has no channels");
    std::lock_guard lock(state.api_mutex);
    state.require_open("push_audio");
    if (audio.samples.empty()) return;
    if (state.provider_rate == audio.sample_rate) {
        state.push_raw(audio.samples.data(), audio.frames(), audio.channels);
        return;
    }
    if (state.resampler && state.resampler->channels() != audio.channels) {
        state.drain_resampler();
        state.resampler.reset();
    }
    if (!state.resampler)
        state.resampler.emplace(audio.sample_rate, state.provider_rate, audio.channels, state.options.resample_quality);
    std::vector<std::int16_t> converted = state.resampler->process(audio.samples);
    state.push_raw(converted.data(), converted.size() / audio.channels, audio.channels);
}

void SttClient::flush() {
    if (!state_) throw std::logic_error("SttClient used after move");
    std::lock_guard lock(state_->api_mutex);
    state_->require_open("flush");
    state_->drain_resampler();
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    state_->call(state_->vtable->flush(state_->session, &err), err, "flush");
}

void SttClient::end_input() {
    if (!state_) throw std::logic_error("SttClient used after move");
    std::lock_guard lock(state_->api_mutex);
    state_->require_open("end_input");
    state_->drain_resampler();
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    state_->call(state_->vtable->end_input(state_->session, &err), err, "end_input");
}

bool SttClient::set_grammar(const nlohmann::json& grammar) {
    if (!state_) throw std::logic_error("SttClient used after move");
    State& state = *state_;
    if (!grammar.is_object() && !grammar.is_null())
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, state.provider->key,
                            "a grammar must be a JSON object or null, got " + std::string(grammar.type_name()));
    std::string text = grammar.dump();
    std::lock_guard lock(state.api_mutex);
    state.require_open("set_grammar");
    // Optional since ABI 1.2: an older plugin's table ends before it.
    if (!VOX_STRUCT_HAS(state.vtable, vox_stt_vtable, set_grammar) || state.vtable->set_grammar == nullptr)
        return false;
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_status status = state.vtable->set_grammar(state.session, text.c_str(), &err);
    if (status == VOX_ERR_UNSUPPORTED) return false;
    state.call(status, err, "set_grammar");
    return true;
}

void SttClient::cancel() noexcept {
    if (!state_) return;
    // From inside our own callback the thread may already be inside the
    // plugin: calling in again could deadlock, so the plugin is not told.
    if (t_in_callback == state_.get()) return;
    std::lock_guard lock(state_->api_mutex);
    if (state_->session == nullptr) return;
    state_->cancelling.store(true);
    if (state_->resampler) state_->resampler->reset();
    state_->vtable->cancel(state_->session);
    state_->cancelling.store(false);
}

void SttClient::close() noexcept {
    if (!state_) return;
    if (t_in_callback == state_.get()) {
        log::error("stt", "SttClient closed from its own callback: a use-after-free; aborting",
                   {{"provider", state_->provider->key}});
        std::terminate();
    }
    std::lock_guard lock(state_->api_mutex);
    if (state_->session == nullptr) return;
    state_->vtable->close(state_->session);
    state_->session = nullptr;
}

bool SttClient::is_open() const {
    if (!state_) return false;
    std::lock_guard lock(state_->api_mutex);
    return state_->session != nullptr;
}

const Provider& SttClient::provider() const {
    if (!state_) throw std::logic_error("SttClient used after move");
    return *state_->provider;
}

std::uint32_t SttClient::input_sample_rate() const {
    if (!state_) throw std::logic_error("SttClient used after move");
    return state_->options.input_sample_rate;
}

std::uint32_t SttClient::provider_sample_rate() const {
    if (!state_) throw std::logic_error("SttClient used after move");
    return state_->provider_rate;
}

}  // namespace vox
