#include "audio_test_support.hpp"

#include <vox/core/audio/level.hpp>
#include <vox/core/audio/resampler.hpp>

namespace vox::test {
namespace {

using audio::AudioBuffer;

TEST(AudioResampler, UpsamplesKeepingPitchLengthAndLevel) {
    AudioBuffer input{sine(8000, 440, 1.0), 8000, 1};
    AudioBuffer output = audio::resample(input.view(), 16000);
    EXPECT_EQ(output.sample_rate, 16000u);
    EXPECT_NEAR(static_cast<double>(output.frames()), 16000.0, 2.0);
    EXPECT_NEAR(zero_crossings_per_second(output.samples, 16000), 880.0, 4.0);
    EXPECT_NEAR(audio::rms_dbfs(output.samples), audio::rms_dbfs(input.samples), 0.2);
}

TEST(AudioResampler, DownsamplesAndRemovesWhatNoLongerFits) {
    AudioBuffer tone{sine(48000, 1000, 1.0), 48000, 1};
    AudioBuffer output = audio::resample(tone.view(), 16000);
    EXPECT_NEAR(static_cast<double>(output.frames()), 16000.0, 2.0);
    EXPECT_NEAR(zero_crossings_per_second(output.samples, 16000), 2000.0, 4.0);
    // 12 kHz is above the new Nyquist frequency (8 kHz): filtered out, not aliased.
    AudioBuffer high{sine(48000, 12000, 1.0), 48000, 1};
    EXPECT_LT(audio::rms_dbfs(audio::resample(high.view(), 16000).samples), -60.0);
}

TEST(AudioResampler, StreamingInChunksEqualsOneShot) {
    std::vector<std::int16_t> input = sine(8000, 523, 0.7);
    AudioBuffer one_shot = audio::resample({input, 8000, 1}, 16000);
    audio::Resampler resampler(8000, 16000);
    std::vector<std::int16_t> streamed;
    for (std::size_t offset = 0; offset < input.size();) {
        std::size_t n = std::min<std::size_t>(input.size() - offset, 37 + offset % 301);  // ragged chunks
        auto out = resampler.process(std::span(input).subspan(offset, n));
        streamed.insert(streamed.end(), out.begin(), out.end());
        offset += n;
    }
    auto tail = resampler.flush();
    streamed.insert(streamed.end(), tail.begin(), tail.end());
    EXPECT_EQ(streamed, one_shot.samples);
}

TEST(AudioResampler, FlushAndResetStartAFreshSignal) {
    std::vector<std::int16_t> input = sine(8000, 440, 0.2);
    audio::Resampler resampler(8000, 16000);
    auto first = resampler.process(input);
    auto first_tail = resampler.flush();
    first.insert(first.end(), first_tail.begin(), first_tail.end());
    auto second = resampler.process(input);
    auto second_tail = resampler.flush();
    second.insert(second.end(), second_tail.begin(), second_tail.end());
    EXPECT_EQ(first, second);  // flush() left no state behind

    resampler.process(sine(8000, 3000, 0.2));
    resampler.reset();  // barge-in: the held-back signal is dropped
    auto after_reset = resampler.process(input);
    auto after_tail = resampler.flush();
    after_reset.insert(after_reset.end(), after_tail.begin(), after_tail.end());
    EXPECT_EQ(after_reset, first);
}

TEST(AudioResampler, SameRatePassesThrough) {
    std::vector<std::int16_t> input = sine(16000, 440, 0.1);
    audio::Resampler resampler(16000, 16000);
    EXPECT_EQ(resampler.process(input), input);
    EXPECT_TRUE(resampler.flush().empty());
}

TEST(AudioResampler, KeepsChannelsApart) {
    AudioBuffer stereo{sine(16000, 440, 0.5, 10000, 2), 16000, 2};
    for (auto i = 1u; i < stereo.samples.size(); i += 2) stereo.samples[i] = 0;  // right channel silent
    AudioBuffer output = audio::resample(stereo.view(), 8000);
    EXPECT_EQ(output.channels, 2u);
    EXPECT_NEAR(static_cast<double>(output.frames()), 4000.0, 2.0);
    std::vector<std::int16_t> right;
    for (auto i = 1u; i < output.samples.size(); i += 2) right.push_back(output.samples[i]);
    EXPECT_LT(audio::peak_dbfs(right), -80.0);
    EXPECT_NEAR(zero_crossings_per_second(output.samples, 8000, 2, 0), 880.0, 8.0);
}

TEST(AudioResampler, RejectsImpossibleParameters) {
    EXPECT_THROW(audio::Resampler(0, 16000), audio::AudioError);
    EXPECT_THROW(audio::Resampler(16000, 8000, 0), audio::AudioError);
    audio::Resampler stereo(16000, 8000, 2);
    std::vector<std::int16_t> odd(3, 0);
    EXPECT_THROW(stereo.process(odd), audio::AudioError);
}

}  // namespace
}  // namespace vox::test
