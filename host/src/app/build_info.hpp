// What this voxd binary is: its version, the git commit it was configured
// from, and the compiler. Shown by --version, /healthz and vox_build_info.
#pragma once

#include <string_view>

namespace vox::host {

struct BuildInfo {
    std::string_view version;
    std::string_view git_sha;  // "unknown" outside a git checkout; taken when CMake configured the build
    std::string_view compiler;
};

const BuildInfo& build_info();

}  // namespace vox::host
