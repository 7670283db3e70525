#include <vox/core/storage/database.hpp>
#include <vox/core/storage/errors.hpp>

#include <Poco/Data/DataException.h>
#include <Poco/Data/PostgreSQL/Connector.h>
#include <Poco/Data/PostgreSQL/PostgreSQLException.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/URI.h>

#include <filesystem>

namespace vox::storage {
namespace {

using Poco::Data::Keywords::now;

void register_connectors() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Data::SQLite::Connector::registerConnector();
        Poco::Data::PostgreSQL::Connector::registerConnector();
    });
}

// libpq keyword values cannot hold spaces through Poco's parser (it splits on ' ').
std::string keyword_value(const std::string& key, const std::string& value) {
    if (value.find_first_of(" '\\") != std::string::npos)
        throw StorageError("storage URL: the " + key + " may not contain spaces, quotes or backslashes");
    return key + "=" + value + " ";
}

}  // namespace

ParsedUrl parse_storage_url(const std::string& url, const std::string& data_dir) {
    if (url.empty() || url == "sqlite" || url == "sqlite://") {
        auto path = std::filesystem::path(data_dir.empty() ? "." : data_dir) / "vox.db";
        return {Backend::sqlite, path.string(), "sqlite://" + path.string()};
    }
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception& e) {
        throw StorageError("storage URL '" + url + "' is not a URL: " + e.message());
    }
    const std::string& scheme = uri.getScheme();
    if (scheme == "sqlite") {
        // sqlite:///absolute/path.db or sqlite://relative/path.db
        std::string path = uri.getHost() + uri.getPath();
        if (path.empty()) throw StorageError("storage URL '" + url + "' names no SQLite file");
        return {Backend::sqlite, path, "sqlite://" + path};
    }
    if (scheme == "postgresql" || scheme == "postgres") {
        std::string keywords;
        if (!uri.getHost().empty()) keywords += keyword_value("host", uri.getHost());
        if (uri.getPort() != 0) keywords += keyword_value("port", std::to_string(uri.getPort()));
        std::string user_info = uri.getUserInfo();
        std::string user = user_info.substr(0, user_info.find(':'));
        if (!user.empty()) keywords += keyword_value("user", user);
        if (auto colon = user_info.find(':'); colon != std::string::npos)
            keywords += keyword_value("password", user_info.substr(colon + 1));
        std::string database = uri.getPath();
        if (!database.empty() && database[0] == '/') database.erase(0, 1);
        if (!database.empty()) keywords += keyword_value("dbname", database);
        for (const auto& [key, value] : uri.getQueryParameters()) keywords += keyword_value(key, value);
        if (keywords.empty()) throw StorageError("storage URL '" + url + "' names no PostgreSQL server");
        keywords.pop_back();
        Poco::URI shown(uri);
        if (user_info.find(':') != std::string::npos) shown.setUserInfo(user + ":***");
        return {Backend::postgresql, keywords, shown.toString()};
    }
    throw StorageError("storage URL scheme '" + scheme + "' is not supported (use sqlite:// or postgresql://)");
}

// A session borrowed from the pool, returned on destruction.
class Database::Lease {
public:
    Lease(Database& db, std::unique_ptr<Poco::Data::Session> session) : db_(db), session_(std::move(session)) {}
    ~Lease() {
        std::lock_guard lock(db_.mutex_);
        if (session_ && session_->isConnected()) {
            db_.idle_.push_back(std::move(session_));
        } else {
            --db_.open_count_;  // broken connection: let a new one be opened
        }
        db_.available_.notify_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Poco::Data::Session& session() { return *session_; }
    void discard() { session_.reset(); }

private:
    Database& db_;
    std::unique_ptr<Poco::Data::Session> session_;
};

Database::Database(const DatabaseOptions& options)
    : sqlite_synchronous_full_(options.sqlite_synchronous_full), pool_size_(std::max<std::size_t>(1, options.pool_size)) {
    register_connectors();
    ParsedUrl parsed = parse_storage_url(options.url, options.data_dir);
    backend_ = parsed.backend;
    connection_string_ = parsed.connection_string;
    display_url_ = parsed.display_url;
    connector_ = backend_ == Backend::sqlite ? "SQLite" : "PostgreSQL";
    if (backend_ == Backend::sqlite) {
        std::error_code ec;
        auto parent = std::filesystem::path(connection_string_).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent, ec);
        if (ec) throw StorageError("cannot create the data directory " + parent.string() + ": " + ec.message());
    }
    // Open one session now so that a wrong URL fails at start-up, not at the first request.
    auto first = open_session();
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(first));
    open_count_ = 1;
}

Database::~Database() = default;

std::unique_ptr<Poco::Data::Session> Database::open_session() {
    try {
        auto session = std::make_unique<Poco::Data::Session>(connector_, connection_string_);
        if (backend_ == Backend::sqlite) {
            // Per-connection settings: WAL lets readers run beside the writer;
            // foreign keys are off by default in SQLite; wait rather than fail on a busy writer.
            *session << "PRAGMA journal_mode=WAL", now;
            *session << "PRAGMA foreign_keys=ON", now;
            *session << "PRAGMA busy_timeout=10000", now;
            *session << (sqlite_synchronous_full_ ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"), now;
        }
        return session;
    } catch (const Poco::Exception& e) {
        throw UnavailableError("cannot open the " + connector_ + " database at " + display_url_ + ": " + e.displayText());
    }
}

std::string Database::sql(std::string_view text) const {
    if (backend_ == Backend::sqlite) return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    int index = 0;
    bool in_string = false;
    for (char c : text) {
        if (c == '\'') in_string = !in_string;
        if (c == '?' && !in_string) {
            out += '$';
            out += std::to_string(++index);
        } else {
            out += c;
        }
    }
    return out;
}

void Database::with_session(const std::function<void(Poco::Data::Session&)>& work) {
    std::unique_ptr<Poco::Data::Session> session;
    {
        std::unique_lock lock(mutex_);
        available_.wait(lock, [&] { return !idle_.empty() || open_count_ < pool_size_; });
        if (!idle_.empty()) {
            session = std::move(idle_.back());
            idle_.pop_back();
        } else {
            ++open_count_;
        }
    }
    if (!session) {
        try {
            session = open_session();
        } catch (...) {
            std::lock_guard lock(mutex_);
            --open_count_;
            available_.notify_one();
            throw;
        }
    }
    Lease lease(*this, std::move(session));
    try {
        work(lease.session());
    } catch (const Poco::Data::PostgreSQL::ConnectionException& e) {
        lease.discard();
        throw UnavailableError("lost the connection to PostgreSQL: " + e.displayText());
    }
}

void Database::write(const std::function<void(Poco::Data::Session&)>& work) {
    if (backend_ != Backend::sqlite) return with_session(work);
    std::lock_guard writer(sqlite_writer_);
    with_session(work);
}

void Database::transaction(const std::function<void(Poco::Data::Session&)>& work) {
    std::unique_lock<std::mutex> writer(sqlite_writer_, std::defer_lock);
    if (backend_ == Backend::sqlite) writer.lock();
    with_session([&](Poco::Data::Session& session) {
        if (backend_ == Backend::sqlite)
            session << "BEGIN IMMEDIATE", now;  // take the write lock up front: no upgrade deadlock
        else
            session.begin();
        try {
            work(session);
            if (backend_ == Backend::sqlite)
                session << "COMMIT", now;
            else
                session.commit();
        } catch (...) {
            try {
                if (backend_ == Backend::sqlite)
                    session << "ROLLBACK", now;
                else
                    session.rollback();
            } catch (...) {
            }
            throw;
        }
    });
}

bool Database::is_constraint_violation(const std::exception& error) const {
    if (const auto* sqlite = dynamic_cast<const Poco::Data::SQLite::ConstraintViolationException*>(&error))
        return sqlite != nullptr;
    std::string text = error.what();
    if (const auto* poco = dynamic_cast<const Poco::Exception*>(&error)) text = poco->displayText();
    // PostgreSQL reports SQLSTATE 23505 (unique) / 23503 (foreign key) in the message.
    return text.find("23505") != std::string::npos || text.find("23503") != std::string::npos ||
           text.find("duplicate key") != std::string::npos || text.find("violates foreign key") != std::string::npos ||
           text.find("UNIQUE constraint") != std::string::npos || text.find("FOREIGN KEY constraint") != std::string::npos;
}

}  // namespace vox::storage
