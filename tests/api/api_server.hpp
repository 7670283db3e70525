// A voxd under test on a fresh database (SQLite file or a new database on the
// fixture's PostgreSQL), started as a child process on an ephemeral port, and
// the base fixture of the API tests, run once per backend.
#pragma once

#include "api_client.hpp"
#include "openapi_checker.hpp"
#include "test_database.hpp"
#include "voxd_process.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

namespace vox::testing {
// Test names and failure messages show the backend by name.
inline void PrintTo(TestBackend backend, std::ostream* out) { *out << backend_name(backend); }
}  // namespace vox::testing

namespace vox::apitest {

using testing::TestBackend;
using test::Environment;
using test::kTestApiKey;

class Voxd {
public:
    explicit Voxd(TestBackend backend);
    ~Voxd();
    Voxd(const Voxd&) = delete;
    Voxd& operator=(const Voxd&) = delete;

    // Starts voxd on this database and data directory (again after stop/kill),
    // with `extra` on top of VOX_STORAGE_URL and VOX_DATA_DIR. Returns false
    // (with a test failure) when it does not come up.
    bool start(const Environment& extra = {});
    void kill9();  // SIGKILL and reap: no shutdown code runs
    void stop();   // SIGTERM; a test failure unless it exits 0 promptly
    bool running();

    std::uint16_t port() const { return port_; }
    TestBackend backend() const { return backend_; }
    // A client whose every reply is checked against /openapi.json.
    Client client(const std::string& api_key = kTestApiKey) const;
    // A client with no checks (to look at answers the checker would flag on its own).
    Client unchecked_client(const std::string& api_key = kTestApiKey) const { return Client(port_, api_key); }
    const OpenApiChecker& checker() const { return *checker_; }
    std::shared_ptr<const OpenApiChecker> shared_checker() const { return checker_; }
    // All voxd output (stdout and stderr) of the current or last run.
    std::string output() const;
    // GET /healthz answers 200.
    bool healthy() const;
    // The database voxd uses (to look at what it stored).
    const testing::TestDatabase& database() const { return database_; }

private:
    TestBackend backend_;
    testing::TestDatabase database_;
    test::ScratchDirectory work_dir_;
    std::optional<test::VoxdProcess> process_;
    std::uint16_t port_ = 0;
    std::shared_ptr<const OpenApiChecker> checker_;
    int runs_ = 0;
};

// Reports every mismatch the checker finds as a test failure.
ReplyObserver failing_observer(std::shared_ptr<const OpenApiChecker> checker);

// The reply is the problem+json error `status`/`code`, with request_id equal to X-Request-Id.
::testing::AssertionResult is_problem(const Reply& reply, int status, const std::string& code);
#define EXPECT_PROBLEM(reply, status, code) EXPECT_TRUE(::vox::apitest::is_problem((reply), (status), (code)))
#define ASSERT_PROBLEM(reply, status, code) ASSERT_TRUE(::vox::apitest::is_problem((reply), (status), (code)))

// The errors[].field values of a 422 problem.
std::vector<std::string> error_fields(const Reply& reply);
// The errors[] entry for `field`, or null.
Json error_for(const Reply& reply, const std::string& field);

// "YYYY-MM-DDTHH:MM:SS.mmmZ"
bool is_utc_timestamp(const Json& value);

// Base fixture: a fresh voxd on the parameter's backend, and `api`, an admin client.
class ApiTest : public ::testing::TestWithParam<TestBackend> {
protected:
    void SetUp() override;
    void TearDown() override;
    // Extra environment for voxd (e.g. a plugin path).
    virtual Environment environment() const { return {}; }

    // POST helpers that assert the 201 and return the created object.
    Json create_agent(const Json& body);
    Json create_agent(const std::string& name) { return create_agent(Json{{"name", name}}); }
    Json create_agent(const char* name) { return create_agent(std::string(name)); }
    Json create_number(const Json& body);
    Json create_call(const Json& body);
    // Every item of a list, following X-Next-Cursor; a failure if a page is not 200.
    std::vector<Json> list_all(const std::string& collection, std::size_t limit = 500);
    std::vector<std::string> ids_of(const std::vector<Json>& items);

    std::unique_ptr<Voxd> voxd;
    std::optional<Client> api;
};

std::string backend_label(const ::testing::TestParamInfo<TestBackend>& info);

#define VOX_API_BOTH_BACKENDS(suite)                                                                                 \
    INSTANTIATE_TEST_SUITE_P(Backends, suite,                                                                        \
                             ::testing::Values(::vox::testing::TestBackend::sqlite,                                  \
                                               ::vox::testing::TestBackend::postgresql),                             \
                             ::vox::apitest::backend_label)

}  // namespace vox::apitest
