// One call into flite: synthesises one piece of text with one voice,
// delivering audio as flite produces it (its streaming callback) and able to
// stop midway when the handler says so.
#pragma once

#include "voices.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace vox::flite {

struct WordTiming {
    std::string word;
    std::uint32_t start_ms = 0;  // from the start of this synthesis' audio
    std::uint32_t end_ms = 0;
};

struct SynthesisResult {
    bool stopped = false;    // the handler asked to stop
    std::size_t frames = 0;  // audio delivered
    std::uint32_t sample_rate = 0;
    std::vector<WordTiming> words;  // complete syntheses only
};

// Gets each chunk of audio (mono PCM16); returns false to stop synthesis.
using AudioHandler = std::function<bool(std::span<const std::int16_t> samples, std::uint32_t sample_rate)>;

// Synthesises `text` (already cleaned) at `speed` (1 = normal), in chunks of
// about `chunk_ms`. Holds the voice's mutex throughout. Runs on a host pool
// thread: it blocks for as long as synthesis takes. Throws vox::sdk::Error if
// flite fails; rethrows what the handler threw.
SynthesisResult synthesize(Voice& voice, const std::string& text, double speed, std::uint32_t chunk_ms,
                           const AudioHandler& on_audio);

}  // namespace vox::flite
