// Signals and scratch files for the audio and voxctl tests.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace vox::test {

// `seconds` of a sine at `hz`, peak `amplitude` (of 32767), interleaved over
// `channels` (channel c > 0 gets the sine scaled by 1/(c+1)).
inline std::vector<std::int16_t> sine(std::uint32_t rate, double hz, double seconds, double amplitude = 10000,
                                      std::uint32_t channels = 1) {
    auto frames = static_cast<std::size_t>(rate * seconds);
    std::vector<std::int16_t> samples(frames * channels);
    for (std::size_t i = 0; i < frames; ++i) {
        double value = amplitude * std::sin(2 * M_PI * hz * static_cast<double>(i) / rate);
        for (std::uint32_t c = 0; c < channels; ++c)
            samples[i * channels + c] = static_cast<std::int16_t>(std::lround(value / (c + 1)));
    }
    return samples;
}

// Sign changes per second of one channel: twice the frequency of a pure tone.
inline double zero_crossings_per_second(const std::vector<std::int16_t>& samples, std::uint32_t rate,
                                        std::uint32_t channels = 1, std::uint32_t channel = 0) {
    std::size_t crossings = 0;
    std::size_t frames = samples.size() / channels;
    for (std::size_t i = 1; i < frames; ++i)
        if ((samples[(i - 1) * channels + channel] < 0) != (samples[i * channels + channel] < 0)) ++crossings;
    return static_cast<double>(crossings) * rate / static_cast<double>(frames);
}

inline std::string scratch(const std::string& name) {
    std::filesystem::create_directories(VOX_TEST_TMP_DIR);
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string test = std::string(info->test_suite_name()) + "." + info->name();
    std::replace(test.begin(), test.end(), '/', '_');  // parameterised tests: "Backends/Suite.Name/sqlite"
    std::string path = std::string(VOX_TEST_TMP_DIR) + "/" + test + "." + name;
    std::filesystem::remove_all(path);
    return path;
}

}  // namespace vox::test
