#include <vox/core/storage/errors.hpp>
#include <vox/core/storage/migrations.hpp>
#include <vox/core/time.hpp>

#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>

namespace vox::storage {
namespace {

using namespace Poco::Data::Keywords;

// Both backends store text timestamps (ISO-8601 UTC, sortable) and JSON text,
// so the same queries serve both; only DDL details differ.
const std::vector<std::string> kInitialSchema = {
    "CREATE TABLE agents ("
    " id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL,"
    " doc TEXT NOT NULL)",
    "CREATE INDEX agents_by_creation ON agents (created_at, id)",
    "CREATE TABLE agent_flows ("
    " agent_id TEXT PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,"
    " updated_at TEXT NOT NULL,"
    " doc TEXT NOT NULL)",
    "CREATE TABLE phone_numbers ("
    " id TEXT PRIMARY KEY,"
    " number TEXT NOT NULL UNIQUE,"
    " agent_id TEXT REFERENCES agents (id),"
    " status TEXT NOT NULL,"
    " nickname TEXT NOT NULL,"
    " calls_received BIGINT NOT NULL DEFAULT 0,"
    " created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL)",
    "CREATE INDEX phone_numbers_by_agent ON phone_numbers (agent_id)",
    "CREATE INDEX phone_numbers_by_creation ON phone_numbers (created_at, id)",
    // Calls keep agent_id without a foreign key: a call log outlives its agent.
    "CREATE TABLE calls ("
    " id TEXT PRIMARY KEY,"
    " agent_id TEXT,"
    " status TEXT NOT NULL,"
    " direction TEXT NOT NULL,"
    " started_at TEXT NOT NULL,"
    " doc TEXT NOT NULL)",
    "CREATE INDEX calls_by_start ON calls (started_at, id)",
    "CREATE INDEX calls_by_agent ON calls (agent_id, started_at)",
    "CREATE INDEX calls_by_status ON calls (status, started_at)",
    "CREATE TABLE api_keys ("
    " id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " prefix TEXT NOT NULL,"
    " hash TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " last_used_at TEXT,"
    " revoked_at TEXT)",
};

void ensure_migration_table(Database& db, Poco::Data::Session& session) {
    session << db.sql("CREATE TABLE IF NOT EXISTS schema_migrations ("
                      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"),
        now;
}

int read_version(Database& db, Poco::Data::Session& session) {
    Poco::Nullable<int> version;
    session << db.sql("SELECT MAX(version) FROM schema_migrations"), into(version), now;
    return version.isNull() ? 0 : version.value();
}

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        {1, "initial schema: agents, flows, phone numbers, calls, api keys", kInitialSchema, kInitialSchema},
    };
    return all;
}

int schema_version(Database& database) {
    int version = 0;
    database.with_session([&](Poco::Data::Session& session) {
        ensure_migration_table(database, session);
        version = read_version(database, session);
    });
    return version;
}

std::vector<int> migrate(Database& database) {
    std::vector<int> applied;
    database.with_session([&](Poco::Data::Session& session) { ensure_migration_table(database, session); });
    database.transaction([&](Poco::Data::Session& session) {
        // Two servers starting together on one PostgreSQL database take turns here.
        if (database.backend() == Backend::postgresql) session << "SELECT pg_advisory_xact_lock(727170)", now;
        int current = read_version(database, session);
        for (const auto& migration : migrations()) {
            if (migration.version <= current) continue;
            const auto& statements = database.backend() == Backend::sqlite ? migration.sqlite : migration.postgresql;
            for (const auto& statement : statements) session << statement, now;
            int version = migration.version;
            std::string name = migration.name;
            std::string applied_at = vox::time::now_iso8601();
            session << database.sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
                use(version), use(name), use(applied_at), now;
            applied.push_back(version);
        }
    });
    return applied;
}

}  // namespace vox::storage
