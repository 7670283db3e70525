#include <vox/core/call/turn_detector.hpp>

#include <algorithm>
#include <cmath>

namespace vox::call {

TurnSettings TurnSettings::from_agent_settings(const nlohmann::json& settings) {
    TurnSettings turn;
    if (!settings.is_object()) return turn;
    turn.endpointing_ms = settings.value("endpointing_ms", turn.endpointing_ms);
    turn.interruption_sensitivity = settings.value("interruption_sensitivity", turn.interruption_sensitivity);
    turn.min_interruption_ms = settings.value("min_interruption_ms", turn.min_interruption_ms);
    return turn;
}

std::uint32_t TurnSettings::interruption_ms() const {
    double scale = 1.5 - std::clamp(interruption_sensitivity, 0.0, 1.0);
    return static_cast<std::uint32_t>(std::lround(min_interruption_ms * scale));
}

float TurnSettings::interruption_threshold() const {
    double s = std::clamp(interruption_sensitivity, 0.0, 1.0);
    return static_cast<float>(std::clamp(speech_threshold + (0.5 - s) * 0.6, 0.2, 0.95));
}

std::uint32_t TurnSettings::pause_ms() const {
    constexpr std::uint32_t kFinaliseHeadStartMs = 150;  // about what STT needs to finalise
    return endpointing_ms > 2 * kFinaliseHeadStartMs ? endpointing_ms - kFinaliseHeadStartMs : endpointing_ms / 2;
}

void TurnDetector::reset() {
    in_speech_ = false;
    interrupted_ = false;
    over_agent_ = false;
    voiced_run_ms_ = 0;
    speech_ms_ = 0;
    silence_ms_ = 0;
    carried_speech_ms_ = 0;
    since_ignored_ms_ = 0;
}

TurnDecision TurnDetector::on_audio(float probability, std::uint32_t duration_ms, bool agent_speaking) {
    TurnDecision decision;
    float threshold = agent_speaking ? settings_.interruption_threshold() : settings_.speech_threshold;
    bool voiced = probability >= threshold;

    if (!in_speech_) {
        since_ignored_ms_ += duration_ms;
        voiced_run_ms_ = voiced ? voiced_run_ms_ + duration_ms : 0;
        if (voiced_run_ms_ < settings_.speech_start_ms) return decision;
        in_speech_ = true;
        interrupted_ = false;
        over_agent_ = agent_speaking;
        speech_ms_ = voiced_run_ms_;
        constexpr std::uint32_t kCarryWithinMs = 1000;
        if (agent_speaking && carried_speech_ms_ > 0 && since_ignored_ms_ <= kCarryWithinMs)
            speech_ms_ += carried_speech_ms_;
        carried_speech_ms_ = 0;
        silence_ms_ = 0;
        decision.speech_started = true;
    } else if (voiced) {
        speech_ms_ += duration_ms;
        silence_ms_ = 0;
    } else {
        std::uint32_t before = silence_ms_;
        silence_ms_ += duration_ms;
        decision.paused = before < settings_.pause_ms() && silence_ms_ >= settings_.pause_ms();
    }
    decision.speech_ms = speech_ms_;

    if (agent_speaking && !interrupted_ && settings_.interruption_sensitivity > 0.0 &&
        speech_ms_ >= settings_.interruption_ms()) {
        interrupted_ = true;
        decision.interrupt = true;
    }
    if (silence_ms_ >= settings_.endpointing_ms) {
        decision.turn_ended = true;
        // Speech that started over the agent and never became an interruption
        // (a cough, "mm-hmm") is not a turn. Without interruptions at all
        // (sensitivity 0) the caller's words still count once the agent is quiet.
        decision.ignored = over_agent_ && !interrupted_ && agent_speaking;
        if (decision.ignored) {
            carried_speech_ms_ = speech_ms_;
            since_ignored_ms_ = 0;
        }
        in_speech_ = false;
        voiced_run_ms_ = 0;
        speech_ms_ = 0;
        silence_ms_ = 0;
    }
    return decision;
}

}  // namespace vox::call
