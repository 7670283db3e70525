// The router's decisions: which route, which parameters, 404 or 405.
#include "http/router.hpp"

#include "http/problem.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace vox::host {
namespace {

RouteHandler nothing() {
    return [](HttpExchange&) {};
}

class RouterTest : public ::testing::Test {
protected:
    void SetUp() override {
        router.get("/", nothing(), Access::open);
        router.get("/healthz", nothing(), Access::open);
        router.get("/api/calls", nothing());
        router.post("/api/calls", nothing());
        router.get("/api/calls/{call_id}", nothing());
        router.add("DELETE", "/api/calls/{call_id}", nothing());
        router.get("/api/calls/stats", nothing());
        router.get("/api/agents/{agent_id}/versions/{version}", nothing());
    }
    Router router;
};

TEST_F(RouterTest, MatchesLiteralRoutes) {
    auto match = router.match("GET", "/healthz");
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->pattern, "/healthz");
    EXPECT_EQ(match.route->access, Access::open);
    EXPECT_EQ(router.match("GET", "/").route->pattern, "/");
    EXPECT_EQ(router.match("POST", "/api/calls").route->method, "POST");
}

TEST_F(RouterTest, ExtractsAndDecodesParameters) {
    auto match = router.match("GET", "/api/agents/agent%201/versions/7");
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.params.at("agent_id"), "agent 1");
    EXPECT_EQ(match.params.at("version"), "7");
    EXPECT_EQ(router.match("GET", "/api/calls/a%2Fb").params.at("call_id"), "a/b");  // %2F stays inside the segment
}

TEST_F(RouterTest, PrefersLiteralSegmentsOverParameters) {
    EXPECT_EQ(router.match("GET", "/api/calls/stats").route->pattern, "/api/calls/stats");
    EXPECT_EQ(router.match("GET", "/api/calls/c_123").route->pattern, "/api/calls/{call_id}");
    // No DELETE on the literal route: the parameter route takes it.
    auto deleted = router.match("DELETE", "/api/calls/stats");
    ASSERT_NE(deleted.route, nullptr);
    EXPECT_EQ(deleted.params.at("call_id"), "stats");
}

TEST_F(RouterTest, IgnoresATrailingSlash) {
    EXPECT_NE(router.match("GET", "/healthz/").route, nullptr);
    EXPECT_EQ(router.match("GET", "/healthz//").route, nullptr);
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
    for (const char* path : {"/nope", "/api", "/api/calls/1/2", "/healthzz", "", "relative"}) {
        auto match = router.match("GET", path);
        EXPECT_EQ(match.route, nullptr) << path;
        EXPECT_TRUE(match.allowed.empty()) << path;
    }
}

TEST_F(RouterTest, WrongMethodListsTheAllowedOnes) {
    auto match = router.match("PUT", "/api/calls/c_1");
    EXPECT_EQ(match.route, nullptr);
    EXPECT_EQ(match.allowed, (std::vector<std::string>{"DELETE", "GET", "HEAD"}));
    EXPECT_EQ(router.match("POST", "/healthz").allowed, (std::vector<std::string>{"GET", "HEAD"}));
}

TEST_F(RouterTest, HeadIsServedByGet) {
    auto match = router.match("HEAD", "/healthz");
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.route->method, "GET");
}

TEST_F(RouterTest, MalformedPercentEncodingIsNotFound) {
    EXPECT_EQ(router.match("GET", "/api/calls/%zz").route, nullptr);
}

TEST(RouterPatterns, RejectsMalformedOrDuplicateRoutes) {
    Router router;
    router.get("/api/x/{id}", nothing());
    EXPECT_THROW(router.get("/api/x/{other}", nothing()), std::invalid_argument);  // same shape
    EXPECT_NO_THROW(router.post("/api/x/{id}", nothing()));
    EXPECT_THROW(router.get("no-slash", nothing()), std::invalid_argument);
    EXPECT_THROW(router.get("/a//b", nothing()), std::invalid_argument);
    EXPECT_THROW(router.get("/a/{}", nothing()), std::invalid_argument);
    EXPECT_THROW(router.get("/a/{id}/{id}", nothing()), std::invalid_argument);
    EXPECT_THROW(router.get("/a/x{id}", nothing()), std::invalid_argument);
    EXPECT_THROW(router.get("/a/{Id}", nothing()), std::invalid_argument);
    EXPECT_THROW(router.get("/a", RouteHandler()), std::invalid_argument);
}

TEST(Problems, CarryTheStandardMembersAndTheRequestId) {
    auto body = problem_json(method_not_allowed_problem("PUT", "/x", {"GET", "HEAD"}), "req-1");
    EXPECT_EQ(body["type"], "urn:vox:problem:method_not_allowed");
    EXPECT_EQ(body["title"], "Method not allowed");
    EXPECT_EQ(body["status"], 405);
    EXPECT_EQ(body["code"], "method_not_allowed");
    EXPECT_EQ(body["request_id"], "req-1");
    EXPECT_EQ(body["allowed"], (nlohmann::json{"GET", "HEAD"}));
    EXPECT_EQ(body["detail"], "PUT is not supported on /x; allowed: GET, HEAD.");

    Problem sneaky{400, "bad", "Bad", "d", {{"status", 999}, {"code", "other"}}};
    auto guarded = problem_json(sneaky, "r");
    EXPECT_EQ(guarded["status"], 400);  // extensions cannot replace standard members
    EXPECT_EQ(guarded["code"], "bad");
}

}  // namespace
}  // namespace vox::host
