// The storage backend chosen by URL, and its repositories.
#pragma once

#include <vox/core/storage/database.hpp>
#include <vox/core/storage/repositories.hpp>

#include <memory>

namespace vox::storage {

struct Store {
    std::unique_ptr<Database> database;
    std::unique_ptr<AgentRepository> agents;
    std::unique_ptr<CallRepository> calls;
    std::unique_ptr<PhoneNumberRepository> phone_numbers;
    std::unique_ptr<ApiKeyRepository> api_keys;
};

// Opens the database, applies pending migrations, and builds the repositories.
// Throws StorageError (bad URL) or UnavailableError (cannot connect).
Store open_store(const DatabaseOptions& options);

}  // namespace vox::storage
