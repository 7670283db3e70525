// Where the built dashboard is: http.web_root when set, else the copy
// installed beside voxd (<dir of voxd>/../share/vox/web), else the source
// tree's web/dist (the build's own checkout, for development).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace vox::host {

struct WebRootCandidates {
    std::string configured;                // http.web_root (empty: look for one)
    std::filesystem::path executable_dir;  // where voxd runs from (empty: unknown)
    std::filesystem::path source_dist;     // the source tree's web/dist (empty: none)
};

// The directory to serve, or nullopt when no candidate holds an index.html
// (then / explains how to build the dashboard). A configured root without an
// index.html is not replaced by the others: the setting says where to look.
std::optional<std::filesystem::path> find_web_root(const WebRootCandidates& candidates);

// The candidates for this voxd: its own directory and the compiled-in source tree.
WebRootCandidates web_root_candidates(std::string configured);

}  // namespace vox::host
