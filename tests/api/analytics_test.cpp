// GET /api/analytics on calls imported through POST /api/calls with known
// dates, statuses, durations, sentiment and latency figures: every number is
// checked exactly, on SQLite and PostgreSQL.
#include "api_server.hpp"

#include <vox/core/time.hpp>

namespace vox::apitest {
namespace {

Json e2e(double p50, double p95, int turns) { return {{"e2e", {{"p50", p50}, {"p95", p95}, {"count", turns}}}}; }

class AnalyticsTest : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        if (HasFatalFailure()) return;
        front_desk_ = create_agent("Front desk")["id"];
        billing_ = create_agent("Billing")["id"];
        auto import = [this](const std::string& agent, const std::string& started, const std::string& status,
                             Json extra) {
            Json body = {{"agent_id", agent}, {"direction", "web"}, {"status", status}, {"started_at", started}};
            body.update(extra);
            create_call(body);
        };
        import(front_desk_, "2026-03-01T10:00:00Z", "completed", {{"duration", 40}, {"sentiment", "positive"}, {
                                                                      "latency",
                                                                      e2e(500, 800, 4)
                                                                  }});
        import(front_desk_, "2026-03-01T23:59:59.999Z", "failed", {{"duration", 10}, { "latency", e2e(700, 900, 1) }});
        import(front_desk_, "2026-03-03T00:00:00Z", "completed", {{"duration", 30}, { "sentiment", "negative" }});
        import(billing_, "2026-03-02T12:00:00Z", "completed", {{"duration", 20}, {"sentiment", "neutral"}, {
                                                                   "latency",
                                                                   e2e(300, 1000, 5)
                                                               }});
        import(billing_, "2026-03-02T13:00:00+01:00", "in_progress", Json::object());
        // Just outside the window, on both sides (the end is exclusive).
        import(front_desk_, "2026-02-28T23:59:59.999Z", "completed", {{ "latency", e2e(5000, 9000, 3) }});
        import(front_desk_, "2026-03-04T00:00:00Z", "failed", {{ "latency", e2e(5000, 9000, 3) }});
    }

    Json analytics(const std::string& query) {
        auto reply = api->get("/api/analytics" + query);
        EXPECT_EQ(reply.status, 200) << reply.describe();
        return reply.json();
    }

    static constexpr const char* kWindow = "?started_after=2026-03-01&started_before=2026-03-04T00:00:00Z";
    std::string front_desk_, billing_;
};

TEST_P(AnalyticsTest, OverallFiguresFollowTheDocumentedDefinitions) {
    Json result = analytics(kWindow);
    EXPECT_EQ(result["from"], "2026-03-01T00:00:00.000Z");
    EXPECT_EQ(result["to"], "2026-03-04T00:00:00.000Z");
    const Json& overall = result["overall"];
    EXPECT_EQ(overall["calls"], 5);
    EXPECT_EQ(overall["completed"], 3);
    EXPECT_EQ(overall["failed"], 1);
    EXPECT_EQ(overall["in_progress"], 1);
    EXPECT_DOUBLE_EQ(overall["success_rate"].get<double>(), 0.75);
    EXPECT_DOUBLE_EQ(overall["avg_duration_s"].get<double>(), 25.0);  // (40 + 10 + 30 + 20) / 4
    // (500 x 4 + 700 x 1 + 300 x 5) / 10 turns
    EXPECT_DOUBLE_EQ(overall["latency_ms"]["avg"].get<double>(), 420.0);
    // Nearest rank of {800, 900, 1000}: the ceil(0.95 x 3) = 3rd.
    EXPECT_DOUBLE_EQ(overall["latency_ms"]["p95"].get<double>(), 1000.0);
    EXPECT_EQ(overall["sentiment"], Json({{"positive", 1}, {"neutral", 1}, {"negative", 1}, {"unknown", 2}}));
}

TEST_P(AnalyticsTest, PerAgentFiguresBusiestFirst) {
    Json agents = analytics(kWindow)["agents"];
    ASSERT_EQ(agents.size(), 2u) << agents.dump();
    const Json& front = agents[0];
    EXPECT_EQ(front["agent_id"], front_desk_);
    EXPECT_EQ(front["agent_name"], "Front desk");
    EXPECT_EQ(front["calls"], 3);
    EXPECT_EQ(front["completed"], 2);
    EXPECT_EQ(front["failed"], 1);
    EXPECT_EQ(front["in_progress"], 0);
    EXPECT_DOUBLE_EQ(front["success_rate"].get<double>(), 2.0 / 3.0);
    EXPECT_DOUBLE_EQ(front["avg_duration_s"].get<double>(), 80.0 / 3.0);
    EXPECT_DOUBLE_EQ(front["latency_ms"]["avg"].get<double>(), 540.0);  // (2000 + 700) / 5
    EXPECT_DOUBLE_EQ(front["latency_ms"]["p95"].get<double>(), 900.0);  // ceil(1.9) = 2nd of {800, 900}

    const Json& billing = agents[1];
    EXPECT_EQ(billing["agent_name"], "Billing");
    EXPECT_EQ(billing["calls"], 2);
    EXPECT_EQ(billing["in_progress"], 1);
    EXPECT_DOUBLE_EQ(billing["success_rate"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(billing["avg_duration_s"].get<double>(), 20.0);
    EXPECT_DOUBLE_EQ(billing["latency_ms"]["avg"].get<double>(), 300.0);
    EXPECT_DOUBLE_EQ(billing["latency_ms"]["p95"].get<double>(), 1000.0);
}

TEST_P(AnalyticsTest, EveryUtcDayOfTheWindowIsListed) {
    Json days = analytics(kWindow)["days"];
    ASSERT_EQ(days.size(), 3u) << days.dump();
    EXPECT_EQ(days[0], Json({{"date", "2026-03-01"},
                             {"calls", 2},
                             {"completed", 1},
                             {"failed", 1},
                             {"avg_latency_ms", 540.0},
                             {"p95_latency_ms", 900.0}}));
    // 13:00+01:00 is 12:00 UTC, still 2 March.
    EXPECT_EQ(days[1], Json({{"date", "2026-03-02"},
                             {"calls", 2},
                             {"completed", 1},
                             {"failed", 0},
                             {"avg_latency_ms", 300.0},
                             {"p95_latency_ms", 1000.0}}));
    EXPECT_EQ(days[2], Json({{"date", "2026-03-03"},
                             {"calls", 1},
                             {"completed", 1},
                             {"failed", 0},
                             {"avg_latency_ms", nullptr},
                             {"p95_latency_ms", nullptr}}));

    Json empty = analytics("?started_after=2025-01-01&started_before=2025-01-03");
    EXPECT_EQ(empty["overall"]["calls"], 0);
    EXPECT_TRUE(empty["overall"]["success_rate"].is_null());
    EXPECT_TRUE(empty["overall"]["avg_duration_s"].is_null());
    EXPECT_TRUE(empty["overall"]["latency_ms"]["avg"].is_null());
    EXPECT_TRUE(empty["agents"].empty());
    ASSERT_EQ(empty["days"].size(), 2u);
    EXPECT_EQ(empty["days"][1]["date"], "2025-01-02");
    EXPECT_EQ(empty["days"][1]["calls"], 0);
}

TEST_P(AnalyticsTest, OneAgentsCalls) {
    Json result = analytics(std::string(kWindow) + "&agent_id=" + billing_);
    EXPECT_EQ(result["overall"]["calls"], 2);
    ASSERT_EQ(result["agents"].size(), 1u);
    EXPECT_EQ(result["agents"][0]["agent_id"], billing_);
    EXPECT_EQ(result["days"][0]["calls"], 0);
}

TEST_P(AnalyticsTest, TheDefaultWindowIsTheLast30Days) {
    Json result = analytics("");
    auto from = time::parse_iso8601(result["from"].get<std::string>());
    auto to = time::parse_iso8601(result["to"].get<std::string>());
    ASSERT_TRUE(from && to) << result.dump();
    EXPECT_EQ(*to - *from, std::chrono::hours(24 * 30));
    EXPECT_LT(std::chrono::abs(std::chrono::system_clock::now() - *to), std::chrono::minutes(1));
    EXPECT_EQ(result["overall"]["calls"], 0);  // the imported calls are from 2026-03
}

TEST_P(AnalyticsTest, BadParametersAre400) {
    for (const char* query : {"?started_after=yesterday", "?started_before=2026-13-45",
                              "?started_after=2025-01-01&started_before=2026-01-03",  // 367 days
                              "?started_after=2026-03-04&started_before=2026-03-01", "?agent_id=nobody", "?limit=5"})
        EXPECT_PROBLEM(api->get(std::string("/api/analytics") + query), 400, "invalid_query") << query;
    EXPECT_EQ(api->get("/api/analytics?started_after=2025-01-01&started_before=2026-01-02").status, 200)
        << "366 days is allowed";
}

VOX_API_BOTH_BACKENDS(AnalyticsTest);

}  // namespace
}  // namespace vox::apitest
