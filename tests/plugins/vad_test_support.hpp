// Shared by the vad_speexdsp and VadClient tests: a registry holding the real
// vad_speexdsp plugin (and tts_flite, to make speech), test signals (speech
// padded with digital silence or with white noise) and scoring per 20 ms frame.
#pragma once

#include "flite_test_support.hpp"

#include <vox/core/audio/level.hpp>
#include <vox/core/audio/resampler.hpp>
#include <vox/core/providers/vad_client.hpp>

#include <cmath>
#include <cstdio>
#include <random>

namespace vox::test {

class VadFixture : public ::testing::Test {
protected:
    VadFixture() : registry_(host_) {}

    void SetUp() override {
        for (const char* path : {VOX_TEST_SPEEXDSP_PLUGIN, VOX_TEST_FLITE_PLUGIN}) {
            ASSERT_TRUE(std::filesystem::exists(path)) << path;
            bool loaded = PluginLoader(registry_).load_file(path);
            std::string reasons;
            for (const auto& refused : registry_.refused()) reasons += refused.origin + ": " + refused.reason + "\n";
            ASSERT_TRUE(loaded) << reasons;
        }
        provider_ = registry_.find("vad.speexdsp");
        ASSERT_NE(provider_, nullptr);
    }

    const Provider& speexdsp() const { return *provider_; }

    // About 3.5 s of speech from tts.flite (slt) at `rate`.
    audio::AudioBuffer speech(std::uint32_t rate) const {
        return speak(*registry_.find("tts.flite"),
                     "Hello, thank you for calling. How can I help you today? "
                     "I would like to check the balance of my account, please.",
                     {{"voice", "slt"}}, rate);
    }

    HostServices host_;
    PluginRegistry registry_;
    const Provider* provider_ = nullptr;
};

// A test signal: `lead_s` of padding, the speech, `tail_s` of padding; the
// padding is digital silence, and white noise at `noise_dbfs` (RMS) is added
// to everything when given.
struct Signal {
    audio::AudioBuffer audio;
    std::size_t speech_begin = 0;  // frames
    std::size_t speech_end = 0;
};

inline Signal padded(const audio::AudioBuffer& speech, double lead_s, double tail_s,
                     std::optional<double> noise_dbfs = std::nullopt) {
    Signal signal;
    const std::uint32_t rate = speech.sample_rate;
    auto lead = static_cast<std::size_t>(lead_s * rate);
    auto tail = static_cast<std::size_t>(tail_s * rate);
    signal.audio.sample_rate = rate;
    signal.audio.samples.assign(lead, 0);
    signal.audio.samples.insert(signal.audio.samples.end(), speech.samples.begin(), speech.samples.end());
    signal.audio.samples.resize(signal.audio.samples.size() + tail, 0);
    signal.speech_begin = lead;
    signal.speech_end = lead + speech.samples.size();
    if (noise_dbfs) {
        // Uniform noise in [-a, a] has an RMS of a / sqrt(3).
        double amplitude = 32768.0 * std::pow(10.0, *noise_dbfs / 20.0) * std::sqrt(3.0);
        std::mt19937 random(7);
        std::uniform_real_distribution<double> noise(-amplitude, amplitude);
        for (auto& sample : signal.audio.samples)
            sample = static_cast<std::int16_t>(std::clamp(sample + noise(random), -32768.0, 32767.0));
    }
    return signal;
}

// How a detector did on a signal, chunk by chunk (chunks of 20 ms).
struct Score {
    std::size_t speech_chunks = 0;   // loud chunks inside the speech
    std::size_t speech_hits = 0;     // ... judged speech (p >= 0.5)
    std::size_t padding_chunks = 0;  // chunks of the padding
    std::size_t padding_hits = 0;    // ... judged speech
    double speech_mean = 0;          // mean probability of the loud speech chunks
    double padding_mean = 0;
    double padding_max = 0;

    double recall() const { return speech_chunks == 0 ? 0 : double(speech_hits) / double(speech_chunks); }
    double false_alarms() const { return padding_chunks == 0 ? 0 : double(padding_hits) / double(padding_chunks); }
    std::string summary() const {
        char text[256];
        std::snprintf(text, sizeof text,
                      "speech: %zu of %zu loud chunks detected (%.1f%%, mean p %.2f); padding: %zu of %zu chunks "
                      "called speech (%.1f%%, mean p %.2f, max %.2f)",
                      speech_hits, speech_chunks, recall() * 100, speech_mean, padding_hits, padding_chunks,
                      false_alarms() * 100, padding_mean, padding_max);
        return text;
    }
};

// Feeds the signal in 20 ms chunks to `process` and scores it. Speech chunks
// count only where the clean speech is loud (above -40 dBFS: flite leaves
// near-silent gaps between words); padding chunks start 300 ms after the
// speech so speex's decay after speech is not counted against it.
template <class Process>
Score score(const Signal& signal, const audio::AudioBuffer& clean_speech, Process&& process) {
    const std::uint32_t rate = signal.audio.sample_rate;
    const std::size_t chunk = rate / 50;
    const std::size_t settle = rate * 3 / 10;
    Score s;
    for (std::size_t at = 0; at + chunk <= signal.audio.samples.size(); at += chunk) {
        float p = process(audio::AudioView{std::span(signal.audio.samples).subspan(at, chunk), rate, 1});
        bool judged = p >= 0.5F;
        if (at >= signal.speech_begin && at + chunk <= signal.speech_end) {
            auto clean = std::span(clean_speech.samples).subspan(at - signal.speech_begin, chunk);
            if (audio::rms_dbfs(clean) < -40.0) continue;
            ++s.speech_chunks;
            s.speech_hits += judged ? 1 : 0;
            s.speech_mean += p;
        } else if (at + chunk <= signal.speech_begin || at >= signal.speech_end + settle) {
            ++s.padding_chunks;
            s.padding_hits += judged ? 1 : 0;
            s.padding_mean += p;
            s.padding_max = std::max(s.padding_max, double(p));
        }
    }
    if (s.speech_chunks > 0) s.speech_mean /= double(s.speech_chunks);
    if (s.padding_chunks > 0) s.padding_mean /= double(s.padding_chunks);
    return s;
}

}  // namespace vox::test
