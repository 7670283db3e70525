// PCM16 audio as the host handles it: an owning buffer and a borrowed view.
// Samples are interleaved, like audio crossing the plugin ABI (vox_audio).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace vox::audio {

// A borrowed view of interleaved PCM16 samples; valid as long as its source.
struct AudioView {
    std::span<const std::int16_t> samples;
    std::uint32_t sample_rate = 0;
    std::uint32_t channels = 1;

    std::size_t frames() const { return channels == 0 ? 0 : samples.size() / channels; }
    double duration_seconds() const {
        return sample_rate == 0 ? 0.0 : static_cast<double>(frames()) / static_cast<double>(sample_rate);
    }
};

// Interleaved PCM16 samples that own their storage.
struct AudioBuffer {
    std::vector<std::int16_t> samples;
    std::uint32_t sample_rate = 0;
    std::uint32_t channels = 1;

    std::size_t frames() const { return channels == 0 ? 0 : samples.size() / channels; }
    double duration_seconds() const { return view().duration_seconds(); }
    AudioView view() const { return AudioView{samples, sample_rate, channels}; }
};

}  // namespace vox::audio
