// POST /api/calls/start, /api/calls/end and /api/test/create-room against a
// real voxd (docs/protocol.md sections 1 and 8): validation, refusals, the
// record of a call, its end by the API, by token expiry (no_connection) and
// by shutdown, and calls left in progress by a crash.
#include "call_api_fixture.hpp"

#include <regex>

namespace vox::calltest {
namespace {

using apitest::error_fields;

class WebCallApiTest : public CallApiTest {};

TEST_P(WebCallApiTest, StartAnswersWithWhereAndHowToJoin) {
    Json agent_doc = agent();
    auto reply = api->post("/api/calls/start",
                           {{"agent_id", agent_doc["id"]}, {"variables", {{"clinic", "Northside"}}}, {"sample_rate", 8000}});
    ASSERT_EQ(reply.status, 201) << reply.describe();
    Json call = reply.json();
    std::string id = call["call_id"];
    EXPECT_TRUE(std::regex_match(id, std::regex("^call_[0-9A-Za-z]+$"))) << id;
    EXPECT_EQ(reply.header("location"), "/api/calls/" + id);
    EXPECT_EQ(call["agent_id"], agent_doc["id"]);
    EXPECT_EQ(call["sample_rate"], 8000);
    std::string token = call["access_token"];
    EXPECT_TRUE(std::regex_match(token, std::regex("^[A-Za-z0-9_-]{43}$"))) << token;
    EXPECT_EQ(call["socket_url"], "ws://127.0.0.1:9/calls/" + id + "?access_token=" + token);
    EXPECT_EQ(call["events_url"], "ws://127.0.0.1:" + std::to_string(voxd->port()) + "/ws/calls/" + id);
    EXPECT_TRUE(apitest::is_utc_timestamp(call["expires_at"])) << call["expires_at"];

    auto stored = api->get("/api/calls/" + id).json();
    EXPECT_EQ(stored["status"], "in_progress");
    EXPECT_EQ(stored["direction"], "web");
    EXPECT_EQ(stored["agent_id"], agent_doc["id"]);
    EXPECT_TRUE(stored["ended_at"].is_null());
    EXPECT_EQ(stored["metadata"], Json({{"variables", {{"clinic", "Northside"}}}, {"test", false}}));
    auto in_progress = list_all("/api/calls?status=in_progress&direction=web");
    EXPECT_EQ(ids_of(in_progress), std::vector<std::string>{id});
}

TEST_P(WebCallApiTest, ATestRoomIsAWebCallMarkedAsATest) {
    Json agent_doc = agent();
    auto reply = api->post("/api/test/create-room", {{"agent_id", agent_doc["id"]}});
    ASSERT_EQ(reply.status, 201) << reply.describe();
    Json room = reply.json();
    EXPECT_EQ(room["sample_rate"], 16000);
    auto stored = api->get("/api/calls/" + room["call_id"].get<std::string>()).json();
    EXPECT_EQ(stored["status"], "in_progress");
    EXPECT_EQ(stored["metadata"]["test"], true);
    EXPECT_PROBLEM(api->post("/api/test/create-room", {{"agent_id", "agent_unknown0"}}), 404, "agent_not_found");
}

TEST_P(WebCallApiTest, StartRefusesBadInput) {
    Json agent_doc = agent();
    std::string id = agent_doc["id"];
    auto missing = api->post("/api/calls/start", Json::object());
    EXPECT_PROBLEM(missing, 422, "validation_failed");
    auto rate = api->post("/api/calls/start", {{"agent_id", id}, {"sample_rate", 11025}});
    EXPECT_PROBLEM(rate, 422, "validation_failed");
    EXPECT_EQ(error_fields(rate), std::vector<std::string>{"/sample_rate"});
    auto variables = api->post("/api/calls/start", {{"agent_id", id}, {"variables", {{"name", 42}}}});
    EXPECT_PROBLEM(variables, 422, "validation_failed");
    EXPECT_EQ(error_fields(variables), std::vector<std::string>{"/variables/name"});
    EXPECT_PROBLEM(api->post("/api/calls/start", {{"agent_id", id}, {"variables", "x"}}), 422, "validation_failed");
    EXPECT_PROBLEM(api->post("/api/calls/start", {{"agent_id", id}, {"speed", 2}}), 422, "validation_failed");
    EXPECT_PROBLEM(api->post("/api/calls/start", {{"agent_id", "nope"}}), 422, "validation_failed");
    EXPECT_PROBLEM(api->post("/api/calls/start", {{"agent_id", "agent_doesnotexist"}}), 404, "agent_not_found");

    ASSERT_EQ(api->put("/api/agents/" + id, {{"status", "inactive"}}).status, 200);
    EXPECT_PROBLEM(api->post("/api/calls/start", {{"agent_id", id}}), 409, "agent_inactive");
    EXPECT_TRUE(list_all("/api/calls").empty()) << "a refused start leaves no record";
}

TEST_P(WebCallApiTest, EndHangsUpOnceAndAnswersWithTheRecord) {
    Json call = start_call(agent()["id"]);
    std::string id = call["call_id"];
    auto ended = api->post("/api/calls/end", {{"call_id", id}});
    ASSERT_EQ(ended.status, 200) << ended.describe();
    Json record = ended.json();
    EXPECT_EQ(record["id"], id);
    EXPECT_EQ(record["status"], "completed");
    EXPECT_EQ(record["disconnection_reason"], "api_hangup");
    EXPECT_TRUE(apitest::is_utc_timestamp(record["ended_at"]));
    EXPECT_EQ(api->get("/api/calls/" + id).json(), record) << "the answer is the stored record";

    auto again = api->post("/api/calls/end", {{"call_id", id}});
    EXPECT_PROBLEM(again, 409, "call_not_active");
    EXPECT_EQ(again.json()["call_status"], "completed");
    EXPECT_PROBLEM(api->post("/api/calls/end", {{"call_id", "call_doesnotexist"}}), 404, "call_not_found");
    EXPECT_PROBLEM(api->post("/api/calls/end", Json::object()), 422, "validation_failed");
    EXPECT_PROBLEM(api->post("/api/calls/end", {{"call_id", "agent_x"}}), 422, "validation_failed");

    // A call logged elsewhere as in progress is no live call of this server.
    Json logged = create_call({{"agent_id", call["agent_id"]}, {"direction", "inbound"}, {"status", "in_progress"}});
    auto foreign = api->post("/api/calls/end", {{"call_id", logged["id"]}});
    EXPECT_PROBLEM(foreign, 409, "call_not_active");
    EXPECT_EQ(foreign.json()["call_status"], "in_progress");

    // A read-only key may not end calls.
    auto keys = api->post("/api/keys", {{"name", "viewer"}, {"role", "read_only"}});
    ASSERT_EQ(keys.status, 201) << keys.describe();
    auto viewer = voxd->client(keys.json()["key"]);
    EXPECT_PROBLEM(viewer.post("/api/calls/start", {{"agent_id", call["agent_id"]}}), 403, "forbidden");
}

TEST_P(WebCallApiTest, ACallNobodyJoinsEndsWithNoConnectionWhenTheTokenExpires) {
    restart({{"VOX_CALLS_TOKEN_TTL_MS", "300"}});
    Json call = start_call(agent()["id"]);
    Json record = wait_until_ended(call["call_id"], std::chrono::seconds(10));
    EXPECT_EQ(record["status"], "failed");
    EXPECT_EQ(record["disconnection_reason"], "no_connection");
    EXPECT_EQ(record["duration"], 0);
    auto stats = api->get("/api/agents/" + call["agent_id"].get<std::string>()).json()["stats"];
    EXPECT_EQ(stats["calls_handled"], 0) << "nobody talked to the agent";
}

TEST_P(WebCallApiTest, LiveCallsAreLimited) {
    restart({{"VOX_CALLS_MAX_CONCURRENT_CALLS", "2"}});
    std::string agent_id = agent()["id"];
    Json first = start_call(agent_id);
    start_call(agent_id);
    // (The OpenAPI checker counts every 5xx as a fault: the expected ones go around it.)
    auto unchecked = voxd->unchecked_client();
    EXPECT_PROBLEM(unchecked.post("/api/calls/start", {{"agent_id", agent_id}}), 503, "too_many_calls");
    ASSERT_EQ(api->post("/api/calls/end", {{"call_id", first["call_id"]}}).status, 200);
    start_call(agent_id);
}

TEST_P(WebCallApiTest, WithoutTheTransportOrAProviderCallsAreRefused) {
    std::string agent_id = agent()["id"];
    restart({{"VOX_PLUGIN_DISABLED", "transport.websocket"}});
    auto no_transport = voxd->unchecked_client().post("/api/calls/start", {{"agent_id", agent_id}});
    EXPECT_PROBLEM(no_transport, 503, "transport_unavailable");
    restart({{"VOX_PLUGIN_DISABLED", "stt.pocketsphinx"}});
    auto no_stt = voxd->unchecked_client().post("/api/calls/start", {{"agent_id", agent_id}});
    EXPECT_PROBLEM(no_stt, 503, "provider_unavailable");
    EXPECT_EQ(no_stt.json()["provider"], "stt.pocketsphinx");
    EXPECT_NE(no_stt.json()["detail"].get<std::string>().find("stt.pocketsphinx"), std::string::npos);
}

TEST_P(WebCallApiTest, CallsInProgressWhenVoxdDiesFailWithServerRestartAtTheNextStart) {
    std::string agent_id = agent()["id"];
    Json call = start_call(agent_id);
    std::string id = call["call_id"];
    voxd->kill9();
    ASSERT_TRUE(voxd->start(environment()));
    api.emplace(voxd->client());
    Json record = api->get("/api/calls/" + id).json();
    EXPECT_EQ(record["status"], "failed");
    EXPECT_EQ(record["disconnection_reason"], "server_restart");
    EXPECT_TRUE(apitest::is_utc_timestamp(record["ended_at"])) << record.dump();
    EXPECT_TRUE(api->get("/api/calls?status=in_progress").json().empty());
}

TEST_P(WebCallApiTest, StoppingVoxdEndsLiveCallsWithServerRestart) {
    Json call = start_call(agent()["id"]);
    api.reset();
    voxd->stop();
    EXPECT_NE(voxd->output().find("ending live calls"), std::string::npos) << voxd->output();
    ASSERT_TRUE(voxd->start(environment()));
    api.emplace(voxd->client());
    EXPECT_EQ(voxd->output().find("calls left in progress"), std::string::npos) << "the stop stored them already";
    Json record = api->get("/api/calls/" + call["call_id"].get<std::string>()).json();
    EXPECT_EQ(record["status"], "failed");
    EXPECT_EQ(record["disconnection_reason"], "server_restart");
}

VOX_API_BOTH_BACKENDS(WebCallApiTest);

}  // namespace
}  // namespace vox::calltest
