#include "page_cursor.hpp"
#include "sql_repositories.hpp"

#include <vox/core/storage/errors.hpp>
#include <vox/core/time.hpp>

#include <Poco/Data/Statement.h>

namespace vox::storage {
namespace {
using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;
}  // namespace

SqlAgentRepository::SqlAgentRepository(Database& db) : db_(db) {}

void SqlAgentRepository::create(const Json& agent) {
    std::string id = agent.at("id"), name = agent.at("name"), created = agent.at("created_at"),
                updated = agent.at("updated_at"), doc = agent.dump();
    db_.write([&](Session& s) {
        s << db_.sql("INSERT INTO agents (id, name, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?)"), use(id),
            use(name), use(created), use(updated), use(doc), now;
    });
}

std::optional<Json> SqlAgentRepository::get(const std::string& id_in) {
    std::string id = id_in;
    std::vector<std::string> docs;
    db_.with_session([&](Session& s) { s << db_.sql("SELECT doc FROM agents WHERE id = ?"), use(id), into(docs), now; });
    if (docs.empty()) return std::nullopt;
    return Json::parse(docs.front());
}

Page SqlAgentRepository::list(const PageRequest& request) {
    std::vector<std::string> docs, ids, created;
    int fetch = static_cast<int>(request.limit) + 1;  // one extra row tells whether another page exists
    db_.with_session([&](Session& s) {
        Statement statement(s);
        if (request.cursor) {
            auto position = decode_cursor(*request.cursor);
            if (!position) throw InvalidCursorError();
            statement << db_.sql("SELECT doc, id, created_at FROM agents"
                                 " WHERE created_at < ? OR (created_at = ? AND id < ?)"
                                 " ORDER BY created_at DESC, id DESC LIMIT ?"),
                bind(position->sort_key), bind(position->sort_key), bind(position->id), bind(fetch);
        } else {
            statement << db_.sql("SELECT doc, id, created_at FROM agents ORDER BY created_at DESC, id DESC LIMIT ?"),
                bind(fetch);
        }
        statement, into(docs), into(ids), into(created);
        statement.execute();
    });
    return make_page(docs, ids, created, request.limit);
}

bool SqlAgentRepository::replace(const Json& agent) {
    std::string id = agent.at("id"), name = agent.at("name"), updated = agent.at("updated_at"), doc = agent.dump();
    std::size_t rows = 0;
    db_.write([&](Session& s) {
        Statement statement(s);
        statement << db_.sql("UPDATE agents SET name = ?, updated_at = ?, doc = ? WHERE id = ?"), use(name),
            use(updated), use(doc), use(id);
        rows = statement.execute();
    });
    return rows > 0;
}

std::optional<Json> SqlAgentRepository::modify(const std::string& id_in, const std::function<Json(const Json&)>& change) {
    std::string id = id_in;
    std::optional<Json> result;
    db_.transaction([&](Session& s) {
        std::vector<std::string> docs;
        s << db_.sql("SELECT doc FROM agents WHERE id = ?" + lock_clause(db_)), use(id), into(docs), now;
        if (docs.empty()) return;
        Json updated = change(Json::parse(docs.front()));
        std::string name = updated.at("name"), stamp = updated.at("updated_at"), doc = updated.dump();
        s << db_.sql("UPDATE agents SET name = ?, updated_at = ?, doc = ? WHERE id = ?"), use(name), use(stamp),
            use(doc), use(id), now;
        result = std::move(updated);
    });
    return result;
}

bool SqlAgentRepository::remove(const std::string& id_in, bool unassign_numbers) {
    std::string id = id_in;
    std::size_t rows = 0;
    db_.transaction([&](Session& s) {
        int assigned = 0;
        s << db_.sql("SELECT COUNT(*) FROM phone_numbers WHERE agent_id = ?"), use(id), into(assigned), now;
        if (assigned > 0 && !unassign_numbers)
            throw ConflictError("agent_has_phone_numbers",
                                "the agent still answers " + std::to_string(assigned) +
                                    " phone number(s); unassign them first or delete with ?unassign_numbers=true");
        if (assigned > 0) {
            std::string when = vox::time::now_iso8601();
            s << db_.sql("UPDATE phone_numbers SET agent_id = NULL, status = 'unassigned', updated_at = ? WHERE agent_id = ?"),
                use(when), use(id), now;
        }
        s << db_.sql("DELETE FROM agent_flows WHERE agent_id = ?"), use(id), now;
        Statement statement(s);
        statement << db_.sql("DELETE FROM agents WHERE id = ?"), use(id);
        rows = statement.execute();
    });
    return rows > 0;
}

std::optional<Json> SqlAgentRepository::get_flow(const std::string& agent_id_in) {
    std::string agent_id = agent_id_in;
    std::vector<std::string> docs;
    db_.with_session([&](Session& s) {
        s << db_.sql("SELECT doc FROM agent_flows WHERE agent_id = ?"), use(agent_id), into(docs), now;
    });
    if (docs.empty()) return std::nullopt;
    return Json::parse(docs.front());
}

bool SqlAgentRepository::put_flow(const std::string& agent_id_in, const Json& flow, const std::string& updated_in) {
    std::string agent_id = agent_id_in, updated = updated_in, doc = flow.dump();
    bool found = false;
    db_.transaction([&](Session& s) {
        int exists = 0;
        s << db_.sql("SELECT COUNT(*) FROM agents WHERE id = ?"), use(agent_id), into(exists), now;
        if (exists == 0) return;
        found = true;
        Statement update(s);
        update << db_.sql("UPDATE agent_flows SET doc = ?, updated_at = ? WHERE agent_id = ?"), use(doc), use(updated),
            use(agent_id);
        if (update.execute() == 0)
            s << db_.sql("INSERT INTO agent_flows (agent_id, updated_at, doc) VALUES (?, ?, ?)"), use(agent_id),
                use(updated), use(doc), now;
    });
    return found;
}

std::string lock_clause(const Database& db) { return db.backend() == Backend::postgresql ? " FOR UPDATE" : ""; }

Page make_page(const std::vector<std::string>& docs, const std::vector<std::string>& ids,
               const std::vector<std::string>& sort_keys, std::size_t limit) {
    Page page;
    std::size_t count = std::min(limit, docs.size());
    page.items.reserve(count);
    for (std::size_t i = 0; i < count; ++i) page.items.push_back(Json::parse(docs[i]));
    if (docs.size() > limit && count > 0) page.next_cursor = encode_cursor({sort_keys[count - 1], ids[count - 1]});
    return page;
}

}  // namespace vox::storage
