// One database, SQLite or PostgreSQL, behind a small pool of Poco::Data
// sessions. SQL is written once with '?' placeholders; PostgreSQL gets $n.
#pragma once

#include <Poco/Data/Session.h>

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace vox::storage {

enum class Backend { sqlite, postgresql };

struct DatabaseOptions {
    std::string url;       // "sqlite:///path/vox.db", "postgresql://user:pw@host:port/db"; empty: SQLite in data_dir
    std::string data_dir;  // where the default SQLite file lives
    std::size_t pool_size = 16;
    bool sqlite_synchronous_full = true;  // fsync every commit: acknowledged writes survive power loss
};

class Database {
public:
    explicit Database(const DatabaseOptions& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Backend backend() const { return backend_; }
    // The URL with any password masked, for logs.
    const std::string& display_url() const { return display_url_; }

    // Rewrites '?' placeholders for the backend (PostgreSQL wants $1, $2, ...).
    std::string sql(std::string_view text) const;

    // Runs `work` with a pooled session (blocks while all are busy).
    void with_session(const std::function<void(Poco::Data::Session&)>& work);
    // Runs a single-statement write. SQLite allows one writer at a time and its
    // busy handler waits by sleeping with back-off, which starves writers under
    // load; so this process queues its SQLite writers on a mutex instead.
    void write(const std::function<void(Poco::Data::Session&)>& work);
    // Runs `work` inside a write transaction; commits, or rolls back on exception.
    void transaction(const std::function<void(Poco::Data::Session&)>& work);

    // True when the exception from a statement means a UNIQUE or FOREIGN KEY rule was hit.
    bool is_constraint_violation(const std::exception& error) const;

private:
    class Lease;
    std::unique_ptr<Poco::Data::Session> open_session();

    Backend backend_;
    std::string connector_;
    std::string connection_string_;
    std::string display_url_;
    bool sqlite_synchronous_full_;
    std::size_t pool_size_;
    std::mutex mutex_;
    std::mutex sqlite_writer_;  // see write()
    std::condition_variable available_;
    std::vector<std::unique_ptr<Poco::Data::Session>> idle_;
    std::size_t open_count_ = 0;
};

// Parses a storage URL into backend and connector string; throws StorageError on nonsense.
struct ParsedUrl {
    Backend backend;
    std::string connection_string;  // SQLite: file path; PostgreSQL: libpq keyword string
    std::string display_url;
};
ParsedUrl parse_storage_url(const std::string& url, const std::string& data_dir);

}  // namespace vox::storage
