#include <vox/core/audio/resampler.hpp>

#include <soxr.h>

#include <string>
#include <utility>

namespace vox::audio {
namespace {

unsigned long recipe(ResampleQuality quality) {
    switch (quality) {
    case ResampleQuality::quick: return SOXR_QQ;
    case ResampleQuality::low: return SOXR_LQ;
    case ResampleQuality::medium: return SOXR_MQ;
    case ResampleQuality::high: return SOXR_HQ;
    case ResampleQuality::very_high: return SOXR_VHQ;
    }
    return SOXR_HQ;
}

soxr_t handle(void* opaque) { return static_cast<soxr_t>(opaque); }

}  // namespace

Resampler::Resampler(std::uint32_t input_rate, std::uint32_t output_rate, std::uint32_t channels,
                     ResampleQuality quality)
    : input_rate_(input_rate), output_rate_(output_rate), channels_(channels), quality_(quality) {
    if (input_rate == 0 || output_rate == 0)
        throw AudioError("resampler: sample rates must be positive (got " + std::to_string(input_rate) + " -> " +
                         std::to_string(output_rate) + " Hz)");
    if (channels == 0) throw AudioError("resampler: channel count must be positive");
    create();
}

Resampler::~Resampler() { destroy(); }

Resampler::Resampler(Resampler&& other) noexcept
    : input_rate_(other.input_rate_),
      output_rate_(other.output_rate_),
      channels_(other.channels_),
      quality_(other.quality_),
      soxr_(std::exchange(other.soxr_, nullptr)) {}

Resampler& Resampler::operator=(Resampler&& other) noexcept {
    if (this != &other) {
        destroy();
        input_rate_ = other.input_rate_;
        output_rate_ = other.output_rate_;
        channels_ = other.channels_;
        quality_ = other.quality_;
        soxr_ = std::exchange(other.soxr_, nullptr);
    }
    return *this;
}

void Resampler::create() {
    // Same rate: pass samples through untouched (soxr would still filter).
    if (input_rate_ == output_rate_) return;
    // No dither: speech synthesis and telephony audio gain nothing from it,
    // and without it silence stays digital silence and output is reproducible.
    soxr_io_spec_t io = soxr_io_spec(SOXR_INT16_I, SOXR_INT16_I);
    io.flags |= SOXR_NO_DITHER;
    soxr_quality_spec_t quality = soxr_quality_spec(recipe(quality_), 0);
    // One thread: this runs on a call's strand or a pool worker already.
    soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
    soxr_error_t error = nullptr;
    soxr_t created = soxr_create(input_rate_, output_rate_, channels_, &error, &io, &quality, &runtime);
    if (created == nullptr || error != nullptr)
        throw AudioError(std::string("resampler: soxr_create failed: ") + (error != nullptr ? error : "unknown error"));
    soxr_ = created;
}

void Resampler::destroy() noexcept {
    if (soxr_ != nullptr) soxr_delete(handle(soxr_));
    soxr_ = nullptr;
}

std::vector<std::int16_t> Resampler::run(const std::int16_t* input, std::size_t frames) {
    std::vector<std::int16_t> output;
    // Room for the converted input plus the filter's delay; the loop below
    // grows it if soxr has more to give.
    std::size_t chunk = frames * output_rate_ / input_rate_ + 256;
    std::size_t done_in_total = 0;
    for (;;) {
        std::size_t offset = output.size();
        output.resize(offset + chunk * channels_);
        std::size_t idone = 0;
        std::size_t odone = 0;
        const std::int16_t* in = input != nullptr ? input + done_in_total * channels_ : nullptr;
        std::size_t ilen = input != nullptr ? frames - done_in_total : 0;
        soxr_error_t error = soxr_process(handle(soxr_), in, ilen, &idone, output.data() + offset, chunk, &odone);
        output.resize(offset + odone * channels_);
        if (error != nullptr) throw AudioError(std::string("resampler: soxr_process failed: ") + error);
        done_in_total += idone;
        bool input_left = input != nullptr && done_in_total < frames;
        // Stop when the input is consumed and soxr did not fill the buffer
        // (so it has nothing more to give right now).
        if (!input_left && odone < chunk) break;
        if (idone == 0 && odone == 0) break;
    }
    return output;
}

std::vector<std::int16_t> Resampler::process(std::span<const std::int16_t> samples) {
    if (samples.size() % channels_ != 0)
        throw AudioError("resampler: " + std::to_string(samples.size()) + " samples is not a whole number of " +
                         std::to_string(channels_) + "-channel frames");
    if (soxr_ == nullptr) return {samples.begin(), samples.end()};
    if (samples.empty()) return {};
    return run(samples.data(), samples.size() / channels_);
}

std::vector<std::int16_t> Resampler::flush() {
    if (soxr_ == nullptr) return {};
    std::vector<std::int16_t> tail = run(nullptr, 0);  // NULL input = end of signal: drain the filter
    reset();
    return tail;
}

void Resampler::reset() {
    if (soxr_ == nullptr) return;
    soxr_error_t error = soxr_clear(handle(soxr_));
    if (error != nullptr) throw AudioError(std::string("resampler: soxr_clear failed: ") + error);
}

AudioBuffer resample(const AudioView& audio, std::uint32_t output_rate, ResampleQuality quality) {
    AudioBuffer out;
    out.sample_rate = output_rate;
    out.channels = audio.channels;
    Resampler resampler(audio.sample_rate, output_rate, audio.channels, quality);
    out.samples = resampler.process(audio.samples);
    std::vector<std::int16_t> tail = resampler.flush();
    out.samples.insert(out.samples.end(), tail.begin(), tail.end());
    return out;
}

}  // namespace vox::audio
