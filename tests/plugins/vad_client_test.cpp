// vox::VadClient, the host's handle on a VAD session, with the real
// vad.speexdsp plugin: choosing the provider's rate, resampling other input
// rates (8 kHz telephony is native; 48 kHz WebRTC audio is resampled to
// 16 kHz), errors, reset and moves.
#include "vad_test_support.hpp"

namespace vox::test {
namespace {

using VadClientTest = VadFixture;

TEST_F(VadClientTest, ChoosesTheProviderRate) {
    EXPECT_EQ(VadClient::choose_sample_rate(speexdsp(), 8000), 8000u);
    EXPECT_EQ(VadClient::choose_sample_rate(speexdsp(), 16000), 16000u);
    EXPECT_EQ(VadClient::choose_sample_rate(speexdsp(), 11025), 16000u);  // the lowest rate above
    EXPECT_EQ(VadClient::choose_sample_rate(speexdsp(), 48000), 16000u);  // the highest
    EXPECT_EQ(VadClient::choose_sample_rate(speexdsp(), 0), 16000u);
    VadClient vad(speexdsp());
    EXPECT_EQ(vad.input_sample_rate(), 16000u);
    EXPECT_EQ(vad.provider_sample_rate(), 16000u);
    EXPECT_TRUE(vad.is_open());
    EXPECT_EQ(vad.provider().key, "vad.speexdsp");
}

// The resampling path: speech at 48 kHz and at 8 kHz given to clients opened
// for those rates, padded with silence or quiet noise.
TEST_F(VadClientTest, ResampledInputIsJudgedLikeNativeInput) {
    audio::AudioBuffer speech16 = speech(16000);
    for (std::uint32_t rate : {48000u, 8000u, 11025u}) {
        audio::AudioBuffer clean = audio::resample(speech16.view(), rate);
        for (std::optional<double> noise : {std::optional<double>{}, std::optional<double>{-50.0}}) {
            Signal signal = padded(clean, 1.0, 1.5, noise);
            VadClient vad(speexdsp(), {{}, rate});
            EXPECT_EQ(vad.provider_sample_rate(), rate == 8000 ? 8000u : 16000u);
            Score s = score(signal, clean, [&](const audio::AudioView& chunk) { return vad.process(chunk); });
            std::printf("[ speexdsp ] VadClient at %u Hz, %s: %s\n", rate,
                        noise ? "white noise at -50 dBFS" : "digital silence", s.summary().c_str());
            EXPECT_GE(s.recall(), 0.9) << rate << " Hz: " << s.summary();
            EXPECT_LE(s.false_alarms(), 0.02) << rate << " Hz: " << s.summary();
        }
    }
}

TEST_F(VadClientTest, ChunksTooShortToResampleKeepThePreviousProbability) {
    VadClient vad(speexdsp(), {{}, 48000});
    std::vector<std::int16_t> one(1, 1000);
    // A single sample at 48 kHz yields nothing at 16 kHz yet (or a fraction
    // of a frame): no new verdict, the last one (none yet: 0) stands.
    EXPECT_EQ(vad.process({one, 48000, 1}), 0.0F);
}

TEST_F(VadClientTest, AudioAtAnotherRateIsRefused) {
    VadClient vad(speexdsp(), {{}, 8000});
    std::vector<std::int16_t> samples(320, 0);
    EXPECT_THROW(vad.process({samples, 16000, 1}), std::invalid_argument);
    EXPECT_THROW(vad.process({samples, 8000, 0}), std::invalid_argument);
}

TEST_F(VadClientTest, RefusalsAreProviderErrors) {
    try {
        VadClient vad(speexdsp(), {{{"prob_start", 2}}, 16000});
        FAIL() << "bad settings accepted";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
        EXPECT_EQ(e.provider_key(), "vad.speexdsp");
        EXPECT_NE(std::string(e.what()).find("open failed: settings: \"prob_start\""), std::string::npos) << e.what();
    }
    try {
        VadClient vad(*registry_.find("tts.flite"));
        FAIL() << "a TTS provider opened as a VAD";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
        EXPECT_NE(std::string(e.what()).find("not a vad provider"), std::string::npos) << e.what();
    }
    EXPECT_THROW(VadClient(speexdsp(), {nlohmann::json::array(), 16000}), ProviderError);
}

TEST_F(VadClientTest, ResetForgetsTheStream) {
    audio::AudioBuffer clean = speech(16000);
    Signal signal = padded(clean, 0.0, 0.0);
    auto first_verdicts = [&](VadClient& vad) {
        std::vector<float> out;
        for (std::size_t at = 0; at + 320 <= 320 * 50; at += 320)
            out.push_back(vad.process({std::span(signal.audio.samples).subspan(at, 320), 16000, 1}));
        return out;
    };
    VadClient vad(speexdsp(), {{}, 16000});
    std::vector<float> fresh = first_verdicts(vad);
    std::vector<float> again = first_verdicts(vad);
    vad.reset();
    // A half frame before reset is dropped with the rest of the state.
    vad.process({std::span(signal.audio.samples).subspan(0, 100), 16000, 1});
    vad.reset();
    std::vector<float> after_reset = first_verdicts(vad);
    EXPECT_EQ(after_reset, fresh);  // exactly like a new session
    EXPECT_NE(again, fresh);        // (without reset, speex's noise estimate carries over)
}

TEST_F(VadClientTest, ResetAlsoForgetsTheResampler) {
    audio::AudioBuffer clean = audio::resample(speech(16000).view(), 48000);
    auto verdicts = [&](VadClient& vad) {
        std::vector<float> out;
        for (std::size_t at = 0; at + 960 <= 960 * 40; at += 960)
            out.push_back(vad.process({std::span(clean.samples).subspan(at, 960), 48000, 1}));
        return out;
    };
    VadClient vad(speexdsp(), {{}, 48000});
    std::vector<float> fresh = verdicts(vad);
    vad.reset();
    EXPECT_EQ(verdicts(vad), fresh);
}

TEST_F(VadClientTest, MovesHandTheSessionOver) {
    std::vector<std::int16_t> silence(320, 0);
    VadClient a(speexdsp(), {{}, 16000});
    VadClient b(std::move(a));
    EXPECT_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move): checking the moved-from state
    EXPECT_THROW(a.process({silence, 16000, 1}), std::logic_error);
    EXPECT_EQ(b.process({silence, 16000, 1}), 0.0F);
    VadClient c(speexdsp(), {{}, 8000});
    c = std::move(b);  // closes c's own session, takes b's
    EXPECT_EQ(c.input_sample_rate(), 16000u);
    EXPECT_EQ(c.process({silence, 16000, 1}), 0.0F);
}

}  // namespace
}  // namespace vox::test
