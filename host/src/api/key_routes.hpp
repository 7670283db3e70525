// /api/keys: list, create (the secret is shown once) and revoke API keys.
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"

namespace vox::host {

void add_key_routes(ApiRoutes& routes, ApiContext& context);

}  // namespace vox::host
