// GET /api/analytics: call statistics over a window, overall, per agent and per UTC day.
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"

namespace vox::host {

void add_analytics_routes(ApiRoutes& routes, ApiContext& context);

}  // namespace vox::host
