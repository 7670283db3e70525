// /api/calls: the call log (list with filters, read, and logging a call made
// elsewhere) and the calls' recordings, served from `recordings_dir`
// (calls.recordings_dir). Starting and ending live calls comes with the call engine.
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"

#include <filesystem>

namespace vox::host {

void add_call_routes(ApiRoutes& routes, ApiContext& context, std::filesystem::path recordings_dir);

}  // namespace vox::host
