// First stage: voice activity and turn-taking on the caller's audio. Passes
// the caller's speech (with a short pre-roll so the first syllable is not
// lost) to STT, announces speech start and turn end, and starts a barge-in
// when the caller talks over the agent long enough.
#pragma once

#include "call_context.hpp"

#include <vox/core/call/turn_detector.hpp>
#include <vox/core/pipeline/frame_processor.hpp>

#include <deque>
#include <functional>

namespace vox::call::detail {

// Speech probability of one chunk of caller audio.
using VoiceDetector = std::function<float(const audio::AudioView&)>;

// A plain level detector, for when no vad.* provider is loaded: -45 dBFS and
// below is silence, -30 dBFS and above speech.
float energy_speech_probability(const audio::AudioView& audio);

class InputProcessor : public pipeline::FrameProcessor {
public:
    InputProcessor(CallContext& call, VoiceDetector detector, TurnSettings settings);
    void process(pipeline::Frame frame) override;

private:
    void handle_audio(pipeline::Frame frame);

    CallContext& call_;
    VoiceDetector detector_;
    TurnDetector turns_;
    std::deque<pipeline::Frame> preroll_;
    std::uint32_t preroll_ms_ = 0;
    std::int64_t last_voiced_ns_ = 0;
};

}  // namespace vox::call::detail
