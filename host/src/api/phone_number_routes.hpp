// /api/phone-numbers: list, add, assign or unassign an agent, delete.
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"

namespace vox::host {

void add_phone_number_routes(ApiRoutes& routes, ApiContext& context);

}  // namespace vox::host
