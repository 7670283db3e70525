// GET /openapi.json: the OpenAPI 3.1 document of every route registered
// through ApiRoutes (open, so tools can fetch it without a key).
#pragma once

#include "api/api_routes.hpp"

namespace vox::host {

// Call last: the document is built once, from the routes added before.
void add_openapi_route(ApiRoutes& routes);

}  // namespace vox::host
