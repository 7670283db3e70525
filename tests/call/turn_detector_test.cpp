// Turn-taking decisions on exact sequences of voice-activity probabilities
// (20 ms chunks): speech start, end of turn after endpointing, barge-in with
// sensitivity and minimum duration, backchannels ignored.
#include <vox/core/call/turn_detector.hpp>

#include <gtest/gtest.h>

namespace vox::call {
namespace {

constexpr std::uint32_t kChunk = 20;

struct Tally {
    int started = 0, interrupts = 0, ended = 0, ignored = 0;
    std::uint32_t ms = 0;                 // audio time fed so far
    std::uint32_t ended_at_ms = 0;
    std::uint32_t interrupted_at_ms = 0;
};

void feed(TurnDetector& detector, Tally& tally, float probability, std::uint32_t duration_ms, bool agent_speaking) {
    for (std::uint32_t t = 0; t < duration_ms; t += kChunk) {
        tally.ms += kChunk;
        TurnDecision d = detector.on_audio(probability, kChunk, agent_speaking);
        tally.started += d.speech_started ? 1 : 0;
        if (d.interrupt) {
            ++tally.interrupts;
            tally.interrupted_at_ms = tally.ms;
        }
        if (d.turn_ended) {
            ++tally.ended;
            tally.ignored += d.ignored ? 1 : 0;
            tally.ended_at_ms = tally.ms;
        }
    }
}

TEST(TurnDetectorTest, ATurnEndsAfterExactlyTheEndpointingSilence) {
    TurnDetector detector({.endpointing_ms = 300});
    Tally tally;
    feed(detector, tally, 0.0F, 200, false);
    feed(detector, tally, 0.9F, 1000, false);
    std::uint32_t speech_end = tally.ms;
    feed(detector, tally, 0.1F, 280, false);
    EXPECT_EQ(tally.ended, 0) << "ended before 300 ms of silence";
    feed(detector, tally, 0.1F, 100, false);
    EXPECT_EQ(tally.started, 1);
    EXPECT_EQ(tally.ended, 1);
    EXPECT_EQ(tally.ended_at_ms - speech_end, 300U);
    EXPECT_EQ(tally.ignored, 0);
}

TEST(TurnDetectorTest, APauseShorterThanEndpointingDoesNotSplitTheTurn) {
    TurnDetector detector({.endpointing_ms = 500});
    Tally tally;
    feed(detector, tally, 0.9F, 600, false);
    feed(detector, tally, 0.0F, 400, false);
    feed(detector, tally, 0.9F, 600, false);
    feed(detector, tally, 0.0F, 600, false);
    EXPECT_EQ(tally.started, 1);
    EXPECT_EQ(tally.ended, 1);
}

TEST(TurnDetectorTest, APauseIsAnnouncedOnceBeforeTheTurnEnds) {
    TurnDetector detector({.endpointing_ms = 300});
    EXPECT_EQ(detector.settings().pause_ms(), 150U);
    int pauses = 0;
    std::uint32_t paused_after_ms = 0;
    std::uint32_t silence = 0;
    for (int i = 0; i < 20; ++i) detector.on_audio(0.9F, kChunk, false);
    for (int i = 0; i < 20; ++i) {
        silence += kChunk;
        auto d = detector.on_audio(0.0F, kChunk, false);
        if (d.paused) {
            ++pauses;
            paused_after_ms = silence;
        }
        if (d.turn_ended) break;
    }
    EXPECT_EQ(pauses, 1);
    EXPECT_EQ(paused_after_ms, 160U);  // the first 20 ms chunk at or past 150 ms
    EXPECT_EQ(TurnSettings{.endpointing_ms = 1000}.pause_ms(), 850U);
    EXPECT_EQ(TurnSettings{.endpointing_ms = 200}.pause_ms(), 100U);
}

TEST(TurnDetectorTest, AClickShorterThanTheSpeechStartIsNotSpeech) {
    TurnDetector detector({});
    Tally tally;
    feed(detector, tally, 0.9F, 40, false);
    feed(detector, tally, 0.0F, 1000, false);
    EXPECT_EQ(tally.started, 0);
    EXPECT_EQ(tally.ended, 0);
}

TEST(TurnDetectorTest, SpeechOverTheAgentInterruptsAfterTheMinimumDuration) {
    TurnDetector detector({.endpointing_ms = 300, .interruption_sensitivity = 0.5, .min_interruption_ms = 400});
    Tally tally;
    feed(detector, tally, 0.95F, 1000, true);
    EXPECT_EQ(tally.interrupts, 1);
    EXPECT_EQ(tally.interrupted_at_ms, 400U);
}

TEST(TurnDetectorTest, ACoughOverTheAgentNeitherInterruptsNorMakesATurn) {
    TurnDetector detector({.endpointing_ms = 300, .interruption_sensitivity = 0.5, .min_interruption_ms = 400});
    Tally tally;
    feed(detector, tally, 0.95F, 200, true);  // "mm-hmm"
    feed(detector, tally, 0.0F, 600, true);
    EXPECT_EQ(tally.interrupts, 0);
    EXPECT_EQ(tally.ended, 1);
    EXPECT_EQ(tally.ignored, 1);
}

TEST(TurnDetectorTest, SpeechOverTheAgentAddsUpAcrossAShortPause) {
    // "Sorry, ... stop right there": two short stretches over the agent, each
    // under the minimum, the pause between them long enough to end a turn.
    TurnDetector detector({.endpointing_ms = 300, .interruption_sensitivity = 0.5, .min_interruption_ms = 400});
    Tally tally;
    feed(detector, tally, 0.95F, 300, true);
    feed(detector, tally, 0.0F, 400, true);
    EXPECT_EQ(tally.ignored, 1);
    feed(detector, tally, 0.95F, 300, true);
    EXPECT_EQ(tally.interrupts, 1) << "300 + 300 ms of speech within a second is an interruption";

    // Far apart, two coughs stay two coughs.
    TurnDetector apart({.endpointing_ms = 300, .interruption_sensitivity = 0.5, .min_interruption_ms = 400});
    Tally other;
    feed(apart, other, 0.95F, 300, true);
    feed(apart, other, 0.0F, 2000, true);
    feed(apart, other, 0.95F, 300, true);
    feed(apart, other, 0.0F, 400, true);
    EXPECT_EQ(other.interrupts, 0);
    EXPECT_EQ(other.ignored, 2);
}

TEST(TurnDetectorTest, SensitivityScalesTheSpeechNeededToInterrupt) {
    TurnSettings eager{.interruption_sensitivity = 1.0, .min_interruption_ms = 400};
    TurnSettings reluctant{.interruption_sensitivity = 0.1, .min_interruption_ms = 400};
    EXPECT_EQ(eager.interruption_ms(), 200U);
    EXPECT_EQ(reluctant.interruption_ms(), 560U);
    EXPECT_LT(eager.interruption_threshold(), reluctant.interruption_threshold());

    TurnDetector detector(eager);
    Tally tally;
    feed(detector, tally, 0.3F, 400, true);  // quiet speech counts at sensitivity 1
    EXPECT_EQ(tally.interrupts, 1);
}

TEST(TurnDetectorTest, SensitivityZeroNeverInterruptsButTheTurnStillCountsOnceTheAgentIsQuiet) {
    TurnDetector detector({.endpointing_ms = 300, .interruption_sensitivity = 0.0, .min_interruption_ms = 100});
    Tally tally;
    feed(detector, tally, 1.0F, 3000, true);
    EXPECT_EQ(tally.interrupts, 0);
    feed(detector, tally, 0.0F, 400, false);  // the agent finished meanwhile
    EXPECT_EQ(tally.ended, 1);
    EXPECT_EQ(tally.ignored, 0);
}

TEST(TurnDetectorTest, SettingsComeFromTheAgent) {
    auto settings = TurnSettings::from_agent_settings(
        {{"endpointing_ms", 700}, {"interruption_sensitivity", 0.8}, {"min_interruption_ms", 250}, {"temperature", 1}});
    EXPECT_EQ(settings.endpointing_ms, 700U);
    EXPECT_DOUBLE_EQ(settings.interruption_sensitivity, 0.8);
    EXPECT_EQ(settings.min_interruption_ms, 250U);
    EXPECT_EQ(TurnSettings::from_agent_settings(nullptr).endpointing_ms, 300U);
}

}  // namespace
}  // namespace vox::call
