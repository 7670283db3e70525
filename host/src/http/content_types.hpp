// The Content-Type of a static file, from its extension.
#pragma once

#include <filesystem>
#include <string>

namespace vox::host {

// "text/javascript; charset=utf-8" for app.js; application/octet-stream for an unknown extension.
std::string content_type_for(const std::filesystem::path& file);

}  // namespace vox::host
