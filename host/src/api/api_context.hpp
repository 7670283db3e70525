// What the REST handlers work with: storage, API keys, the loaded providers,
// and the settings that shape requests.
#pragma once

#include "config/voxd_settings.hpp"
#include "providers/provider_catalog.hpp"

#include <vox/core/auth/api_keys.hpp>
#include <vox/core/storage/store.hpp>

namespace vox::host {

struct ApiContext {
    storage::Store& store;
    auth::ApiKeyService& keys;
    // Each request reads the current generation once (plugins and agent defaults).
    const ProviderCatalog& providers;
    std::size_t max_body_bytes;
};

}  // namespace vox::host
