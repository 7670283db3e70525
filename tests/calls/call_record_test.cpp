// The call records of live calls and the agent statistics (pure functions).
#include "calls/call_record.hpp"

#include <vox/core/schema_catalog.hpp>

#include <gtest/gtest.h>

namespace vox::calltest {
namespace {

using nlohmann::json;
using namespace vox::host;

std::vector<std::string> problems_against_call_schema(const json& record) {
    std::vector<std::string> problems;
    for (const auto& problem : SchemaCatalog::instance().validator("call").validate(record))
        problems.push_back(problem.field + ": " + problem.message);
    return problems;
}

TEST(CallRecord, CompletedAndFailedFollowTheDisconnectionReason) {
    for (const char* reason : {"user_hangup", "agent_hangup", "api_hangup", "inactivity", "max_duration_reached"})
        EXPECT_TRUE(is_completed_reason(reason)) << reason;
    for (const char* reason : {"no_connection", "dead_air", "error_stt", "error_llm", "error_tts", "error_transport",
                               "error_internal", "server_restart", ""})
        EXPECT_FALSE(is_completed_reason(reason)) << reason;
}

TEST(CallRecord, ANewWebCallIsInProgressAndValid) {
    json record = new_web_call_record("call_abc", "agent_xyz", {{"name", "Ada"}}, true);
    EXPECT_EQ(record["status"], "in_progress");
    EXPECT_EQ(record["direction"], "web");
    EXPECT_TRUE(record["ended_at"].is_null());
    EXPECT_EQ(record["metadata"], json({{"variables", {{"name", "Ada"}}}, {"test", true}}));
    EXPECT_EQ(problems_against_call_schema(record), std::vector<std::string>{});
}

TEST(CallRecord, TheResultFillsTheRecordKeepingOnlyWhatTheSchemaNames) {
    call::CallResult result;
    result.disconnection_reason = "inactivity";
    result.duration_seconds = 42.25;
    result.transcript = json::array({{{"speaker", "agent"}, {"text", "Hi."}, {"start", 0.0}, {"end", 0.5}, {"turn", 0}},
                                     {{"speaker", "robot"}, {"text", "?"}},
                                     {{"speaker", "user"}, {"text", "Hello."}, {"start", 1.0}}});
    result.latency = {{"e2e", {{"p50", 480}, {"p99", 700}, {"count", 3}, {"mean", 500}}},
                      {"stt", {{"p50", 90}}},
                      {"vad", {{"p50", 1}}}};
    json record = completed_record(new_web_call_record("call_abc", "agent_xyz", json::object(), false), result,
                                   "2026-11-24T10:00:00.000Z");
    EXPECT_EQ(record["status"], "completed");
    EXPECT_EQ(record["disconnection_reason"], "inactivity");
    EXPECT_EQ(record["ended_at"], "2026-11-24T10:00:00.000Z");
    EXPECT_EQ(record["duration"], 42.25);
    EXPECT_EQ(record["transcript"],
              json::array({{{"speaker", "agent"}, {"text", "Hi."}, {"start", 0.0}, {"end", 0.5}},
                           {{"speaker", "user"}, {"text", "Hello."}, {"start", 1.0}}}));
    EXPECT_EQ(record["latency"], json({{"e2e", {{"p50", 480}, {"p99", 700}, {"count", 3}}}, {"stt", {{"p50", 90}}}}));
    EXPECT_EQ(problems_against_call_schema(record), std::vector<std::string>{});

    result.failed = true;  // the pipeline's word counts too
    EXPECT_EQ(completed_record(record, result, "2026-11-24T10:00:00.000Z")["status"], "failed");
    result.failed = false;
    result.disconnection_reason = "error_llm";
    EXPECT_EQ(completed_record(record, result, "2026-11-24T10:00:00.000Z")["status"], "failed");
    result.disconnection_reason = "";
    EXPECT_EQ(completed_record(record, result, "2026-11-24T10:00:00.000Z")["disconnection_reason"], "error_internal");
}

TEST(CallRecord, EndsWithoutACallerAndAfterACrash) {
    json fresh = new_web_call_record("call_abc", "agent_xyz", json::object(), false);
    json expired = ended_without_caller(fresh, "no_connection", "2026-11-24T10:00:30.000Z");
    EXPECT_EQ(expired["status"], "failed");
    EXPECT_EQ(expired["disconnection_reason"], "no_connection");
    EXPECT_EQ(expired["ended_at"], "2026-11-24T10:00:30.000Z");
    EXPECT_EQ(ended_without_caller(fresh, "api_hangup", "2026-11-24T10:00:30.000Z")["status"], "completed");
    json recovered = recovered_record(fresh, "2026-11-24T11:00:00.000Z");
    EXPECT_EQ(recovered["status"], "failed");
    EXPECT_EQ(recovered["disconnection_reason"], "server_restart");
    EXPECT_EQ(recovered["ended_at"], "2026-11-24T11:00:00.000Z");
    EXPECT_EQ(problems_against_call_schema(recovered), std::vector<std::string>{});
}

TEST(AgentStats, CountsCallsAndKeepsRunningMeans) {
    json agent = {{"id", "agent_x"}, {"stats", {{"calls_handled", 0}, {"avg_latency", 0.0}, {"success_rate", 0.0}}}};
    agent = agent_with_call_counted(agent, true, 400.0);
    EXPECT_EQ(agent["stats"]["calls_handled"], 1);
    EXPECT_EQ(agent["stats"]["success_rate"], 1.0);
    EXPECT_EQ(agent["stats"]["avg_latency"], 400.0);
    agent = agent_with_call_counted(agent, false, std::nullopt);  // no answered turn: not in the mean
    EXPECT_EQ(agent["stats"]["calls_handled"], 2);
    EXPECT_EQ(agent["stats"]["success_rate"], 0.5);
    EXPECT_EQ(agent["stats"]["avg_latency"], 400.0);
    agent = agent_with_call_counted(agent, true, 700.0);
    EXPECT_EQ(agent["stats"]["calls_handled"], 3);
    EXPECT_NEAR(agent["stats"]["success_rate"].get<double>(), 2.0 / 3.0, 1e-12);
    EXPECT_EQ(agent["stats"]["avg_latency"], 550.0);
    EXPECT_EQ(agent["stats"]["latency_calls"], 2);

    // Many calls: the success rate is recovered exactly from the stored ratio.
    for (int i = 0; i < 997; ++i) agent = agent_with_call_counted(agent, i % 4 != 0, std::nullopt);
    EXPECT_EQ(agent["stats"]["calls_handled"], 1000);
    EXPECT_NEAR(agent["stats"]["success_rate"].get<double>(), (2.0 + 747.0) / 1000.0, 1e-12);
}

}  // namespace
}  // namespace vox::calltest
