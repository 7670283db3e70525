#include "sql_repositories.hpp"

#include <vox/core/log.hpp>
#include <vox/core/storage/migrations.hpp>
#include <vox/core/storage/store.hpp>

namespace vox::storage {

Store open_store(const DatabaseOptions& options) {
    Store store;
    store.database = std::make_unique<Database>(options);
    auto applied = migrate(*store.database);
    if (!applied.empty())
        log::info("storage", "schema migrated", {{"url", store.database->display_url()}, {"applied", applied}});
    store.agents = std::make_unique<SqlAgentRepository>(*store.database);
    store.calls = std::make_unique<SqlCallRepository>(*store.database);
    store.phone_numbers = std::make_unique<SqlPhoneNumberRepository>(*store.database);
    store.api_keys = std::make_unique<SqlApiKeyRepository>(*store.database);
    return store;
}

}  // namespace vox::storage
