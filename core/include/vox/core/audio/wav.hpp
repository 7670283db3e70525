// WAV files through libsndfile. Writing always produces 16-bit PCM WAV (what
// every player and every speech tool accepts); reading accepts anything
// libsndfile can decode (WAV of any sample format, FLAC, ...) and converts it
// to PCM16, keeping the sample rate and channel count.
#pragma once

#include <vox/core/audio/audio_error.hpp>
#include <vox/core/audio/pcm.hpp>

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace vox::audio {

// Reads a whole file. Throws AudioError naming the file and the reason
// (missing, not audio, truncated, too many channels).
AudioBuffer read_wav(const std::filesystem::path& path);
// The same, from bytes in memory (an upload, a test fixture).
AudioBuffer decode_wav(std::span<const std::uint8_t> bytes);

// Writes a PCM16 WAV file, replacing any existing one. Throws AudioError on a
// bad rate/channel count or an I/O failure.
void write_wav(const std::filesystem::path& path, const AudioView& audio);
// The same, into bytes in memory (an HTTP response).
std::vector<std::uint8_t> encode_wav(const AudioView& audio);

}  // namespace vox::audio
