#include "page_cursor.hpp"
#include "sql_repositories.hpp"

#include <vox/core/storage/errors.hpp>
#include <vox/core/time.hpp>

#include <Poco/Data/Statement.h>
#include <Poco/Nullable.h>

namespace vox::storage {
namespace {
using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using Poco::Data::Statement;

Poco::Nullable<std::string> nullable(const std::optional<std::string>& value) {
    return value ? Poco::Nullable<std::string>(*value) : Poco::Nullable<std::string>();
}
}  // namespace

Json PhoneNumber::to_json() const {
    return {{"id", id},
            {"number", number},
            {"assigned_agent_id", assigned_agent_id ? Json(*assigned_agent_id) : Json(nullptr)},
            {"status", status},
            {"nickname", nickname},
            {"calls_received", calls_received},
            {"created_at", created_at},
            {"updated_at", updated_at}};
}

SqlPhoneNumberRepository::SqlPhoneNumberRepository(Database& db) : db_(db) {}

void SqlPhoneNumberRepository::create(const PhoneNumber& n) {
    PhoneNumber copy = n;
    auto agent = nullable(n.assigned_agent_id);
    try {
        db_.transaction([&](Session& s) {
            int taken = 0;
            s << db_.sql("SELECT COUNT(*) FROM phone_numbers WHERE number = ?"), use(copy.number), into(taken), now;
            if (taken > 0) throw ConflictError("duplicate_phone_number", "the number " + copy.number + " is already registered");
            s << db_.sql("INSERT INTO phone_numbers (id, number, agent_id, status, nickname, calls_received, created_at,"
                         " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                use(copy.id), use(copy.number), use(agent), use(copy.status), use(copy.nickname), use(copy.calls_received),
                use(copy.created_at), use(copy.updated_at), now;
        });
    } catch (const ConflictError&) {
        throw;
    } catch (const std::exception& e) {
        if (!db_.is_constraint_violation(e)) throw;
        // Lost a race with a concurrent insert of the same number, or the agent vanished.
        if (find_by_number(n.number)) throw ConflictError("duplicate_phone_number", "the number " + n.number + " is already registered");
        throw ConflictError("agent_not_found", "the assigned agent does not exist");
    }
}

std::vector<PhoneNumber> SqlPhoneNumberRepository::select(const std::string& where_sql,
                                                          const std::vector<std::string>& params, int limit) {
    std::vector<PhoneNumber> rows;
    db_.with_session([&](Session& s) { rows = select_with(s, where_sql, params, limit); });
    return rows;
}

std::vector<PhoneNumber> SqlPhoneNumberRepository::select_with(Session& s, const std::string& where_sql,
                                                               const std::vector<std::string>& params_in, int limit) {
    std::vector<std::string> params = params_in;
    std::vector<std::string> ids, numbers, statuses, nicknames, created, updated;
    std::vector<Poco::Nullable<std::string>> agents;
    std::vector<Poco::Int64> calls;
    {
        Statement statement(s);
        statement << db_.sql("SELECT id, number, agent_id, status, nickname, calls_received, created_at, updated_at"
                             " FROM phone_numbers " + where_sql + " ORDER BY created_at DESC, id DESC LIMIT ?");
        for (auto& param : params) statement, use(param);
        statement, use(limit), into(ids), into(numbers), into(agents), into(statuses), into(nicknames), into(calls),
            into(created), into(updated);
        statement.execute();
    }
    std::vector<PhoneNumber> rows;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        PhoneNumber n;
        n.id = ids[i];
        n.number = numbers[i];
        if (!agents[i].isNull()) n.assigned_agent_id = agents[i].value();
        n.status = statuses[i];
        n.nickname = nicknames[i];
        n.calls_received = calls[i];
        n.created_at = created[i];
        n.updated_at = updated[i];
        rows.push_back(std::move(n));
    }
    return rows;
}

std::optional<PhoneNumber> SqlPhoneNumberRepository::get(const std::string& id) {
    auto rows = select("WHERE id = ?", {id}, 1);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::optional<PhoneNumber> SqlPhoneNumberRepository::find_by_number(const std::string& number) {
    auto rows = select("WHERE number = ?", {number}, 1);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<PhoneNumber> SqlPhoneNumberRepository::list(const PageRequest& page, std::optional<std::string>& next_cursor) {
    std::vector<PhoneNumber> rows;
    int fetch = static_cast<int>(page.limit) + 1;
    if (page.cursor) {
        auto position = decode_cursor(*page.cursor);
        if (!position) throw InvalidCursorError();
        rows = select("WHERE created_at < ? OR (created_at = ? AND id < ?)",
                      {position->sort_key, position->sort_key, position->id}, fetch);
    } else {
        rows = select("", {}, fetch);
    }
    next_cursor.reset();
    if (rows.size() > page.limit) {
        rows.resize(page.limit);
        if (!rows.empty()) next_cursor = encode_cursor({rows.back().created_at, rows.back().id});
    }
    return rows;
}

bool SqlPhoneNumberRepository::update(const PhoneNumber& n) {
    PhoneNumber copy = n;
    auto agent = nullable(n.assigned_agent_id);
    std::size_t rows = 0;
    try {
        db_.write([&](Session& s) {
            Statement statement(s);
            statement << db_.sql("UPDATE phone_numbers SET agent_id = ?, status = ?, nickname = ?, updated_at = ? WHERE id = ?"),
                use(agent), use(copy.status), use(copy.nickname), use(copy.updated_at), use(copy.id);
            rows = statement.execute();
        });
    } catch (const std::exception& e) {
        if (db_.is_constraint_violation(e)) throw ConflictError("agent_not_found", "the assigned agent does not exist");
        throw;
    }
    return rows > 0;
}

std::optional<PhoneNumber> SqlPhoneNumberRepository::modify(const std::string& id,
                                                           const std::function<void(PhoneNumber&)>& change) {
    std::optional<PhoneNumber> result;
    try {
        db_.transaction([&](Session& s) {
            // Lock the row first (PostgreSQL), so the read below is the latest and stays so.
            std::string locked = id;
            s << db_.sql("SELECT id FROM phone_numbers WHERE id = ?" + lock_clause(db_)), use(locked), now;
            auto rows = select_with(s, "WHERE id = ?", {id}, 1);
            if (rows.empty()) return;
            PhoneNumber number = rows.front();
            change(number);
            auto agent = nullable(number.assigned_agent_id);
            s << db_.sql("UPDATE phone_numbers SET agent_id = ?, status = ?, nickname = ?, updated_at = ? WHERE id = ?"),
                use(agent), use(number.status), use(number.nickname), use(number.updated_at), use(number.id), now;
            result = number;
        });
    } catch (const ConflictError&) {
        throw;
    } catch (const std::exception& e) {
        if (db_.is_constraint_violation(e)) throw ConflictError("agent_not_found", "the assigned agent does not exist");
        throw;
    }
    return result;
}

bool SqlPhoneNumberRepository::remove(const std::string& id_in) {
    std::string id = id_in;
    std::size_t rows = 0;
    db_.write([&](Session& s) {
        Statement statement(s);
        statement << db_.sql("DELETE FROM phone_numbers WHERE id = ?"), use(id);
        rows = statement.execute();
    });
    return rows > 0;
}

void SqlPhoneNumberRepository::count_call(const std::string& number_in) {
    std::string number = number_in;
    db_.write([&](Session& s) {
        s << db_.sql("UPDATE phone_numbers SET calls_received = calls_received + 1 WHERE number = ?"), use(number), now;
    });
}

}  // namespace vox::storage
