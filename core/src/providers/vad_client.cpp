#include <vox/core/providers/vad_client.hpp>
#include <vox/core/providers/sample_rate_choice.hpp>

#include <algorithm>
#include <cstring>
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

}  // namespace

struct VadClient::State {
    const Provider* provider = nullptr;
    const vox_vad_vtable* vtable = nullptr;
    VadOptions options;
    std::uint32_t provider_rate = 0;
    vox_vad_session* session = nullptr;
    std::optional<audio::Resampler> resampler;
    float last_probability = 0.0F;

    void call(vox_status status, const vox_error& err, const char* operation) const {
        if (status != VOX_OK)
            throw ProviderError(status, provider->key, std::string(operation) + " failed: " + error_text(err));
    }

    // Classifies samples already at the provider's rate.
    float process_raw(const std::int16_t* samples, std::size_t frames, std::uint32_t channels) {
        vox_audio raw{sizeof(vox_audio), samples, frames, provider_rate, channels};
        vox_error err{sizeof(vox_error), VOX_OK, {}};
        float probability = 0.0F;
        call(vtable->process(session, &raw, &probability, &err), err, "process");
        if (!(probability >= 0.0F && probability <= 1.0F))  // also catches NaN
            throw ProviderError(VOX_ERR_INTERNAL, provider->key,
                                "process returned the probability " + std::to_string(probability) + ", outside 0..1");
        last_probability = probability;
        return probability;
    }

    void close() noexcept {
        if (session == nullptr) return;
        vtable->close(session);
        session = nullptr;
    }
};

std::uint32_t VadClient::choose_sample_rate(const Provider& provider, std::uint32_t input_rate) {
    return choose_provider_sample_rate(provider, input_rate);
}

VadClient::VadClient(const Provider& provider, VadOptions options) : state_(std::make_unique<State>()) {
    if (provider.kind != ProviderKind::vad)
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, provider.key,
                            "is a " + std::string(to_string(provider.kind)) + " provider, not a vad provider");
    if (options.settings.is_null()) options.settings = nlohmann::json::object();
    if (!options.settings.is_object())
        throw ProviderError(VOX_ERR_INVALID_ARGUMENT, provider.key, "settings must be a JSON object");
    State& state = *state_;
    state.provider = &provider;
    state.vtable = &provider.vtable<vox_vad_vtable>();
    state.provider_rate = choose_sample_rate(provider, options.input_sample_rate);
    if (options.input_sample_rate == 0) options.input_sample_rate = state.provider_rate;
    state.options = std::move(options);
    std::string settings = state.options.settings.dump();
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    vox_vad_session* session = nullptr;
    state.call(state.vtable->open(provider.plugin_context(), settings.c_str(), state.provider_rate, &session, &err),
               err, "open");
    if (session == nullptr) throw ProviderError(VOX_ERR_INTERNAL, provider.key, "open returned no session");
    state.session = session;
}

VadClient::~VadClient() {
    if (state_) state_->close();
}

VadClient::VadClient(VadClient&&) noexcept = default;

VadClient& VadClient::operator=(VadClient&& other) noexcept {
    if (this != &other) {
        if (state_) state_->close();
        state_ = std::move(other.state_);
    }
    return *this;
}

float VadClient::process(const audio::AudioView& audio) {
    if (!state_) throw std::logic_error("VadClient used after move");
    State& state = *state_;
    if (audio.sample_rate != state.options.input_sample_rate)
        throw std::invalid_argument("VadClient::process: audio at " + std::to_string(audio.sample_rate) +
                                    " Hz, the client was opened for " +
                                    std::to_string(state.options.input_sample_rate) + " Hz");
    if (audio.channels == 0) throw std::invalid_argument("VadClient::process: audio has no channels");
    if (state.session == nullptr) throw ProviderError(VOX_ERR_UNAVAILABLE, state.provider->key, "session is closed");
    if (state.provider_rate == audio.sample_rate)
        return state.process_raw(audio.samples.data(), audio.frames(), audio.channels);
    if (state.resampler && state.resampler->channels() != audio.channels) state.resampler.reset();
    if (!state.resampler)
        state.resampler.emplace(audio.sample_rate, state.provider_rate, audio.channels, state.options.resample_quality);
    std::vector<std::int16_t> converted = state.resampler->process(audio.samples);
    if (converted.empty()) return state.last_probability;  // the filter is still filling
    return state.process_raw(converted.data(), converted.size() / audio.channels, audio.channels);
}

void VadClient::reset() {
    if (!state_) throw std::logic_error("VadClient used after move");
    State& state = *state_;
    if (state.session == nullptr) throw ProviderError(VOX_ERR_UNAVAILABLE, state.provider->key, "session is closed");
    if (state.resampler) state.resampler->reset();
    state.last_probability = 0.0F;
    state.vtable->reset(state.session);
}

bool VadClient::is_open() const { return state_ && state_->session != nullptr; }

const Provider& VadClient::provider() const {
    if (!state_) throw std::logic_error("VadClient used after move");
    return *state_->provider;
}

std::uint32_t VadClient::input_sample_rate() const {
    if (!state_) throw std::logic_error("VadClient used after move");
    return state_->options.input_sample_rate;
}

std::uint32_t VadClient::provider_sample_rate() const {
    if (!state_) throw std::logic_error("VadClient used after move");
    return state_->provider_rate;
}

}  // namespace vox
