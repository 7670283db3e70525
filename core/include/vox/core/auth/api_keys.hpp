// API keys: generated with 238 bits of randomness, shown once, stored only as
// a SHA-256 hash. Authentication keeps recently verified hashes in memory so
// that a request costs no database read; revocation through this process
// takes effect at once, through another process within the cache lifetime.
#pragma once

#include <vox/core/storage/repositories.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace vox::auth {

struct CreatedKey {
    storage::ApiKey record;
    std::string secret;  // the key itself: give it to the user once, never store it
};

std::string generate_secret();                   // "vox_" + 40 base62 characters
std::string hash_secret(const std::string& secret);  // lower-case hex SHA-256
// "Bearer <key>" -> "<key>"; nullopt for any other shape.
std::optional<std::string> bearer_token(const std::string& authorization_header);

class ApiKeyService {
public:
    explicit ApiKeyService(storage::ApiKeyRepository& keys,
                           std::chrono::milliseconds cache_lifetime = std::chrono::seconds(10));

    CreatedKey create(const std::string& name, const std::string& role = "admin");
    // Stores a key chosen by the operator (VOX_BOOTSTRAP_API_KEY) unless it exists.
    // Returns true when it was added.
    bool ensure(const std::string& secret, const std::string& name, const std::string& role = "admin");
    std::optional<storage::ApiKey> authenticate(const std::string& secret);
    // keep_last_admin: refuse (last_admin) to revoke the last active admin key.
    storage::ApiKeyRepository::RevokeOutcome revoke(const std::string& id, bool keep_last_admin = true);
    std::vector<storage::ApiKey> list();
    std::size_t count_active();

private:
    struct CachedKey {
        storage::ApiKey key;
        std::chrono::steady_clock::time_point verified_at;
        std::chrono::steady_clock::time_point touched_at;
    };
    storage::ApiKeyRepository& keys_;
    std::chrono::milliseconds cache_lifetime_;
    std::mutex mutex_;
    std::unordered_map<std::string, CachedKey> cache_;  // by hash
};

}  // namespace vox::auth
