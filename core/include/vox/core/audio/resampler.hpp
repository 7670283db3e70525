// Sample-rate conversion of PCM16 through libsoxr, streaming or one-shot.
// Providers emit their native rate (flite's kal voice speaks at 8 kHz,
// telephony wants 8 kHz, STT engines want 16 kHz); the host converts once.
#pragma once

#include <vox/core/audio/audio_error.hpp>
#include <vox/core/audio/pcm.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vox::audio {

enum class ResampleQuality {
    quick,   // cubic interpolation: cheapest, audible aliasing
    low,     // 16-bit precision, wide transition band
    medium,  // 16-bit, medium band: good for real-time speech
    high,    // 20-bit (soxr's default "HQ")
    very_high,
};

// A streaming converter for one continuous signal (one TTS utterance, one
// call leg). Not thread-safe: one owner feeds it in order.
class Resampler {
public:
    // Throws AudioError on a zero rate or channel count.
    Resampler(std::uint32_t input_rate, std::uint32_t output_rate, std::uint32_t channels = 1,
              ResampleQuality quality = ResampleQuality::high);
    ~Resampler();
    Resampler(Resampler&& other) noexcept;
    Resampler& operator=(Resampler&& other) noexcept;
    Resampler(const Resampler&) = delete;
    Resampler& operator=(const Resampler&) = delete;

    // Converts interleaved samples (a whole number of frames) and returns the
    // output ready so far. The filter holds back a little signal (its delay),
    // released by flush().
    std::vector<std::int16_t> process(std::span<const std::int16_t> samples);
    // Ends the signal: returns the held-back tail. process() may then start a
    // new signal.
    std::vector<std::int16_t> flush();
    // Drops the held-back signal without producing it (barge-in).
    void reset();

    std::uint32_t input_rate() const { return input_rate_; }
    std::uint32_t output_rate() const { return output_rate_; }
    std::uint32_t channels() const { return channels_; }

private:
    void create();
    void destroy() noexcept;
    std::vector<std::int16_t> run(const std::int16_t* input, std::size_t frames);

    std::uint32_t input_rate_;
    std::uint32_t output_rate_;
    std::uint32_t channels_;
    ResampleQuality quality_;
    void* soxr_ = nullptr;  // soxr_t, kept opaque so users need no soxr headers
};

// Converts a whole signal to `output_rate` (returns a copy when the rate matches).
AudioBuffer resample(const AudioView& audio, std::uint32_t output_rate,
                     ResampleQuality quality = ResampleQuality::high);

}  // namespace vox::audio
