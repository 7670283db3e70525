// Keeping the recordings directory in order (docs/api.md, "Recordings"):
// after a crash, the recording of each call that was in progress is mended
// (its WAV header never got its sizes) and named in the call's record; and
// with [calls] recordings_max_age_days set, recordings older than that are
// deleted (at start and every hour).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace vox::host {

// Mends the recording a crash left for `call_id` and returns its
// recording_url; nullopt when there is none or it holds no audio.
std::optional<std::string> recover_recording(const std::filesystem::path& recordings_dir, const std::string& call_id);

// Deletes the recordings (<call_id>.wav) in `recordings_dir` last written
// before `now - max_age`; other files are left alone. Returns how many.
std::size_t prune_recordings(const std::filesystem::path& recordings_dir, std::chrono::hours max_age,
                             std::filesystem::file_time_type now = std::filesystem::file_time_type::clock::now());

}  // namespace vox::host
