#include "sql_repositories.hpp"

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace vox::storage {
namespace {
using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

constexpr const char* kColumns = "SELECT id, name, prefix, hash, role, created_at, last_used_at, revoked_at FROM api_keys ";
}  // namespace

Json ApiKey::to_json() const {
    return {{"id", id},
            {"name", name},
            {"prefix", prefix},
            {"role", role},
            {"created_at", created_at},
            {"last_used_at", last_used_at ? Json(*last_used_at) : Json(nullptr)},
            {"revoked_at", revoked_at ? Json(*revoked_at) : Json(nullptr)}};
}

SqlApiKeyRepository::SqlApiKeyRepository(Database& db) : db_(db) {}

void SqlApiKeyRepository::create(const ApiKey& key) {
    ApiKey k = key;
    db_.write([&](Session& s) {
        s << db_.sql("INSERT INTO api_keys (id, name, prefix, hash, role, created_at) VALUES (?, ?, ?, ?, ?, ?)"),
            use(k.id), use(k.name), use(k.prefix), use(k.hash), use(k.role), use(k.created_at), now;
    });
}

namespace {
std::vector<ApiKey> read_keys(Database& db, const std::string& where, std::vector<std::string> params) {
    std::vector<std::string> ids, names, prefixes, hashes, roles, created;
    std::vector<Poco::Nullable<std::string>> used, revoked;
    db.with_session([&](Session& s) {
        Statement statement(s);
        statement << db.sql(std::string(kColumns) + where);
        for (auto& param : params) statement, use(param);
        statement, into(ids), into(names), into(prefixes), into(hashes), into(roles), into(created), into(used),
            into(revoked);
        statement.execute();
    });
    std::vector<ApiKey> keys;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        ApiKey k{ids[i], names[i], prefixes[i], hashes[i], roles[i], created[i], std::nullopt, std::nullopt};
        if (!used[i].isNull()) k.last_used_at = used[i].value();
        if (!revoked[i].isNull()) k.revoked_at = revoked[i].value();
        keys.push_back(std::move(k));
    }
    return keys;
}
}  // namespace

std::optional<ApiKey> SqlApiKeyRepository::find_by_hash(const std::string& hash) {
    auto keys = read_keys(db_, "WHERE hash = ?", {hash});
    if (keys.empty()) return std::nullopt;
    return keys.front();
}

std::vector<ApiKey> SqlApiKeyRepository::list() { return read_keys(db_, "ORDER BY created_at, id", {}); }

ApiKeyRepository::RevokeOutcome SqlApiKeyRepository::revoke(const std::string& id_in, const std::string& revoked_in,
                                                           bool keep_last_admin) {
    std::string id = id_in, revoked = revoked_in;
    RevokeOutcome outcome = RevokeOutcome::not_found;
    // Check and revoke in one transaction, so two admins revoking each other at
    // once cannot both succeed (SQLite: BEGIN IMMEDIATE serialises writers;
    // PostgreSQL: an advisory lock serialises key revocations across servers).
    db_.transaction([&](Session& s) {
        if (db_.backend() == Backend::postgresql) s << "SELECT pg_advisory_xact_lock(727171)", now;
        std::vector<std::string> ids, roles;
        s << db_.sql("SELECT id, role FROM api_keys WHERE revoked_at IS NULL"), into(ids), into(roles), now;
        std::size_t admins = 0;
        bool found = false, is_admin = false;
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (roles[i] == "admin") ++admins;
            if (ids[i] == id) {
                found = true;
                is_admin = roles[i] == "admin";
            }
        }
        if (!found) return;
        if (keep_last_admin && is_admin && admins <= 1) {
            outcome = RevokeOutcome::last_admin;
            return;
        }
        s << db_.sql("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL"), use(revoked), use(id), now;
        outcome = RevokeOutcome::revoked;
    });
    return outcome;
}

void SqlApiKeyRepository::touch(const std::string& id_in, const std::string& used_in) {
    std::string id = id_in, used = used_in;
    db_.write([&](Session& s) {
        s << db_.sql("UPDATE api_keys SET last_used_at = ? WHERE id = ?"), use(used), use(id), now;
    });
}

std::size_t SqlApiKeyRepository::count_active() {
    int count = 0;
    db_.with_session([&](Session& s) {
        s << db_.sql("SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL"), into(count), now;
    });
    return static_cast<std::size_t>(count);
}

}  // namespace vox::storage
