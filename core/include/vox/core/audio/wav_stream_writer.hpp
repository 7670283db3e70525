// A PCM16 WAV file written a block at a time (libsndfile), for audio that is
// too long to hold in memory: a call's recording. The header's sizes are
// right once close() has returned; a file that is never closed (a crash)
// keeps its audio but states no length.
//
//   WavStreamWriter file("call.wav", 16000, 2);
//   file.write(stereo_block);   // interleaved, a multiple of the channel count
//   file.close();
#pragma once

#include <vox/core/audio/audio_error.hpp>

#include <cstdint>
#include <filesystem>
#include <span>

struct sf_private_tag;

namespace vox::audio {

class WavStreamWriter {
public:
    // Creates (or replaces) `path`. Throws AudioError naming the file and the
    // reason (a bad rate or channel count, a directory that cannot be written).
    WavStreamWriter(const std::filesystem::path& path, std::uint32_t sample_rate, std::uint32_t channels);
    ~WavStreamWriter();  // closes, ignoring errors
    WavStreamWriter(const WavStreamWriter&) = delete;
    WavStreamWriter& operator=(const WavStreamWriter&) = delete;

    // Appends interleaved samples (whole frames). Throws AudioError when they
    // are not all written (a full disk) or the file is closed.
    void write(std::span<const std::int16_t> samples);
    // Writes the final header. Throws AudioError when that fails. Idempotent.
    void close();

    std::uint64_t frames_written() const { return frames_; }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
    std::uint32_t channels_;
    sf_private_tag* file_ = nullptr;
    std::uint64_t frames_ = 0;
};

}  // namespace vox::audio
