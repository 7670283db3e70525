// Versioned schema migrations, one list per backend, applied in order inside
// transactions and recorded in schema_migrations.
#pragma once

#include <vox/core/storage/database.hpp>

#include <string>
#include <vector>

namespace vox::storage {

struct Migration {
    int version;
    std::string name;
    std::vector<std::string> sqlite;      // statements
    std::vector<std::string> postgresql;  // statements
};

const std::vector<Migration>& migrations();

// Applies the migrations not yet recorded; returns the versions applied.
std::vector<int> migrate(Database& database);
// The highest applied version (0 for an empty database).
int schema_version(Database& database);

}  // namespace vox::storage
