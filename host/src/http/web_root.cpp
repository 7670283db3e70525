#include "http/web_root.hpp"

#include <system_error>

#ifndef VOX_SOURCE_WEB_DIST
#define VOX_SOURCE_WEB_DIST ""
#endif

namespace vox::host {
namespace {

bool has_index(const std::filesystem::path& dir) {
    std::error_code ec;
    return !dir.empty() && std::filesystem::is_regular_file(dir / "index.html", ec);
}

std::optional<std::filesystem::path> canonical_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    auto resolved = std::filesystem::canonical(dir, ec);
    if (ec) return std::nullopt;
    return resolved;
}

}  // namespace

std::optional<std::filesystem::path> find_web_root(const WebRootCandidates& candidates) {
    std::error_code ec;
    if (!candidates.configured.empty()) {
        auto configured = std::filesystem::absolute(candidates.configured, ec);
        if (ec || !has_index(configured)) return std::nullopt;
        return canonical_dir(configured);
    }
    if (!candidates.executable_dir.empty()) {
        auto installed = candidates.executable_dir / ".." / "share" / "vox" / "web";
        if (has_index(installed)) return canonical_dir(installed);
    }
    if (has_index(candidates.source_dist)) return canonical_dir(candidates.source_dist);
    return std::nullopt;
}

WebRootCandidates web_root_candidates(std::string configured) {
    WebRootCandidates candidates;
    candidates.configured = std::move(configured);
    std::error_code ec;
    auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) candidates.executable_dir = executable.parent_path();
    candidates.source_dist = VOX_SOURCE_WEB_DIST;
    return candidates;
}

}  // namespace vox::host
