// /api/calls: the call log (list with filters, read, and logging a call made
// elsewhere). Starting and ending live calls comes with the call engine.
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"

namespace vox::host {

void add_call_routes(ApiRoutes& routes, ApiContext& context);

}  // namespace vox::host
