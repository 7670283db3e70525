#include <vox/core/auth/api_keys.hpp>
#include <vox/core/ids.hpp>
#include <vox/core/time.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <sys/random.h>

#include <stdexcept>

namespace vox::auth {
namespace {

constexpr auto kTouchInterval = std::chrono::minutes(1);  // last_used_at is informative; spare the writes

}  // namespace

std::string generate_secret() { return "vox_" + random_base62(40); }

std::string hash_secret(const std::string& secret) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(secret);
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::optional<std::string> bearer_token(const std::string& header) {
    constexpr std::string_view kScheme = "Bearer ";
    if (header.size() <= kScheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < kScheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(header[i])) != std::tolower(static_cast<unsigned char>(kScheme[i])))
            return std::nullopt;
    std::string token = header.substr(kScheme.size());
    while (!token.empty() && token.back() == ' ') token.pop_back();
    if (token.empty() || token.find(' ') != std::string::npos) return std::nullopt;
    return token;
}

ApiKeyService::ApiKeyService(storage::ApiKeyRepository& keys, std::chrono::milliseconds cache_lifetime)
    : keys_(keys), cache_lifetime_(cache_lifetime) {}

CreatedKey ApiKeyService::create(const std::string& name, const std::string& role) {
    CreatedKey created;
    created.secret = generate_secret();
    created.record.id = new_id("key");
    created.record.name = name;
    created.record.prefix = created.secret.substr(0, 12);
    created.record.hash = hash_secret(created.secret);
    created.record.role = role;
    created.record.created_at = time::now_iso8601();
    keys_.create(created.record);
    return created;
}

bool ApiKeyService::ensure(const std::string& secret, const std::string& name, const std::string& role) {
    if (secret.size() < 16) throw std::invalid_argument("an API key must be at least 16 characters long");
    std::string hash = hash_secret(secret);
    if (auto existing = keys_.find_by_hash(hash)) return false;
    storage::ApiKey record{new_id("key"), name, secret.substr(0, std::min<std::size_t>(12, secret.size())), hash, role,
                           time::now_iso8601(), std::nullopt, std::nullopt};
    keys_.create(record);
    return true;
}

std::optional<storage::ApiKey> ApiKeyService::authenticate(const std::string& secret) {
    if (secret.empty() || secret.size() > 256) return std::nullopt;
    std::string hash = hash_secret(secret);
    auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        auto cached = cache_.find(hash);
        if (cached != cache_.end() && now - cached->second.verified_at < cache_lifetime_) {
            if (now - cached->second.touched_at < kTouchInterval) return cached->second.key;
        }
    }
    auto key = keys_.find_by_hash(hash);
    if (!key || key->revoked_at) {
        std::lock_guard lock(mutex_);
        cache_.erase(hash);
        return std::nullopt;
    }
    std::string used_at = time::now_iso8601();
    bool touch = true;
    {
        std::lock_guard lock(mutex_);
        auto cached = cache_.find(hash);
        touch = cached == cache_.end() || now - cached->second.touched_at >= kTouchInterval;
        cache_[hash] = CachedKey{*key, now, touch ? now : cached->second.touched_at};
    }
    if (touch) keys_.touch(key->id, used_at);
    return key;
}

storage::ApiKeyRepository::RevokeOutcome ApiKeyService::revoke(const std::string& id, bool keep_last_admin) {
    auto revoked = keys_.revoke(id, time::now_iso8601(), keep_last_admin);
    std::lock_guard lock(mutex_);
    for (auto it = cache_.begin(); it != cache_.end();) {
        if (it->second.key.id == id)
            it = cache_.erase(it);
        else
            ++it;
    }
    return revoked;
}

std::vector<storage::ApiKey> ApiKeyService::list() { return keys_.list(); }

std::size_t ApiKeyService::count_active() { return keys_.count_active(); }

}  // namespace vox::auth
