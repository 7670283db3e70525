// The vad_speexdsp plugin: capabilities, settings, and detection quality on
// real speech (tts.flite) padded with digital silence or white noise, at the
// two rates it works at.
#include "vad_test_support.hpp"

namespace vox::test {
namespace {

using SpeexVad = VadFixture;

TEST_F(SpeexVad, RegistersProviderVadSpeexdsp) {
    EXPECT_EQ(speexdsp().kind, ProviderKind::vad);
    EXPECT_EQ(speexdsp().plugin->name, "speexdsp");
    EXPECT_TRUE(registry_.refused().empty());
    const nlohmann::json& caps = speexdsp().capabilities;
    EXPECT_EQ(caps.at("sample_rates"), nlohmann::json({8000, 16000}));
    EXPECT_EQ(caps.at("frame_ms"), 20);
    const nlohmann::json& properties = speexdsp().settings_schema.at("properties");
    for (const char* key : {"prob_start", "prob_continue", "energy_floor_dbfs"})
        EXPECT_TRUE(properties.contains(key)) << key;
    EXPECT_EQ(speexdsp().settings_schema.at("additionalProperties"), false);
}

TEST_F(SpeexVad, SpeechIsDetectedAndSilenceIsNot) {
    for (std::uint32_t rate : {16000u, 8000u}) {
        audio::AudioBuffer clean = speech(rate);
        ASSERT_GT(clean.duration_seconds(), 2.0);
        Signal signal = padded(clean, 1.0, 1.5);
        VadClient vad(speexdsp(), {{}, rate});
        EXPECT_EQ(vad.provider_sample_rate(), rate);  // no resampling
        Score s = score(signal, clean, [&](const audio::AudioView& chunk) { return vad.process(chunk); });
        std::printf("[ speexdsp ] %u Hz, digital silence: %s\n", rate, s.summary().c_str());
        EXPECT_GE(s.recall(), 0.9) << s.summary();
        EXPECT_GE(s.speech_mean, 0.8) << s.summary();
        EXPECT_EQ(s.padding_hits, 0u) << s.summary();
        EXPECT_EQ(s.padding_max, 0.0) << s.summary();  // digital silence is under any energy floor
    }
}

TEST_F(SpeexVad, QuietWhiteNoiseIsNotSpeech) {
    for (std::uint32_t rate : {16000u, 8000u}) {
        audio::AudioBuffer clean = speech(rate);
        Signal signal = padded(clean, 1.0, 1.5, -50.0);
        VadClient vad(speexdsp(), {{}, rate});
        Score s = score(signal, clean, [&](const audio::AudioView& chunk) { return vad.process(chunk); });
        std::printf("[ speexdsp ] %u Hz, white noise at -50 dBFS: %s\n", rate, s.summary().c_str());
        EXPECT_GE(s.recall(), 0.9) << s.summary();
        EXPECT_LE(s.false_alarms(), 0.02) << s.summary();
        EXPECT_LT(s.padding_mean, 0.1) << s.summary();
    }
}

// Without the energy floor (-96 dBFS lets everything but digital silence
// through) speex decides alone: its noise estimate starts at zero, so it
// takes the first second of noise for speech, and with the default floor
// it never does. This is why the floor exists.
TEST_F(SpeexVad, TheEnergyFloorCoversSpeexsWarmUp) {
    audio::AudioBuffer clean = speech(16000);
    Signal signal = padded(clean, 1.0, 1.5, -50.0);
    VadClient bare(speexdsp(), {{{"energy_floor_dbfs", -96}}, 16000});
    Score s = score(signal, clean, [&](const audio::AudioView& chunk) { return bare.process(chunk); });
    std::printf("[ speexdsp ] 16000 Hz, white noise at -50 dBFS, no energy floor: %s\n", s.summary().c_str());
    EXPECT_GE(s.recall(), 0.9) << s.summary();
    EXPECT_GT(s.false_alarms(), 0.1) << "speex alone got better at noise? " << s.summary();
}

TEST_F(SpeexVad, SettingsChangeTheDecision) {
    audio::AudioBuffer clean = speech(16000);
    Signal signal = padded(clean, 0.5, 0.5);
    auto hits = [&](const nlohmann::json& settings) {
        VadClient vad(speexdsp(), {settings, 16000});
        return score(signal, clean, [&](const audio::AudioView& chunk) { return vad.process(chunk); }).speech_hits;
    };
    EXPECT_GT(hits({}), 50u);
    EXPECT_EQ(hits({{"prob_start", 1.0}, {"prob_continue", 1.0}}), 0u);  // speex's probability never exceeds 1
    EXPECT_EQ(hits({{"energy_floor_dbfs", 0}}), 0u);                     // nothing is louder than full scale
}

TEST_F(SpeexVad, BadSettingsAreRejectedWithTheReason) {
    auto open_error = [&](const nlohmann::json& settings) -> std::string {
        try {
            VadClient vad(speexdsp(), {settings, 16000});
        } catch (const ProviderError& e) {
            EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "accepted " << settings;
        return {};
    };
    EXPECT_NE(open_error({{"prob_start", 1.5}}).find("\"prob_start\" must be from 0 to 1"), std::string::npos);
    EXPECT_NE(open_error({{"prob_continue", "low"}}).find("\"prob_continue\" must be a number"), std::string::npos);
    EXPECT_NE(open_error({{"energy_floor_dbfs", 3}}).find("\"energy_floor_dbfs\" must be from -96 to 0"),
              std::string::npos);
    EXPECT_NE(open_error({{"prob_start", 0.2}, {"prob_continue", 0.5}}).find("must not exceed"), std::string::npos);
    EXPECT_NE(open_error({{"threshold", 1}}).find("unknown setting \"threshold\""), std::string::npos);
}

// Below the client: the ABI refuses rates speexdsp is not used at, and audio
// at another rate than the session's.
TEST_F(SpeexVad, OtherRatesAreRefusedThroughTheAbi) {
    const auto& vtable = speexdsp().vtable<vox_vad_vtable>();
    vox_vad_session* session = nullptr;
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    EXPECT_EQ(vtable.open(speexdsp().plugin_context(), "{}", 44100, &session, &err), VOX_ERR_UNSUPPORTED);
    EXPECT_EQ(session, nullptr);
    EXPECT_NE(std::string(err.message).find("8000 or 16000 Hz, not 44100 Hz"), std::string::npos) << err.message;

    ASSERT_EQ(vtable.open(speexdsp().plugin_context(), "", 8000, &session, &err), VOX_OK);
    std::vector<std::int16_t> samples(320, 0);
    vox_audio audio{sizeof(vox_audio), samples.data(), samples.size(), 16000, 1};
    float probability = -1;
    EXPECT_EQ(vtable.process(session, &audio, &probability, &err), VOX_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(err.message).find("opened for 8000 Hz"), std::string::npos) << err.message;
    vtable.close(session);
}

// speexdsp works on 20 ms frames: however the audio is cut into chunks, the
// frames and so their verdicts are the same. A chunk's probability is the
// mean of the frames it completed.
TEST_F(SpeexVad, ChunkSizeDoesNotChangeTheFrames) {
    audio::AudioBuffer clean = speech(16000);
    Signal signal = padded(clean, 0.5, 0.5, -60.0);
    const auto& samples = signal.audio.samples;
    auto run = [&](std::size_t chunk) {
        VadClient vad(speexdsp(), {{}, 16000});
        std::vector<float> out;
        for (std::size_t at = 0; at < samples.size(); at += chunk) {
            std::size_t n = std::min(chunk, samples.size() - at);
            out.push_back(vad.process({std::span(samples).subspan(at, n), 16000, 1}));
        }
        return out;
    };
    std::vector<float> frames = run(320);
    std::vector<float> hundred_ms = run(1600);
    std::vector<float> odd = run(77);
    for (std::size_t i = 0; i < hundred_ms.size() && (i + 1) * 5 <= frames.size(); ++i) {
        double mean = 0;
        for (std::size_t k = 0; k < 5; ++k) mean += frames[i * 5 + k];
        EXPECT_NEAR(hundred_ms[i], mean / 5, 1e-5) << "chunk " << i;
    }
    // With 77-sample chunks, each chunk reports the frame completed in it (or the last one).
    std::size_t fed = 0, frame = 0;
    for (float p : odd) {
        fed += 77;
        while ((frame + 1) * 320 <= fed) ++frame;
        if (frame > 0) {
            ASSERT_LE(frame, frames.size());
            EXPECT_FLOAT_EQ(p, frames[frame - 1]) << "after " << fed << " samples";
        }
    }
}

TEST_F(SpeexVad, StereoIsTheMeanOfItsChannels) {
    audio::AudioBuffer clean = speech(16000);
    Signal mono = padded(clean, 0.5, 0.5);
    audio::AudioBuffer stereo{{}, 16000, 2};
    for (std::int16_t s : mono.audio.samples) stereo.samples.insert(stereo.samples.end(), {s, s});
    VadClient one(speexdsp(), {{}, 16000});
    VadClient two(speexdsp(), {{}, 16000});
    for (std::size_t at = 0; at + 320 <= mono.audio.samples.size(); at += 320) {
        float a = one.process({std::span(mono.audio.samples).subspan(at, 320), 16000, 1});
        float b = two.process({std::span(stereo.samples).subspan(at * 2, 640), 16000, 2});
        ASSERT_FLOAT_EQ(a, b) << "at " << at;
    }
}

}  // namespace
}  // namespace vox::test
