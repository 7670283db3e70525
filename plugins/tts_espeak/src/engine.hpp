// espeak-ng, the process-wide engine: initialised once, then one synthesis at
// a time.
//
// Thread safety: espeak-ng keeps everything (the current voice, rate, pitch,
// the synth callback, the translator's buffers) in process-global state and
// is not thread safe, so every call into it goes through one mutex, held for
// a whole synthesis (one sentence: espeak speaks much faster than real time,
// typically a few milliseconds per sentence). Sessions therefore synthesise
// one after another, never in parallel; audio is still streamed chunk by
// chunk from espeak's synth callback while that mutex is held, so a sink
// must hand audio on quickly (the ABI asks that of every callback anyway).
// Cancelling works by making the synth callback return 1, which makes
// espeak abandon the sentence at the next chunk.
//
// espeak-ng is never terminated: plugins are never unloaded, and another
// registry in the same process (tests, voxctl) may still be using it.
#pragma once

#include "voices.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace vox::espeak {

// espeak-ng's output rate (its voices are all 22050 Hz); the host resamples.
constexpr std::uint32_t kNativeSampleRate = 22050;
// Audio is handed over in chunks of about this length (espeak's buffer).
constexpr int kChunkMs = 40;

struct WordTiming {
    std::string word;
    std::uint32_t start_ms = 0;  // from the start of this synthesis' audio
    std::uint32_t end_ms = 0;
};

struct SynthesisResult {
    bool stopped = false;    // the handler asked to stop
    std::size_t frames = 0;  // audio delivered
    std::uint32_t sample_rate = kNativeSampleRate;
    std::vector<WordTiming> words;  // complete syntheses only
};

// Gets each chunk of audio (mono PCM16); returns false to stop synthesis.
using AudioHandler = std::function<bool(std::span<const std::int16_t> samples, std::uint32_t sample_rate)>;

struct Prosody {
    int words_per_minute = 175;
    int pitch = 50;
};

// Initialises espeak-ng (synchronous output, Debian's default data path) on
// first use and checks which catalogue voices load. Thread-safe, idempotent.
// Throws vox::sdk::Error(VOX_ERR_UNAVAILABLE) when espeak-ng cannot start
// (its data is missing) or no voice loads.
void initialize_engine();

// True when the voice loaded at initialisation (its language data exists).
bool voice_available(const VoiceInfo& voice);

// Synthesises `text` (UTF-8, already cleaned) with `voice`, delivering audio
// in chunks of about kChunkMs as espeak produces it. Holds the engine
// mutex throughout; runs on a host pool thread and blocks for as long as
// synthesis takes. Throws vox::sdk::Error if espeak fails; rethrows what the
// handler threw.
SynthesisResult synthesize(const VoiceInfo& voice, const Prosody& prosody, const std::string& text,
                           const AudioHandler& on_audio);

}  // namespace vox::espeak
