// Mends the header of a WAV file whose writer never closed it (voxd stopped
// mid-call by a crash or a kill): the RIFF and data chunk sizes are set from
// the file's length, so players and libsndfile read the audio it holds. Only
// PCM WAV files are touched; a trailing partial frame is left out of the size.
//
//   if (auto frames = vox::audio::repair_wav_sizes("call.wav"); frames && *frames > 0) ...
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace vox::audio {

// The number of whole frames the file holds once mended (sizes already right
// are rewritten the same); nullopt when it is not a RIFF/WAVE file with a fmt
// chunk before its data chunk, or cannot be read or written.
std::optional<std::uint64_t> repair_wav_sizes(const std::filesystem::path& path);

}  // namespace vox::audio
