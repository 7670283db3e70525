#include <vox/core/audio/dtmf.hpp>

#include <cmath>
#include <numbers>

namespace vox::audio {

std::optional<std::pair<int, int>> dtmf_frequencies(char key) {
    static constexpr int rows[] = {697, 770, 852, 941};
    static constexpr int columns[] = {1209, 1336, 1477, 1633};
    static constexpr std::string_view layout = "123A456B789C*0#D";
    auto at = layout.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    return std::pair{rows[at / 4], columns[at % 4]};
}

AudioBuffer dtmf_tones(std::string_view keys, std::uint32_t sample_rate, std::uint32_t tone_ms, std::uint32_t gap_ms) {
    AudioBuffer out{{}, sample_rate, 1};
    const std::size_t tone_samples = static_cast<std::size_t>(sample_rate) * tone_ms / 1000;
    const std::size_t gap_samples = static_cast<std::size_t>(sample_rate) * gap_ms / 1000;
    // Each component at -9 dBFS keeps the sum clear of clipping, loud enough for any detector.
    const double amplitude = 32767.0 * std::pow(10.0, -9.0 / 20.0);
    for (char key : keys) {
        auto frequencies = dtmf_frequencies(key);
        if (!frequencies) continue;
        const double w1 = 2.0 * std::numbers::pi * frequencies->first / sample_rate;
        const double w2 = 2.0 * std::numbers::pi * frequencies->second / sample_rate;
        for (std::size_t n = 0; n < tone_samples; ++n) {
            double value = amplitude * (std::sin(w1 * static_cast<double>(n)) + std::sin(w2 * static_cast<double>(n)));
            out.samples.push_back(static_cast<std::int16_t>(std::lround(value)));
        }
        out.samples.insert(out.samples.end(), gap_samples, 0);
    }
    return out;
}

}  // namespace vox::audio
