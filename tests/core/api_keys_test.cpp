#include <vox/core/auth/api_keys.hpp>
#include <vox/core/ids.hpp>

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace {

// An in-memory repository for the service's own logic (the SQL repositories
// have their own suite on both databases).
class MemoryKeys final : public vox::storage::ApiKeyRepository {
public:
    void create(const vox::storage::ApiKey& key) override { keys[key.hash] = key; }
    std::optional<vox::storage::ApiKey> find_by_hash(const std::string& hash) override {
        ++lookups;
        auto it = keys.find(hash);
        if (it == keys.end()) return std::nullopt;
        return it->second;
    }
    std::vector<vox::storage::ApiKey> list() override {
        std::vector<vox::storage::ApiKey> all;
        for (auto& [hash, key] : keys) all.push_back(key);
        return all;
    }
    RevokeOutcome revoke(const std::string& id, const std::string& when, bool keep_last_admin) override {
        std::size_t admins = 0;
        for (auto& [hash, key] : keys) admins += !key.revoked_at && key.role == "admin" ? 1 : 0;
        for (auto& [hash, key] : keys)
            if (key.id == id && !key.revoked_at) {
                if (keep_last_admin && key.role == "admin" && admins <= 1) return RevokeOutcome::last_admin;
                key.revoked_at = when;
                return RevokeOutcome::revoked;
            }
        return RevokeOutcome::not_found;
    }
    void touch(const std::string& id, const std::string& when) override {
        for (auto& [hash, key] : keys)
            if (key.id == id) key.last_used_at = when;
        ++touches;
    }
    std::size_t count_active() override {
        std::size_t n = 0;
        for (auto& [hash, key] : keys) n += key.revoked_at ? 0 : 1;
        return n;
    }
    std::map<std::string, vox::storage::ApiKey> keys;
    int lookups = 0;
    int touches = 0;
};

TEST(ApiKeys, SecretsAreLongRandomAndStoredOnlyAsHashes) {
    MemoryKeys repo;
    vox::auth::ApiKeyService service(repo);
    auto created = service.create("ci");
    EXPECT_EQ(created.secret.rfind("vox_", 0), 0U);
    EXPECT_EQ(created.secret.size(), 44U);
    EXPECT_EQ(created.record.hash.size(), 64U);
    EXPECT_EQ(created.record.id.rfind("key_", 0), 0U);
    for (const auto& [hash, key] : repo.keys) EXPECT_EQ(hash.find(created.secret), std::string::npos);
    EXPECT_NE(service.create("other").secret, created.secret);
}

TEST(ApiKeys, AuthenticatesCachesAndRevokes) {
    MemoryKeys repo;
    vox::auth::ApiKeyService service(repo, std::chrono::seconds(60));
    auto created = service.create("ci");
    ASSERT_TRUE(service.authenticate(created.secret));
    int lookups = repo.lookups;
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(service.authenticate(created.secret));
    EXPECT_EQ(repo.lookups, lookups) << "a cached key should not hit the database";
    EXPECT_EQ(repo.touches, 1);
    EXPECT_FALSE(service.authenticate("vox_wrong"));
    EXPECT_FALSE(service.authenticate(""));
    using Outcome = vox::storage::ApiKeyRepository::RevokeOutcome;
    EXPECT_EQ(service.revoke(created.record.id), Outcome::last_admin);
    EXPECT_TRUE(service.authenticate(created.secret));
    EXPECT_EQ(service.revoke(created.record.id, false), Outcome::revoked);
    EXPECT_FALSE(service.authenticate(created.secret));
    EXPECT_EQ(service.revoke(created.record.id, false), Outcome::not_found);
}

TEST(ApiKeys, EnsureAddsTheBootstrapKeyOnce) {
    MemoryKeys repo;
    vox::auth::ApiKeyService service(repo);
    EXPECT_TRUE(service.ensure("bootstrap-key-for-ci-0123", "bootstrap"));
    EXPECT_FALSE(service.ensure("bootstrap-key-for-ci-0123", "bootstrap"));
    EXPECT_TRUE(service.authenticate("bootstrap-key-for-ci-0123"));
    EXPECT_THROW(service.ensure("short", "x"), std::invalid_argument);
}

TEST(ApiKeys, BearerHeaderParsing) {
    EXPECT_EQ(vox::auth::bearer_token("Bearer abc"), "abc");
    EXPECT_EQ(vox::auth::bearer_token("bearer abc "), "abc");
    EXPECT_FALSE(vox::auth::bearer_token("Basic abc"));
    EXPECT_FALSE(vox::auth::bearer_token("Bearer "));
    EXPECT_FALSE(vox::auth::bearer_token("Bearer a b"));
}

TEST(Ids, PrefixedRandomAndUnique) {
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        auto id = vox::new_id("agent");
        ASSERT_EQ(id.size(), 6U + 24U);
        ASSERT_EQ(id.rfind("agent_", 0), 0U);
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000U);
}

}  // namespace
