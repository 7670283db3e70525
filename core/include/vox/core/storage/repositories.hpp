// Repository interfaces: what the API and the call engine need from storage.
// Agents and calls are stored as JSON documents (their API representation)
// with the fields used for lookups and filters copied into indexed columns.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace vox::storage {

using Json = nlohmann::json;

// Newest first; `cursor` is the opaque next_cursor of the previous page.
struct PageRequest {
    std::size_t limit = 50;
    std::optional<std::string> cursor;
};

struct Page {
    std::vector<Json> items;
    std::optional<std::string> next_cursor;  // absent on the last page
};

class AgentRepository {
public:
    virtual ~AgentRepository() = default;
    // `agent` carries id, name, created_at and updated_at.
    virtual void create(const Json& agent) = 0;
    virtual std::optional<Json> get(const std::string& id) = 0;
    virtual Page list(const PageRequest& page) = 0;
    // Replaces the stored document; false when no such agent.
    virtual bool replace(const Json& agent) = 0;
    // Read, change and write one agent atomically (no update lost to a
    // concurrent one). `change` may throw to abandon the write. nullopt when no such agent.
    virtual std::optional<Json> modify(const std::string& id, const std::function<Json(const Json&)>& change) = 0;
    // Deletes the agent and its flow. With numbers still assigned: throws
    // ConflictError, or unassigns them first when `unassign_numbers`.
    virtual bool remove(const std::string& id, bool unassign_numbers) = 0;
    virtual std::optional<Json> get_flow(const std::string& agent_id) = 0;
    // Stores the flow; false when no such agent.
    virtual bool put_flow(const std::string& agent_id, const Json& flow, const std::string& updated_at) = 0;
};

struct CallFilter {
    std::optional<std::string> agent_id;
    std::optional<std::string> status;
    std::optional<std::string> direction;
    std::optional<std::string> started_after;   // ISO-8601, inclusive
    std::optional<std::string> started_before;  // ISO-8601, exclusive
};

class CallRepository {
public:
    virtual ~CallRepository() = default;
    // `call` carries id, agent_id, status, direction, started_at.
    virtual void create(const Json& call) = 0;
    virtual std::optional<Json> get(const std::string& id) = 0;
    virtual Page list(const CallFilter& filter, const PageRequest& page) = 0;
    virtual bool replace(const Json& call) = 0;
    // Calls still marked in progress (used to fail them after a crash).
    virtual std::vector<Json> in_progress() = 0;
};

// Phone numbers are small and relational: plain columns, no document.
struct PhoneNumber {
    std::string id;
    std::string number;  // E.164
    std::optional<std::string> assigned_agent_id;
    std::string status;  // active / inactive / unassigned
    std::string nickname;
    std::int64_t calls_received = 0;
    std::string created_at;
    std::string updated_at;

    Json to_json() const;
};

class PhoneNumberRepository {
public:
    virtual ~PhoneNumberRepository() = default;
    // Throws ConflictError("duplicate_phone_number") or ("agent_not_found").
    virtual void create(const PhoneNumber& number) = 0;
    virtual std::optional<PhoneNumber> get(const std::string& id) = 0;
    virtual std::optional<PhoneNumber> find_by_number(const std::string& number) = 0;
    virtual std::vector<PhoneNumber> list(const PageRequest& page, std::optional<std::string>& next_cursor) = 0;
    virtual bool update(const PhoneNumber& number) = 0;  // throws ConflictError("agent_not_found")
    // Read, change and write one number atomically; nullopt when no such number.
    // Throws ConflictError("agent_not_found") when the change names a missing agent.
    virtual std::optional<PhoneNumber> modify(const std::string& id, const std::function<void(PhoneNumber&)>& change) = 0;
    virtual bool remove(const std::string& id) = 0;
    virtual void count_call(const std::string& number) = 0;
};

struct ApiKey {
    std::string id;
    std::string name;
    std::string prefix;  // the first characters of the key, to recognise it in lists
    std::string hash;    // SHA-256 of the whole key, hex
    std::string role;    // admin
    std::string created_at;
    std::optional<std::string> last_used_at;
    std::optional<std::string> revoked_at;

    Json to_json() const;  // never includes the hash
};

class ApiKeyRepository {
public:
    virtual ~ApiKeyRepository() = default;
    virtual void create(const ApiKey& key) = 0;
    virtual std::optional<ApiKey> find_by_hash(const std::string& hash) = 0;
    virtual std::vector<ApiKey> list() = 0;
    enum class RevokeOutcome { revoked, not_found, last_admin };
    // Sets revoked_at, atomically refusing (last_admin) to revoke the last active
    // admin key when `keep_last_admin`; not_found when no such active key.
    virtual RevokeOutcome revoke(const std::string& id, const std::string& revoked_at, bool keep_last_admin) = 0;
    virtual void touch(const std::string& id, const std::string& used_at) = 0;
    virtual std::size_t count_active() = 0;
};

}  // namespace vox::storage
