// Turn-taking from voice activity: decides when the caller starts speaking,
// when their turn ends (after `endpointing_ms` of silence), and when speech
// over the agent is a real interruption rather than a cough or an "mm-hmm".
// Pure logic driven by audio time (one call per audio chunk), so tests can
// feed it exact sequences.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

namespace vox::call {

struct TurnSettings {
    std::uint32_t endpointing_ms = 300;
    double interruption_sensitivity = 0.5;  // 0: never interrupt; 1: any speech interrupts
    std::uint32_t min_interruption_ms = 400;
    std::uint32_t speech_start_ms = 60;     // voiced audio needed to count as speech
    float speech_threshold = 0.5F;          // VAD probability counted as voiced

    // From an agent's "settings" object (missing fields keep their defaults).
    static TurnSettings from_agent_settings(const nlohmann::json& settings);
    // Caller speech needed over the agent before it stops: min_interruption_ms
    // scaled by the sensitivity (x1.5 at 0, x1 at 0.5, x0.5 at 1).
    std::uint32_t interruption_ms() const;
    // Probability needed over the agent: stricter at low sensitivity.
    float interruption_threshold() const;
    // Silence after which the caller has probably finished: STT finalises
    // early here so the transcript is ready when endpointing confirms the end.
    std::uint32_t pause_ms() const;
};

struct TurnDecision {
    bool speech_started = false;  // the caller began speaking
    bool paused = false;          // pause_ms of silence within the utterance (fires once per pause)
    bool interrupt = false;       // barge-in: stop the agent now
    bool turn_ended = false;      // the caller's turn is over
    bool ignored = false;         // with turn_ended: it was a backchannel over the agent; drop it
    std::uint32_t speech_ms = 0;  // voiced audio in the utterance so far
};

class TurnDetector {
public:
    explicit TurnDetector(TurnSettings settings) : settings_(settings) {}

    // One chunk of `duration_ms` whose speech probability is `probability`,
    // while the agent is (or is not) audible.
    TurnDecision on_audio(float probability, std::uint32_t duration_ms, bool agent_speaking);
    // Forget the current utterance (call start, after an ignored one).
    void reset();

    bool in_speech() const { return in_speech_; }
    const TurnSettings& settings() const { return settings_; }

private:
    TurnSettings settings_;
    bool in_speech_ = false;
    bool interrupted_ = false;       // this utterance already cut the agent off
    bool over_agent_ = false;        // this utterance began while the agent spoke
    std::uint32_t voiced_run_ms_ = 0;  // before speech starts
    std::uint32_t speech_ms_ = 0;
    std::uint32_t silence_ms_ = 0;
    // Speech of a backchannel just ignored, and the silence since: "Sorry, ...
    // stop" over the agent adds up to an interruption across the pause.
    std::uint32_t carried_speech_ms_ = 0;
    std::uint32_t since_ignored_ms_ = 0;
};

}  // namespace vox::call
