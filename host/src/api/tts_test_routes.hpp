// POST /api/test/tts: hear an agent's voice (or an unsaved form's) as a WAV.
#pragma once

#include "api/api_context.hpp"
#include "api/api_routes.hpp"

namespace vox::host {

void add_tts_test_routes(ApiRoutes& routes, ApiContext& context);

}  // namespace vox::host
