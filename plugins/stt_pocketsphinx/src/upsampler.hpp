// Doubles the sample rate of 8 kHz telephone audio for the 16 kHz model: zero
// stuffing followed by a windowed-sinc low-pass (cut-off 4 kHz, Blackman
// window, 48 taps), run as two polyphase branches. Streaming: keeps the last
// input samples between calls. Delay: 1.5 ms, ignored in timestamps.
//
// Then a crude bandwidth extension: a copy of the 0-4 kHz band, mirrored into
// 4-8 kHz at -10 dB (kMirror; multiplying by (-1)^n mirrors the spectrum).
// The en-us model's filterbank reaches 6800 Hz; left empty, its upper filters
// see nothing that resembles its training data and recognition collapses
// (flite speech: word overlap 0.1-0.3 without the mirror, 0.5-0.8 with it).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vox::pocketsphinx {

class Upsampler2x {
public:
    static constexpr std::size_t kTaps = 48;
    static constexpr std::size_t kHalf = kTaps / 2;
    static constexpr double kMirror = 0.3;

    Upsampler2x() {
        constexpr double kPi = 3.14159265358979323846;
        const double centre = (static_cast<double>(kTaps) - 1.0) / 2.0;
        for (std::size_t m = 0; m < kTaps; ++m) {
            double t = static_cast<double>(m) - centre;
            double sinc = t == 0.0 ? 1.0 : std::sin(kPi * t / 2.0) / (kPi * t / 2.0);  // cut-off = half the band
            double phase = 2.0 * kPi * static_cast<double>(m) / (static_cast<double>(kTaps) - 1.0);
            double window = 0.42 - 0.5 * std::cos(phase) + 0.08 * std::cos(2.0 * phase);
            taps_[m] = sinc * window;  // gain 2 overall: each branch sums to about 1
        }
        history_.fill(0.0);
    }

    void reset() { history_.fill(0.0); }

    std::vector<std::int16_t> process(std::span<const std::int16_t> input) {
        std::vector<std::int16_t> out;
        out.reserve(input.size() * 2);
        for (std::int16_t sample : input) {
            // history_[0] is the newest input sample.
            for (std::size_t i = kHalf - 1; i > 0; --i) history_[i] = history_[i - 1];
            history_[0] = sample;
            double even = 0.0;
            double odd = 0.0;
            for (std::size_t k = 0; k < kHalf; ++k) {
                even += taps_[2 * k] * history_[k];
                odd += taps_[2 * k + 1] * history_[k];
            }
            out.push_back(clamp(even * (1.0 + kMirror)));
            out.push_back(clamp(odd * (1.0 - kMirror)));
        }
        return out;
    }

private:
    static std::int16_t clamp(double v) {
        if (v > 32767.0) return 32767;
        if (v < -32768.0) return -32768;
        return static_cast<std::int16_t>(std::lround(v));
    }

    std::array<double, kTaps> taps_{};
    std::array<double, kHalf> history_{};
};

}  // namespace vox::pocketsphinx
