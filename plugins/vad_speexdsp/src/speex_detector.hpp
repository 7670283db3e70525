// Voice-activity detection on speexdsp's preprocessor, for one mono stream.
//
// speexdsp works on fixed frames, so audio is buffered and classified in
// frames of kFrameMs; a chunk's probability is the mean over the frames it
// completed (the last frame's when it completed none, 0 before the first).
//
// Per frame:
//   - speex_preprocess_run() updates speex's noise estimate and its speech
//     probability (SPEEX_PREPROCESS_GET_PROB, the mean a-priori SNR over
//     its bands through a sigmoid, 0.1..1);
//   - speex's own decision rule decides speech: the probability passes
//     prob_start, or passes prob_continue while the previous frame was
//     speech. (The rule is applied here, from GET_PROB, rather than with
//     SPEEX_PREPROCESS_SET_VAD: speexdsp 1.2 prints "The VAD has been
//     replaced by a hack" on stderr at every SET_VAD and computes exactly
//     this rule; SET_PROB_START/CONTINUE only feed it.)
//   - the energy floor overrides: a frame whose RMS level is below
//     energy_floor_dbfs is never speech;
//   - the probability reported is speex's, set to 0 below the energy floor
//     and clamped to agree with the decision at 0.5 (speech: at least 0.5;
//     not speech: below 0.5), so a host thresholding at 0.5 gets speex's
//     hysteresis.
//
// Not thread-safe: one owner (a call's strand) feeds it in order.
#pragma once

#include "settings.hpp"

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

struct SpeexPreprocessState_;

namespace vox::speexdsp {

constexpr std::uint32_t kFrameMs = 20;

class SpeexDetector {
public:
    // Throws vox::sdk::Error: VOX_ERR_UNSUPPORTED for a rate other than 8000
    // or 16000, VOX_ERR_INTERNAL if speexdsp cannot allocate its state.
    SpeexDetector(const Settings& settings, std::uint32_t sample_rate);

    // Feeds mono samples; returns the chunk's speech probability, 0..1.
    float process(std::span<const std::int16_t> samples);
    // Forgets everything: buffered samples, the noise estimate, the hysteresis.
    void reset() noexcept;

    std::uint32_t sample_rate() const { return sample_rate_; }
    std::size_t frame_size() const { return frame_size_; }

    // The verdict on the last complete frame (for tests and diagnostics).
    bool last_frame_speech() const { return was_speech_; }

private:
    struct StateDeleter {
        void operator()(SpeexPreprocessState_* state) const noexcept;
    };
    using State = std::unique_ptr<SpeexPreprocessState_, StateDeleter>;

    State make_state() const;
    float classify(std::span<const std::int16_t> frame);

    Settings settings_;
    std::uint32_t sample_rate_;
    std::size_t frame_size_;
    double floor_mean_square_;  // energy_floor_dbfs as a mean square of full-scale-normalised samples
    State state_;
    std::vector<std::int16_t> pending_;  // less than one frame
    std::vector<std::int16_t> scratch_;  // speex processes in place
    bool was_speech_ = false;
    float last_probability_ = 0.0F;
};

}  // namespace vox::speexdsp
