#include "page_cursor.hpp"
#include "sql_repositories.hpp"

#include <vox/core/json_text.hpp>
#include <vox/core/storage/errors.hpp>

#include <Poco/Data/Statement.h>

namespace vox::storage {
namespace {
using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

}  // namespace

SqlCallRepository::SqlCallRepository(Database& db) : db_(db) {}

void SqlCallRepository::create(const Json& call) {
    std::string id = call.at("id"), agent = json_text(call, "agent_id"), status = call.at("status"),
                direction = call.at("direction"), started = call.at("started_at"), doc = call.dump();
    db_.write([&](Session& s) {
        s << db_.sql("INSERT INTO calls (id, agent_id, status, direction, started_at, doc) VALUES (?, ?, ?, ?, ?, ?)"),
            use(id), use(agent), use(status), use(direction), use(started), use(doc), now;
    });
}

std::optional<Json> SqlCallRepository::get(const std::string& id_in) {
    std::string id = id_in;
    std::vector<std::string> docs;
    db_.with_session([&](Session& s) { s << db_.sql("SELECT doc FROM calls WHERE id = ?"), use(id), into(docs), now; });
    if (docs.empty()) return std::nullopt;
    return Json::parse(docs.front());
}

Page SqlCallRepository::list(const CallFilter& filter, const PageRequest& request) {
    std::string where = " WHERE 1 = 1";
    std::vector<std::string> params;
    auto add = [&](const std::optional<std::string>& value, const char* condition) {
        if (!value) return;
        where += condition;
        params.push_back(*value);
    };
    add(filter.agent_id, " AND agent_id = ?");
    add(filter.status, " AND status = ?");
    add(filter.direction, " AND direction = ?");
    add(filter.started_after, " AND started_at >= ?");
    add(filter.started_before, " AND started_at < ?");
    if (request.cursor) {
        auto position = decode_cursor(*request.cursor);
        if (!position) throw InvalidCursorError();
        where += " AND (started_at < ? OR (started_at = ? AND id < ?))";
        params.insert(params.end(), {position->sort_key, position->sort_key, position->id});
    }
    int fetch = static_cast<int>(request.limit) + 1;
    std::vector<std::string> docs, ids, started;
    db_.with_session([&](Session& s) {
        Statement statement(s);
        statement << db_.sql("SELECT doc, id, started_at FROM calls" + where +
                             " ORDER BY started_at DESC, id DESC LIMIT ?");
        for (auto& param : params) statement, use(param);
        statement, use(fetch), into(docs), into(ids), into(started);
        statement.execute();
    });
    return make_page(docs, ids, started, request.limit);
}

bool SqlCallRepository::replace(const Json& call) {
    std::string id = call.at("id"), agent = json_text(call, "agent_id"), status = call.at("status"),
                direction = call.at("direction"), started = call.at("started_at"), doc = call.dump();
    std::size_t rows = 0;
    db_.write([&](Session& s) {
        Statement statement(s);
        statement << db_.sql(
            "UPDATE calls SET agent_id = ?, status = ?, direction = ?, started_at = ?, doc = ? WHERE id = ?"),
            use(agent), use(status), use(direction), use(started), use(doc), use(id);
        rows = statement.execute();
    });
    return rows > 0;
}

std::vector<Json> SqlCallRepository::in_progress() {
    std::vector<std::string> docs;
    db_.with_session([&](Session& s) {
        s << db_.sql(
            "SELECT doc FROM calls WHERE status IN ('registered', 'ongoing', 'in_progress') ORDER BY started_at"),
            into(docs), now;
    });
    std::vector<Json> calls;
    calls.reserve(docs.size());
    for (const auto& doc : docs) calls.push_back(Json::parse(doc));
    return calls;
}

}  // namespace vox::storage
