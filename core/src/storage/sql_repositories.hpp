// The SQL implementations of the repositories; one class per file, the same
// statements for SQLite and PostgreSQL (Database::sql adapts placeholders).
#pragma once

#include <vox/core/storage/database.hpp>
#include <vox/core/storage/repositories.hpp>

namespace vox::storage {

// " FOR UPDATE" on PostgreSQL (row lock for read-modify-write); nothing on
// SQLite, where the write transaction already excludes other writers.
std::string lock_clause(const Database& db);

// Builds a page from rows fetched with limit + 1.
Page make_page(const std::vector<std::string>& docs, const std::vector<std::string>& ids,
               const std::vector<std::string>& sort_keys, std::size_t limit);

class SqlAgentRepository final : public AgentRepository {
public:
    explicit SqlAgentRepository(Database& db);
    void create(const Json& agent) override;
    std::optional<Json> get(const std::string& id) override;
    Page list(const PageRequest& page) override;
    bool replace(const Json& agent) override;
    std::optional<Json> modify(const std::string& id, const std::function<Json(const Json&)>& change) override;
    bool remove(const std::string& id, bool unassign_numbers) override;
    std::optional<Json> get_flow(const std::string& agent_id) override;
    bool put_flow(const std::string& agent_id, const Json& flow, const std::string& updated_at) override;

private:
    Database& db_;
};

class SqlCallRepository final : public CallRepository {
public:
    explicit SqlCallRepository(Database& db);
    void create(const Json& call) override;
    std::optional<Json> get(const std::string& id) override;
    Page list(const CallFilter& filter, const PageRequest& page) override;
    bool replace(const Json& call) override;
    std::vector<Json> in_progress() override;

private:
    Database& db_;
};

class SqlPhoneNumberRepository final : public PhoneNumberRepository {
public:
    explicit SqlPhoneNumberRepository(Database& db);
    void create(const PhoneNumber& number) override;
    std::optional<PhoneNumber> get(const std::string& id) override;
    std::optional<PhoneNumber> find_by_number(const std::string& number) override;
    std::vector<PhoneNumber> list(const PageRequest& page, std::optional<std::string>& next_cursor) override;
    bool update(const PhoneNumber& number) override;
    std::optional<PhoneNumber> modify(const std::string& id, const std::function<void(PhoneNumber&)>& change) override;
    bool remove(const std::string& id) override;
    void count_call(const std::string& number) override;

private:
    std::vector<PhoneNumber> select(const std::string& where_sql, const std::vector<std::string>& params, int limit);
    std::vector<PhoneNumber> select_with(Poco::Data::Session& session, const std::string& where_sql,
                                         const std::vector<std::string>& params, int limit);
    Database& db_;
};

class SqlApiKeyRepository final : public ApiKeyRepository {
public:
    explicit SqlApiKeyRepository(Database& db);
    void create(const ApiKey& key) override;
    std::optional<ApiKey> find_by_hash(const std::string& hash) override;
    std::vector<ApiKey> list() override;
    RevokeOutcome revoke(const std::string& id, const std::string& revoked_at, bool keep_last_admin) override;
    void touch(const std::string& id, const std::string& used_at) override;
    std::size_t count_active() override;

private:
    Database& db_;
};

}  // namespace vox::storage
