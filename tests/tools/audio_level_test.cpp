#include "audio_test_support.hpp"

#include <vox/core/audio/level.hpp>

#include <limits>

namespace vox::test {
namespace {

TEST(AudioLevel, RmsOfSinesInDbfs) {
    EXPECT_NEAR(audio::rms_dbfs(sine(16000, 1000, 1.0, 32767)), -3.01, 0.02);
    EXPECT_NEAR(audio::rms_dbfs(sine(16000, 1000, 1.0, 16384)), -9.03, 0.02);
    EXPECT_NEAR(audio::rms_dbfs(sine(16000, 1000, 1.0, 328)), -43.0, 0.1);
}

TEST(AudioLevel, SilenceAndNothingAreMinusInfinity) {
    const double minus_infinity = -std::numeric_limits<double>::infinity();
    EXPECT_EQ(audio::rms_dbfs(std::vector<std::int16_t>(1000, 0)), minus_infinity);
    EXPECT_EQ(audio::rms_dbfs({}), minus_infinity);
    EXPECT_EQ(audio::peak_dbfs(std::vector<std::int16_t>(10, 0)), minus_infinity);
}

TEST(AudioLevel, PeakIsTheLoudestSample) {
    std::vector<std::int16_t> samples(100, 10);
    samples[50] = -32768;
    EXPECT_NEAR(audio::peak_dbfs(samples), 0.0, 1e-9);
    samples[50] = 16384;
    EXPECT_NEAR(audio::peak_dbfs(samples), -6.02, 0.01);
}

}  // namespace
}  // namespace vox::test
