#include "api_server.hpp"

#include <signal.h>

#include <regex>
#include <thread>

namespace vox::apitest {

using namespace std::chrono_literals;

Voxd::Voxd(TestBackend backend) : backend_(backend), database_(backend) {}

Voxd::~Voxd() {
    if (process_) kill9();  // the database is dropped next: nothing may hold it open
}

bool Voxd::start(const Environment& extra) {
    Environment environment = extra;
    environment["VOX_STORAGE_URL"] = database_.url();
    environment["VOX_DATA_DIR"] = database_.data_dir();
    ++runs_;
    // Each run logs to its own directory so that output() shows only the current run.
    auto run_dir = work_dir_.path() / ("run" + std::to_string(runs_));
    std::filesystem::create_directories(run_dir);
    port_ = test::VoxdProcess::start_listening(process_, {}, environment, run_dir);
    if (port_ == 0) {
        ADD_FAILURE() << "voxd did not start on " << testing::backend_name(backend_) << ":\n" << output();
        return false;
    }
    Client plain(port_, "");
    auto reply = plain.get("/openapi.json");
    if (reply.status != 200) {
        ADD_FAILURE() << "GET /openapi.json: " << reply.describe();
        return false;
    }
    try {
        checker_ = std::make_shared<OpenApiChecker>(Json::parse(reply.body));
    } catch (const std::exception& error) {
        ADD_FAILURE() << "unusable /openapi.json: " << error.what();
        return false;
    }
    return true;
}

void Voxd::kill9() {
    if (!process_) return;
    process_->send_signal(SIGKILL);
    auto code = process_->wait_for_exit(5s);
    EXPECT_EQ(code, std::optional<int>(128 + SIGKILL));
}

void Voxd::stop() {
    if (!process_) return;
    process_->send_signal(SIGTERM);
    auto code = process_->wait_for_exit(10s);
    EXPECT_EQ(code, std::optional<int>(0)) << output();
}

bool Voxd::running() { return process_ && !process_->wait_for_exit(0ms); }

Client Voxd::client(const std::string& api_key) const { return Client(port_, api_key, failing_observer(checker_)); }

std::string Voxd::output() const { return process_ ? process_->output() : std::string(); }

bool Voxd::healthy() const {
    Client probe(port_, "");
    probe.set_timeout(5s);
    auto reply = probe.get("/healthz");
    return reply.status == 200 && reply.json().value("status", "") == "ok";
}

ReplyObserver failing_observer(std::shared_ptr<const OpenApiChecker> checker) {
    return [checker](const std::string& method, const std::string& target, const Reply& reply) {
        if (!checker) return;
        for (const auto& problem : checker->check(method, target, reply))
            ADD_FAILURE() << "OpenAPI conformance of " << method << " " << target.substr(0, 200) << ": " << problem
                          << "\n  reply: " << reply.describe();
    };
}

::testing::AssertionResult is_problem(const Reply& reply, int status, const std::string& code) {
    if (reply.status != status)
        return ::testing::AssertionFailure() << "expected " << status << " " << code << ", got " << reply.describe();
    if (reply.header("content-type") != "application/problem+json")
        return ::testing::AssertionFailure() << "content type is not application/problem+json: " << reply.describe();
    Json body = Json::parse(reply.body, nullptr, false);
    if (!body.is_object()) return ::testing::AssertionFailure() << "the body is not a JSON object: " << reply.describe();
    if (body.value("code", "") != code)
        return ::testing::AssertionFailure() << "expected code " << code << ": " << reply.describe();
    if (body.value("status", 0) != status)
        return ::testing::AssertionFailure() << "the body's status is not " << status << ": " << reply.describe();
    if (body.value("type", "") != "urn:vox:problem:" + code)
        return ::testing::AssertionFailure() << "unexpected type: " << reply.describe();
    if (!body["title"].is_string() || !body["detail"].is_string() || body["detail"].get<std::string>().empty())
        return ::testing::AssertionFailure() << "title/detail missing: " << reply.describe();
    std::string header_id = reply.header("x-request-id");
    if (header_id.empty() || body.value("request_id", "") != header_id)
        return ::testing::AssertionFailure() << "request_id '" << body.value("request_id", "")
                                             << "' differs from X-Request-Id '" << header_id << "'";
    return ::testing::AssertionSuccess();
}

std::vector<std::string> error_fields(const Reply& reply) {
    std::vector<std::string> fields;
    Json body = Json::parse(reply.body, nullptr, false);
    if (body.is_object() && body.contains("errors") && body["errors"].is_array())
        for (const auto& error : body["errors"]) fields.push_back(error.value("field", "<none>"));
    return fields;
}

Json error_for(const Reply& reply, const std::string& field) {
    Json body = Json::parse(reply.body, nullptr, false);
    if (body.is_object() && body.contains("errors") && body["errors"].is_array())
        for (const auto& error : body["errors"])
            if (error.value("field", "") == field) return error;
    return nullptr;
}

bool is_utc_timestamp(const Json& value) {
    static const std::regex pattern(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");
    return value.is_string() && std::regex_match(value.get<std::string>(), pattern);
}

void ApiTest::SetUp() {
    voxd = std::make_unique<Voxd>(GetParam());
    ASSERT_TRUE(voxd->start(environment()));
    api.emplace(voxd->client());
}

void ApiTest::TearDown() {
    if (voxd && voxd->running()) {
        EXPECT_TRUE(voxd->healthy()) << "voxd stopped answering /healthz\n" << voxd->output().substr(0, 4000);
    }
    api.reset();
    voxd.reset();
}

Json ApiTest::create_agent(const Json& body) {
    auto reply = api->post("/api/agents", body);
    EXPECT_EQ(reply.status, 201) << body.dump() << " -> " << reply.describe();
    return reply.status == 201 ? reply.json() : Json();
}

Json ApiTest::create_number(const Json& body) {
    auto reply = api->post("/api/phone-numbers", body);
    EXPECT_EQ(reply.status, 201) << body.dump() << " -> " << reply.describe();
    return reply.status == 201 ? reply.json() : Json();
}

Json ApiTest::create_call(const Json& body) {
    auto reply = api->post("/api/calls", body);
    EXPECT_EQ(reply.status, 201) << body.dump() << " -> " << reply.describe();
    return reply.status == 201 ? reply.json() : Json();
}

std::vector<Json> ApiTest::list_all(const std::string& collection, std::size_t limit) {
    std::vector<Json> items;
    std::string target = collection + (collection.find('?') == std::string::npos ? "?" : "&") +
                         "limit=" + std::to_string(limit);
    for (int pages = 0; pages < 1000; ++pages) {
        auto reply = api->get(target);
        EXPECT_EQ(reply.status, 200) << target << " -> " << reply.describe();
        if (reply.status != 200) break;
        for (auto& item : reply.json()) items.push_back(item);
        std::string cursor = reply.header("x-next-cursor");
        if (cursor.empty()) break;
        target = collection + (collection.find('?') == std::string::npos ? "?" : "&") +
                 "limit=" + std::to_string(limit) + "&cursor=" + url_encode(cursor);
    }
    return items;
}

std::vector<std::string> ApiTest::ids_of(const std::vector<Json>& items) {
    std::vector<std::string> ids;
    for (const auto& item : items) ids.push_back(item.value("id", ""));
    return ids;
}

std::string backend_label(const ::testing::TestParamInfo<TestBackend>& info) { return testing::backend_name(info.param); }

}  // namespace vox::apitest
