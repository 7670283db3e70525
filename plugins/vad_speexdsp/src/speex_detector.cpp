#include "speex_detector.hpp"

#include <vox/sdk/error.hpp>

#include <speex/speex_preprocess.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace vox::speexdsp {

void SpeexDetector::StateDeleter::operator()(SpeexPreprocessState_* state) const noexcept {
    speex_preprocess_state_destroy(state);
}

SpeexDetector::SpeexDetector(const Settings& settings, std::uint32_t sample_rate)
    : settings_(settings),
      sample_rate_(sample_rate),
      frame_size_(sample_rate * kFrameMs / 1000),
      floor_mean_square_(std::pow(10.0, settings.energy_floor_dbfs / 10.0)) {
    if (sample_rate != 8000 && sample_rate != 16000)
        throw sdk::Error(VOX_ERR_UNSUPPORTED, "vad.speexdsp works at 8000 or 16000 Hz, not " +
                                                  std::to_string(sample_rate) + " Hz (the host resamples)");
    state_ = make_state();
    if (!state_) throw sdk::Error(VOX_ERR_INTERNAL, "speexdsp could not create a preprocessor state");
    pending_.reserve(frame_size_);
    scratch_.resize(frame_size_);
}

SpeexDetector::State SpeexDetector::make_state() const {
    State state(speex_preprocess_state_init(static_cast<int>(frame_size_), static_cast<int>(sample_rate_)));
    if (!state) return state;
    // Only the analysis is wanted: the output audio is thrown away, so skip
    // applying the noise-suppression gains (the speech probability is
    // computed before them and does not depend on them). AGC and
    // dereverberation are off by default.
    spx_int32_t off = 0;
    speex_preprocess_ctl(state.get(), SPEEX_PREPROCESS_SET_DENOISE, &off);
    return state;
}

float SpeexDetector::classify(std::span<const std::int16_t> frame) {
    double sum = 0.0;
    for (std::int16_t sample : frame) {
        double x = sample / 32768.0;
        sum += x * x;
    }
    const bool loud_enough = sum / static_cast<double>(frame.size()) >= floor_mean_square_ && sum > 0.0;

    // speex always sees the frame, so its noise estimate follows the signal.
    std::copy(frame.begin(), frame.end(), scratch_.begin());
    speex_preprocess_run(state_.get(), scratch_.data());
    spx_int32_t percent = 0;
    speex_preprocess_ctl(state_.get(), SPEEX_PREPROCESS_GET_PROB, &percent);
    const double probability = std::clamp(percent / 100.0, 0.0, 1.0);

    const bool speech =
        loud_enough && (probability > settings_.prob_start || (was_speech_ && probability > settings_.prob_continue));
    was_speech_ = speech;
    if (!loud_enough) return 0.0F;
    return static_cast<float>(speech ? std::max(probability, 0.5) : std::min(probability, 0.49));
}

float SpeexDetector::process(std::span<const std::int16_t> samples) {
    double total = 0.0;
    std::size_t frames = 0;
    while (!samples.empty()) {
        if (pending_.empty() && samples.size() >= frame_size_) {  // whole frames straight from the input
            total += classify(samples.first(frame_size_));
            samples = samples.subspan(frame_size_);
            ++frames;
            continue;
        }
        std::size_t take = std::min(frame_size_ - pending_.size(), samples.size());
        pending_.insert(pending_.end(), samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(take));
        samples = samples.subspan(take);
        if (pending_.size() == frame_size_) {
            total += classify(pending_);
            pending_.clear();
            ++frames;
        }
    }
    if (frames > 0) last_probability_ = static_cast<float>(total / static_cast<double>(frames));
    return last_probability_;
}

void SpeexDetector::reset() noexcept {
    // speexdsp has no reset: start from a fresh state. Should it fail to
    // allocate one, the old state stays (stale noise estimate, still working).
    if (State fresh = make_state(); fresh) state_ = std::move(fresh);
    pending_.clear();
    was_speech_ = false;
    last_probability_ = 0.0F;
}

}  // namespace vox::speexdsp
