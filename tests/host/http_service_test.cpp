// HttpService in-process, over real sockets: the envelope every response gets
// (request id, problem+json on failures), the access seam, and the graceful
// stop that lets a request in progress finish.
#include "http/http_service.hpp"

#include "http_client.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <atomic>
#include <future>
#include <thread>

namespace vox::host {
namespace {

using namespace std::chrono_literals;
using vox::test::http_request;

HttpOptions ephemeral() {
    HttpOptions options;
    options.port = 0;
    options.max_threads = 4;
    return options;
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

TEST(HttpService, RoutesWithParametersAndAnswersJson) {
    prometheus::Registry metrics;
    HttpService service(ephemeral(), metrics);
    service.router().get("/api/things/{thing_id}", [](HttpExchange& exchange) {
        exchange.send_json(200, {{"id", exchange.param("thing_id")}, {"request_id", exchange.request_id()}});
    });
    service.start();
    ASSERT_NE(service.port(), 0);

    auto reply = http_request(service.port(), "GET", "/api/things/t%201?verbose=1");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("content-type"), "application/json");
    EXPECT_EQ(reply.json()["id"], "t 1");
    EXPECT_EQ(reply.json()["request_id"], reply.header("x-request-id"));
    EXPECT_EQ(service.stop(1s), 0);
}

TEST(HttpService, TurnsHandlerFailuresIntoProblems) {
    prometheus::Registry metrics;
    HttpService service(ephemeral(), metrics);
    service.router().get("/throws", [](HttpExchange&) -> void { throw std::runtime_error("boom"); });
    service.router().get("/silent", [](HttpExchange&) {});
    service.start();

    for (const char* path : {"/throws", "/silent"}) {
        auto reply = http_request(service.port(), "GET", path);
        EXPECT_EQ(reply.status, 500) << path;
        EXPECT_EQ(reply.header("content-type"), "application/problem+json");
        EXPECT_EQ(reply.json()["code"], "internal_error");
        EXPECT_EQ(reply.json()["request_id"], reply.header("x-request-id"));
        EXPECT_EQ(reply.body.find("boom"), std::string::npos) << "internals stay in the log";
    }
    service.stop(1s);
}

TEST(HttpService, RejectsUnsafeClientRequestIds) {
    prometheus::Registry metrics;
    HttpService service(ephemeral(), metrics);
    service.router().get(
        "/x", [](HttpExchange& exchange) { exchange.send_empty(204); }, Access::open);
    service.start();
    EXPECT_EQ(http_request(service.port(), "GET", "/x", {{"X-Request-Id", "abc-1"}}).header("x-request-id"), "abc-1");
    auto replaced = http_request(service.port(), "GET", "/x", {{"X-Request-Id", "has space"}}).header("x-request-id");
    EXPECT_NE(replaced, "has space");
    EXPECT_EQ(replaced.size(), 36u);  // a UUID
    service.stop(1s);
}

TEST(HttpService, TheAuthorizerGuardsApiRoutesOnly) {
    prometheus::Registry metrics;
    HttpService service(ephemeral(), metrics);
    service.router().get(
        "/open", [](HttpExchange& exchange) { exchange.send_empty(204); }, Access::open);
    service.router().get("/api/secret", [](HttpExchange& exchange) { exchange.send_empty(204); });
    service.set_authorizer([](HttpExchange& exchange) -> std::optional<Problem> {
        if (exchange.request().get("Authorization", "") == "Bearer good") return std::nullopt;
        return Problem{401, "unauthorized", "Unauthorized", "An API key is required.", nlohmann::json::object()};
    });
    service.start();

    EXPECT_EQ(http_request(service.port(), "GET", "/open").status, 204);
    auto refused = http_request(service.port(), "GET", "/api/secret");
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.json()["code"], "unauthorized");
    EXPECT_EQ(http_request(service.port(), "GET", "/api/secret", {{"Authorization", "Bearer good"}}).status, 204);
    service.stop(1s);
}

TEST(HttpService, CountsRequestsInMetrics) {
    prometheus::Registry metrics;
    HttpService service(ephemeral(), metrics);
    service.router().get(
        "/x", [](HttpExchange& exchange) { exchange.send_empty(204); }, Access::open);
    service.start();
    http_request(service.port(), "GET", "/x");
    http_request(service.port(), "GET", "/missing");
    service.stop(1s);

    std::map<std::string, double> counts;  // "method status" -> value
    for (const auto& family : metrics.Collect()) {
        if (family.name != "vox_http_requests_total") continue;
        for (const auto& metric : family.metric) {
            std::string key;
            for (const auto& label : metric.label) key += label.value + " ";
            counts[key] = metric.counter.value;
        }
    }
    EXPECT_EQ(counts["GET 204 "], 1);
    EXPECT_EQ(counts["GET 404 "], 1);
}

TEST(HttpService, StopLetsARequestInProgressFinish) {
    prometheus::Registry metrics;
    HttpService service(ephemeral(), metrics);
    std::atomic<bool> entered{false};
    service.router().get("/slow", [&](HttpExchange& exchange) {
        entered = true;
        std::this_thread::sleep_for(300ms);
        exchange.send_json(200, {{"done", true}});
    });
    service.start();
    auto port = service.port();

    auto reply = std::async(std::launch::async, [port] { return http_request(port, "GET", "/slow"); });
    ASSERT_TRUE(wait_until([&] { return entered.load(); }, 5s));
    EXPECT_EQ(service.stop(5s), 0);
    auto finished = reply.get();
    EXPECT_EQ(finished.status, 200);
    EXPECT_EQ(finished.json()["done"], true);
    EXPECT_EQ(finished.header("connection"), "Close");  // a response during the drain ends its connection

    EXPECT_THROW(http_request(port, "GET", "/slow"), Poco::Exception) << "no new connections after stop";
}

TEST(HttpService, StopGivesUpOnARequestThatOutlastsTheDrainTimeout) {
    prometheus::Registry metrics;
    HttpService service(ephemeral(), metrics);
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<bool> entered{false};
    service.router().get("/stuck", [&, released](HttpExchange& exchange) {
        entered = true;
        released.wait();
        exchange.send_empty(204);
    });
    service.start();
    auto port = service.port();
    auto reply = std::async(std::launch::async, [port] {
        try {
            return http_request(port, "GET", "/stuck").status;
        } catch (const Poco::Exception&) {
            return -1;  // the connection was aborted
        }
    });
    ASSERT_TRUE(wait_until([&] { return entered.load(); }, 5s));

    auto started = std::chrono::steady_clock::now();
    std::thread unblock([&] {
        std::this_thread::sleep_for(400ms);  // after the drain timeout
        release.set_value();
    });
    EXPECT_EQ(service.stop(100ms), 1);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    unblock.join();
    reply.get();
}

}  // namespace
}  // namespace vox::host
