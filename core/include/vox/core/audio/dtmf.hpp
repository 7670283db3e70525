// DTMF key tones (ITU-T Q.23): each key is the sum of a row and a column
// frequency. A flow's press_digit node sends them in-band, as agent audio, so
// they reach the other side over any transport (a phone menu hears keys).
#pragma once

#include <vox/core/audio/pcm.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace vox::audio {

// The (row, column) frequencies of a key of 0-9, *, #, A-D; nullopt for another character.
std::optional<std::pair<int, int>> dtmf_frequencies(char key);

// `keys` as tones of `tone_ms` each, followed by `gap_ms` of silence, at
// `sample_rate`, mono. Characters that are not keys are skipped.
AudioBuffer dtmf_tones(std::string_view keys, std::uint32_t sample_rate, std::uint32_t tone_ms = 100,
                       std::uint32_t gap_ms = 100);

}  // namespace vox::audio
