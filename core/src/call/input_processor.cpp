#include "input_processor.hpp"

#include <vox/core/audio/level.hpp>
#include <vox/core/pipeline/pipeline.hpp>

#include <algorithm>
#include <cmath>

namespace vox::call::detail {
namespace {
constexpr std::uint32_t kPrerollMs = 200;

std::uint32_t duration_ms(const audio::AudioView& audio) {
    return static_cast<std::uint32_t>(std::lround(audio.duration_seconds() * 1000.0));
}
}  // namespace

float energy_speech_probability(const audio::AudioView& audio) {
    double level = audio::rms_dbfs(audio.samples);
    if (!std::isfinite(level)) return 0.0F;
    return static_cast<float>(std::clamp((level + 45.0) / 15.0, 0.0, 1.0));
}

InputProcessor::InputProcessor(CallContext& call, VoiceDetector detector, TurnSettings settings)
    : FrameProcessor("input"), call_(call), detector_(std::move(detector)), turns_(settings) {}

void InputProcessor::process(pipeline::Frame frame) {
    if (frame.type == pipeline::FrameType::input_audio) {
        handle_audio(std::move(frame));
        return;
    }
    push(std::move(frame));
}

void InputProcessor::handle_audio(pipeline::Frame frame) {
    const audio::AudioView view = frame.audio->view();
    if (call_.setup.recorder) call_.setup.recorder->caller_audio(view);
    float probability = detector_(view);
    std::uint32_t ms = duration_ms(view);
    bool was_in_speech = turns_.in_speech();
    TurnDecision decision = turns_.on_audio(probability, ms, call_.agent_audible);
    bool voiced = probability >= turns_.settings().speech_threshold;
    if (voiced) last_voiced_ns_ = frame.time_ns;
    frame.code = voiced ? "voiced" : "";

    auto& pipe = pipeline();
    if (decision.speech_started) {
        call_.turn += 1;
        call_.last_activity_ns = frame.time_ns;
        call_.turns[call_.turn].speech_start =
            frame.time_ns - static_cast<std::int64_t>(decision.speech_ms) * 1'000'000;
        call_.emit({{"type", "user_start_talking"}, {"turn", call_.turn}});
        push(pipeline::Frame::make(pipeline::FrameType::user_started_speaking, call_.turn, 0, frame.time_ns));
        for (auto& earlier : preroll_) push(std::move(earlier));
        preroll_.clear();
        preroll_ms_ = 0;
    }
    if (decision.speech_started || was_in_speech) {
        frame.turn = call_.turn;
        push(frame);
    } else {
        // Not speech (yet): keep the last moments for the start of the next utterance.
        preroll_.push_back(std::move(frame));
        preroll_ms_ += ms;
        while (preroll_ms_ > kPrerollMs && !preroll_.empty()) {
            preroll_ms_ -= duration_ms(preroll_.front().audio->view());
            preroll_.pop_front();
        }
        return;
    }
    if (decision.interrupt) pipe.interrupt(index() + 1, call_.turn, frame.time_ns);
    if (decision.paused) push(pipeline::Frame::make(pipeline::FrameType::user_paused, call_.turn, 0, frame.time_ns));
    if (decision.turn_ended) {
        call_.last_activity_ns = frame.time_ns;
        auto stop = pipeline::Frame::make(pipeline::FrameType::user_stopped_speaking, call_.turn, 0, frame.time_ns);
        if (decision.ignored) {
            stop.code = "ignored";
        } else {
            TurnTimes& times = call_.turns[call_.turn];
            times.speech_end = last_voiced_ns_;
            times.turn_decided = frame.time_ns;
            call_.emit({{"type", "user_stop_talking"}, {"turn", call_.turn}});
        }
        push(std::move(stop));
    }
}

}  // namespace vox::call::detail
