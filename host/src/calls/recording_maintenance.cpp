#include "calls/recording_maintenance.hpp"

#include "calls/call_recording.hpp"

#include <vox/core/audio/wav_repair.hpp>
#include <vox/core/log.hpp>

#include <system_error>

namespace vox::host {

std::optional<std::string> recover_recording(const std::filesystem::path& recordings_dir, const std::string& call_id) {
    if (recordings_dir.empty()) return std::nullopt;
    auto path = recording_path(recordings_dir, call_id);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
    auto frames = audio::repair_wav_sizes(path);
    if (!frames) {
        vox::log::warn("calls", "the recording of an interrupted call cannot be mended; it is left as it is",
                       {{"call_id", call_id}, {"path", path.string()}});
        return std::nullopt;
    }
    if (*frames == 0) return std::nullopt;
    vox::log::info("calls", "mended the recording of an interrupted call", {{"call_id", call_id}, {"frames", *frames}});
    return recording_url(call_id);
}

std::size_t prune_recordings(const std::filesystem::path& recordings_dir, std::chrono::hours max_age,
                             std::filesystem::file_time_type now) {
    std::error_code ec;
    if (recordings_dir.empty() || !std::filesystem::is_directory(recordings_dir, ec)) return 0;
    const auto cutoff = now - max_age;
    std::size_t removed = 0;
    for (std::filesystem::directory_iterator it(recordings_dir, ec), end; !ec && it != end; it.increment(ec)) {
        const auto& path = it->path();
        // Only what voxd writes: call_<id>.wav.
        if (path.extension() != ".wav" || path.filename().string().rfind("call_", 0) != 0) continue;
        std::error_code file_error;
        if (!it->is_regular_file(file_error)) continue;
        auto written = it->last_write_time(file_error);
        if (file_error || written >= cutoff) continue;
        if (std::filesystem::remove(path, file_error)) ++removed;
        if (file_error)
            vox::log::warn("calls", "cannot delete an old recording",
                           {{"path", path.string()}, {"error", file_error.message()}});
    }
    if (removed > 0)
        vox::log::info("calls", "deleted recordings older than calls.recordings_max_age_days",
                       {{"removed", removed}, {"max_age_hours", max_age.count()}});
    return removed;
}

}  // namespace vox::host
