// API-key authentication for voxd: the authorizer every /api route passes
// through, and the first key (bootstrap.api_key, or one made and printed once).
#pragma once

#include "http/http_service.hpp"

#include <vox/core/auth/api_keys.hpp>

#include <ostream>
#include <string>

namespace vox::host {

// 401 without a valid "Authorization: Bearer <key>"; 403 when a read_only key
// asks for anything but GET/HEAD.
HttpService::Authorizer api_key_authorizer(auth::ApiKeyService& keys);

// Adds `configured_key` if given and new; otherwise, when no active key
// exists, creates one and writes it to `out` (the only time it is shown).
void bootstrap_api_keys(auth::ApiKeyService& keys, const std::string& configured_key, std::ostream& out);

}  // namespace vox::host
