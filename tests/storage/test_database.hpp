// A fresh, empty database per test: a SQLite file in a temporary directory, or
// a new database on the fixture's PostgreSQL server (dropped afterwards).
#pragma once

#include <vox/core/storage/store.hpp>

#include <string>

namespace vox::testing {

enum class TestBackend { sqlite, postgresql };

class TestDatabase {
public:
    explicit TestDatabase(TestBackend backend);
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    // The URL (and data dir) a server or store should use.
    const std::string& url() const { return url_; }
    const std::string& data_dir() const { return data_dir_; }
    storage::DatabaseOptions options() const;

private:
    TestBackend backend_;
    std::string url_;
    std::string data_dir_;
    std::string admin_url_;
    std::string database_name_;
};

std::string backend_name(TestBackend backend);

}  // namespace vox::testing
