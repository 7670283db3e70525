#include "test_database.hpp"

#include <libpq-fe.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

namespace vox::testing {
namespace {

std::string random_suffix() {
    std::random_device device;
    std::mt19937_64 generator(device());
    const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string suffix;
    for (int i = 0; i < 12; ++i) suffix += alphabet[generator() % 36];
    return suffix;
}

std::string postgres_admin_url() {
    const char* file = std::getenv("VOX_TEST_POSTGRES_URL_FILE");
    if (file == nullptr) throw std::runtime_error("VOX_TEST_POSTGRES_URL_FILE is not set (run through ctest)");
    std::ifstream in(file);
    std::string url;
    std::getline(in, url);
    if (url.empty()) throw std::runtime_error(std::string("no PostgreSQL URL in ") + file + " (did the fixture start?)");
    return url;
}

void run_admin_sql(const std::string& url, const std::string& sql) {
    PGconn* connection = PQconnectdb(url.c_str());
    if (PQstatus(connection) != CONNECTION_OK) {
        std::string error = PQerrorMessage(connection);
        PQfinish(connection);
        throw std::runtime_error("cannot reach the test PostgreSQL: " + error);
    }
    PGresult* result = PQexec(connection, sql.c_str());
    bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    std::string error = PQerrorMessage(connection);
    PQclear(result);
    PQfinish(connection);
    if (!ok) throw std::runtime_error(sql + ": " + error);
}

}  // namespace

std::string backend_name(TestBackend backend) { return backend == TestBackend::sqlite ? "sqlite" : "postgresql"; }

TestDatabase::TestDatabase(TestBackend backend) : backend_(backend) {
    auto dir = std::filesystem::temp_directory_path() / ("vox-test-" + random_suffix());
    std::filesystem::create_directories(dir);
    data_dir_ = dir.string();
    if (backend == TestBackend::sqlite) {
        url_ = "sqlite://" + (dir / "vox.db").string();
        return;
    }
    admin_url_ = postgres_admin_url();
    database_name_ = "t_" + random_suffix();
    run_admin_sql(admin_url_, "CREATE DATABASE " + database_name_);
    url_ = admin_url_.substr(0, admin_url_.rfind('/') + 1) + database_name_;
}

TestDatabase::~TestDatabase() {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
    if (!database_name_.empty()) {
        try {
            run_admin_sql(admin_url_, "DROP DATABASE IF EXISTS " + database_name_ + " WITH (FORCE)");
        } catch (...) {
        }
    }
}

storage::DatabaseOptions TestDatabase::options() const {
    storage::DatabaseOptions options;
    options.url = url_;
    options.data_dir = data_dir_;
    options.pool_size = 8;
    return options;
}

}  // namespace vox::testing
