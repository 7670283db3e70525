// Every error class of the API: the exact status, application/problem+json,
// the stable code and request_id equal to X-Request-Id; and that a refused
// write changes nothing that can be read back.
#include "api_server.hpp"

#include <set>

namespace vox::apitest {
namespace {

class ErrorsTest : public ApiTest {
protected:
    // Everything the API can show, for before/after comparisons (last_used_at of
    // keys is informative bookkeeping and left out).
    Json snapshot() {
        Json state = Json::object();
        for (const char* collection : {"/api/agents", "/api/phone-numbers", "/api/calls"}) {
            Json items = Json::array();
            for (auto& item : list_all(collection)) items.push_back(item);
            state[collection] = items;
        }
        Json flows = Json::object();
        for (const auto& item : state["/api/agents"]) {
            std::string id = item["id"];
            flows[id] = api->get("/api/agents/" + id + "/flow").json();
        }
        state["flows"] = flows;
        Json keys = api->get("/api/keys").json();
        for (auto& key : keys) key.erase("last_used_at");
        state["/api/keys"] = keys;
        return state;
    }

    // Agent, flow, assigned number and call to have something to change.
    void populate() {
        agent = create_agent(Json{{"name", "Original"}, {"settings", {{"temperature", 0.3}}}});
        agent_id = agent["id"];
        ASSERT_EQ(api->put("/api/agents/" + agent_id + "/flow",
                           {{"start_node_id", "a"},
                            {"nodes", {{{"id", "a"}, {"type", "conversation"}, {"config", {{"text", "Hi"}}}}}},
                            {"edges", Json::array()}})
                      .status,
                  200);
        number = create_number({{"number", "+14155550110"}, {"assigned_agent_id", agent_id}});
        number_id = number["id"];
        create_call({{"agent_id", agent_id}, {"direction", "web"}, {"status", "completed"}});
    }

    Json agent, number;
    std::string agent_id, number_id;
};

TEST_P(ErrorsTest, MalformedJsonIs400) {
    for (const char* body : {"{\"name\":", "{name: \"x\"}", "{\"name\":\"x\"} trailing", "{\"name\":\"x\",}", "'x'",
                             "{\"name\":\"x\"}{}", "nul", "{\"name\":\"\\q\"}", "[1,2"}) {
        auto reply = api->request("POST", "/api/agents", std::string(body));
        EXPECT_PROBLEM(reply, 400, "malformed_json") << body;
    }
    EXPECT_PROBLEM(api->request("POST", "/api/agents", std::string()), 400, "empty_body");
    // Without a body there is no content type either.
    EXPECT_PROBLEM(api->request("POST", "/api/agents", std::nullopt), 415, "unsupported_media_type");
    std::string id = create_agent("Target")["id"];
    EXPECT_PROBLEM(api->request("PUT", "/api/agents/" + id, std::string("{")), 400, "malformed_json");
    EXPECT_PROBLEM(api->request("PUT", "/api/agents/" + id + "/flow", std::string("[")), 400, "malformed_json");
    EXPECT_PROBLEM(api->request("POST", "/api/phone-numbers", std::string("{\"number\":+1}")), 400, "malformed_json");
    EXPECT_PROBLEM(api->request("POST", "/api/calls", std::string("}")), 400, "malformed_json");
    EXPECT_PROBLEM(api->request("POST", "/api/keys", std::string("{\"name\"}")), 400, "malformed_json");
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
}

TEST_P(ErrorsTest, EveryApiRouteNeedsAKey) {
    std::string id = create_agent("Guarded")["id"];
    std::vector<std::pair<std::string, std::string>> routes = {{"GET", "/api/agents"},
                                                               {"POST", "/api/agents"},
                                                               {"GET", "/api/agents/" + id},
                                                               {"PUT", "/api/agents/" + id},
                                                               {"DELETE", "/api/agents/" + id},
                                                               {"GET", "/api/agents/" + id + "/flow"},
                                                               {"PUT", "/api/agents/" + id + "/flow"},
                                                               {"GET", "/api/calls"},
                                                               {"POST", "/api/calls"},
                                                               {"GET", "/api/calls/call_x"},
                                                               {"GET", "/api/phone-numbers"},
                                                               {"POST", "/api/phone-numbers"},
                                                               {"GET", "/api/phone-numbers/pn_x"},
                                                               {"PUT", "/api/phone-numbers/pn_x"},
                                                               {"DELETE", "/api/phone-numbers/pn_x"},
                                                               {"GET", "/api/keys"},
                                                               {"POST", "/api/keys"},
                                                               {"DELETE", "/api/keys/key_x"},
                                                               {"GET", "/api/plugins"},
                                                               {"POST", "/api/system/reload"},
                                                               {"POST", "/api/test/tts"},
                                                               {"GET", "/api/analytics"},
                                                               {"GET", "/api/calls/call_x/recording"}};
    auto anonymous = voxd->client("");
    auto wrong = voxd->client("vox_0000000000000000000000000000000000000000");
    for (const auto& [method, path] : routes) {
        SCOPED_TRACE(method + " " + path);
        std::optional<std::string> body;
        if (method == "POST" || method == "PUT") body = "{\"name\":\"x\"}";
        auto missing = anonymous.request(method, path, body);
        EXPECT_PROBLEM(missing, 401, "missing_api_key");
        EXPECT_EQ(missing.header("www-authenticate"), "Bearer realm=\"vox\"");
        auto invalid = wrong.request(method, path, body);
        EXPECT_PROBLEM(invalid, 401, "invalid_api_key");
        EXPECT_EQ(invalid.header("www-authenticate"), "Bearer realm=\"vox\"");
        for (const char* header : {"Basic dm94OnZveA==", "Bearer", "Bearer  ", "Token abc", "Bearer a b"}) {
            auto odd = anonymous.request(method, path, body, {{"Authorization", header}});
            EXPECT_EQ(odd.status, 401) << header << " -> " << odd.describe();
            EXPECT_FALSE(odd.header("www-authenticate").empty()) << header;
        }
    }
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
    EXPECT_EQ(api->get("/api/agents/" + id).json()["name"], "Guarded");
    // The scheme is case-insensitive.
    EXPECT_EQ(anonymous.get("/api/agents", {{"Authorization", std::string("bearer ") + kTestApiKey}}).status, 200);
}

TEST_P(ErrorsTest, ProbesMetricsAndTheDocumentAreOpen) {
    auto anonymous = voxd->client("");
    auto health = anonymous.get("/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.json()["status"], "ok");
    auto metrics = anonymous.get("/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("# TYPE"), std::string::npos);
    auto document = anonymous.get("/openapi.json");
    EXPECT_EQ(document.status, 200);
    EXPECT_EQ(document.media_type(), "application/json");
}

TEST_P(ErrorsTest, UnknownThingsAre404) {
    // Paths outside the API's prefixes belong to the dashboard (tests/api/static_files_test.cpp), except files.
    for (const char* path : {"/api/nope", "/api/agents/a/b/c", "/api", "/api/agents/x/flow/extra", "/openapi.yaml"}) {
        auto reply = api->get(path);
        EXPECT_PROBLEM(reply, 404, "not_found") << path;
    }
    for (const char* path : {"/api/agents/agent_missing", "/api/agents/agent_missing/flow", "/api/calls/call_missing",
                             "/api/phone-numbers/pn_missing"}) {
        auto reply = api->get(path);
        EXPECT_PROBLEM(reply, 404, "not_found") << path;
        EXPECT_NE(reply.json().value("detail", "").find("missing"), std::string::npos) << reply.body;
    }
    EXPECT_PROBLEM(api->put("/api/agents/agent_missing", {{"name", "x"}}), 404, "not_found");
    EXPECT_PROBLEM(api->del("/api/agents/agent_missing"), 404, "not_found");
    EXPECT_PROBLEM(api->put("/api/phone-numbers/pn_missing", {{"nickname", "x"}}), 404, "not_found");
    EXPECT_PROBLEM(api->del("/api/phone-numbers/pn_missing"), 404, "not_found");
    EXPECT_PROBLEM(api->del("/api/keys/key_missing"), 404, "not_found");
}

TEST_P(ErrorsTest, WrongMethodsAre405WithAllow) {
    struct Case {
        const char* method;
        const char* path;
        const char* allow;
    };
    for (const auto& c :
         {Case{"DELETE", "/api/agents", "GET, HEAD, POST"},
          Case{"PATCH", "/api/agents/agent_x", "DELETE, GET, HEAD, PUT"},
          Case{"POST", "/api/agents/agent_x/flow", "GET, HEAD, PUT"}, Case{"PUT", "/api/calls", "GET, HEAD, POST"},
          Case{"DELETE", "/api/calls/call_x", "GET, HEAD"}, Case{"PUT", "/api/phone-numbers", "GET, HEAD, POST"},
          Case{"POST", "/api/phone-numbers/pn_x", "DELETE, GET, HEAD, PUT"},
          Case{"PUT", "/api/keys", "GET, HEAD, POST"}, Case{"GET", "/api/keys/key_x", "DELETE"},
          Case{"POST", "/healthz", "GET, HEAD"}, Case{"DELETE", "/openapi.json", "GET, HEAD"}}) {
        auto reply = api->request(c.method, c.path);
        EXPECT_PROBLEM(reply, 405, "method_not_allowed") << c.method << " " << c.path;
        EXPECT_EQ(reply.header("allow"), c.allow) << c.method << " " << c.path;
    }
}

TEST_P(ErrorsTest, ConflictsAre409AndChangeNothing) {
    populate();
    Json before = snapshot();
    auto duplicate = api->post("/api/phone-numbers", {{"number", "+14155550110"}});
    EXPECT_PROBLEM(duplicate, 409, "duplicate_phone_number");
    auto duplicate_assigned = api->post(
        "/api/phone-numbers", {{"number", "+14155550110"}, {"assigned_agent_id", agent_id}, {"nickname", "2"}});
    EXPECT_PROBLEM(duplicate_assigned, 409, "duplicate_phone_number");
    EXPECT_PROBLEM(api->del("/api/agents/" + agent_id), 409, "agent_has_phone_numbers");
    Json keys = api->get("/api/keys").json();
    EXPECT_PROBLEM(api->del("/api/keys/" + keys[0]["id"].get<std::string>()), 409, "last_api_key");
    EXPECT_EQ(snapshot(), before);
    int with_number = 0;
    for (const auto& item : list_all("/api/phone-numbers")) with_number += item["number"] == "+14155550110";
    EXPECT_EQ(with_number, 1);
}

TEST_P(ErrorsTest, ValidationFailuresAre422WithJsonPointers) {
    struct Case {
        Json body;
        std::string field;
    };
    std::vector<Case> cases = {
        {{{"name", "x"}, {"settings", {{"temperature", 2.01}}}}, "/settings/temperature"},
        {{{"name", "x"}, {"settings", {{"temperature", -0.1}}}}, "/settings/temperature"},
        {{{"name", "x"}, {"settings", {{"max_tokens", 0}}}}, "/settings/max_tokens"},
        {{{"name", "x"}, {"settings", {{"max_tokens", -5}}}}, "/settings/max_tokens"},
        {{{"name", "x"}, {"settings", {{"max_tokens", 1.5}}}}, "/settings/max_tokens"},
        {{{"name", "x"}, {"settings", {{"tts_speed", 0.49}}}}, "/settings/tts_speed"},
        {{{"name", "x"}, {"settings", {{"tts_speed", 2.5}}}}, "/settings/tts_speed"},
        {{{"name", "x"}, {"settings", {{"endpointing_ms", 99}}}}, "/settings/endpointing_ms"},
        {{{"name", "x"}, {"settings", {{"speak_first", "yes"}}}}, "/settings/speak_first"},
        {{{"name", "x"}, {"settings", {{"loudness", 11}}}}, "/settings"},
        {{{"name", "x"}, {"status", "paused"}}, "/status"},
        {{{"name", ""}}, "/name"},
        {{{"name", std::string(201, 'n')}}, "/name"},
        {{{"name", "x"}, {"language", "english"}}, "/language"},
        {{{"name", "x"}, {"stt_provider", "Bad Name"}}, "/stt_provider"},
        {{{"name", "x"}, {"metadata", "not an object"}}, "/metadata"},
        {{{"name", "x"}, {"description", std::string(2001, 'd')}}, "/description"},
        {{{"name", 42}}, "/name"},
        {{{"description", "no name"}}, "/name"},
    };
    for (const auto& c : cases) {
        auto reply = api->post("/api/agents", c.body);
        EXPECT_PROBLEM(reply, 422, "validation_failed") << c.body.dump().substr(0, 200);
        auto fields = error_fields(reply);
        EXPECT_NE(std::find(fields.begin(), fields.end(), c.field), fields.end())
            << "expected an error at " << c.field << " for " << c.body.dump().substr(0, 200) << ": " << reply.body;
        const Json body = reply.json();  // kept alive: the loop walks a part of it
        for (const auto& error : body["errors"]) {
            EXPECT_TRUE(error["message"].is_string() && !error["message"].get<std::string>().empty()) << error.dump();
            std::string field = error.value("field", "?");
            EXPECT_TRUE(field.empty() || field[0] == '/') << "not a JSON Pointer: " << field;
        }
    }
    // An unknown member is refused as a whole.
    EXPECT_PROBLEM(api->post("/api/agents", {{"name", "x"}, {"colour", "blue"}}), 422, "validation_failed");
    // The bounds themselves are fine.
    create_agent(
        Json{{"name", "bounds low"},
             {"settings", {{"temperature", 0}, {"max_tokens", 1}, {"tts_speed", 0.5}, {"endpointing_ms", 100}}}});
    create_agent(
        Json{{"name", "bounds high"},
             {"settings", {{"temperature", 2}, {"max_tokens", 32768}, {"tts_speed", 2}, {"endpointing_ms", 5000}}}});
    EXPECT_EQ(list_all("/api/agents").size(), 2u);
}

TEST_P(ErrorsTest, RejectedWritesChangeNothing) {
    populate();
    Json before = snapshot();
    std::string agent_path = "/api/agents/" + agent_id;
    std::vector<std::pair<std::string, Reply>> attempts;
    auto attempt = [&](const std::string& what, Reply reply) {
        EXPECT_GE(reply.status, 400) << what << ": " << reply.describe();
        EXPECT_LT(reply.status, 500) << what << ": " << reply.describe();
        attempts.emplace_back(what, std::move(reply));
    };
    // Schema-invalid together with a valid change: neither is applied.
    attempt("agent 422 schema", api->put(agent_path, {{"name", "Changed"}, {"settings", {{"temperature", 3}}}}));
    attempt("agent 422 provider", api->put(agent_path, {{"name", "Changed"}, {"voice", "nobody"}}));
    attempt("agent 422 model", api->put(agent_path, {{"name", "Changed"}, {"model", "gpt-4o"}}));
    attempt("agent 400", api->request("PUT", agent_path, std::string("{\"name\":\"Changed\"")));
    attempt("agent 415",
            api->request("PUT", agent_path, std::string("{\"name\":\"Changed\"}"), {{"Content-Type", "text/plain"}}));
    attempt("flow 422", api->put(agent_path + "/flow",
                                 {{"start_node_id", "zz"},
                                  {"nodes", {{{"id", "b"}, {"type", "conversation"}, {"config", {{"text", "Hi"}}}}}},
                                  {"edges", Json::array()}}));
    attempt("number 422",
            api->put("/api/phone-numbers/" + number_id, {{"nickname", "Changed"}, {"number", "+14155550111"}}));
    attempt("number 422 agent", api->put("/api/phone-numbers/" + number_id,
                                         {{"nickname", "Changed"}, {"assigned_agent_id", "agent_gone"}}));
    attempt("number 409", api->post("/api/phone-numbers", {{"number", "+14155550110"}}));
    attempt("agent 409", api->del(agent_path));
    attempt("new agent 422", api->post("/api/agents", {{"name", "New"}, {"language", "xx-XX"}}));
    attempt("call 422",
            api->post("/api/calls", {{"agent_id", "agent_gone"}, {"direction", "web"}, {"status", "completed"}}));
    attempt("key 422", api->post("/api/keys", {{"name", "k"}, {"role", "owner"}}));
    Json reader = api->post("/api/keys", {{"name", "reader"}, {"role", "read_only"}}).json();
    before = snapshot();  // now with the reader key
    auto read_only = voxd->client(reader["key"]);
    attempt("read-only 403", read_only.put(agent_path, {{"name", "Changed"}}));
    attempt("read-only 403 post", read_only.post("/api/agents", {{"name", "New"}}));
    auto anonymous = voxd->client("");
    attempt("anonymous 401", anonymous.put(agent_path, {{"name", "Changed"}}));
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(api->get(agent_path).json(), agent);
    EXPECT_EQ(api->get("/api/phone-numbers/" + number_id).json(), number);
}

TEST_P(ErrorsTest, BodiesOverTheLimitAre413) {
    std::string agent_json = "{\"name\":\"padded\"}";
    std::string exactly(1 << 20, ' ');
    exactly.replace(0, agent_json.size(), agent_json);
    auto fits = api->request("POST", "/api/agents", exactly);
    EXPECT_EQ(fits.status, 201) << fits.describe();

    std::string over = exactly + " ";
    std::string request =
        "POST /api/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + std::string(kTestApiKey) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(over.size()) + "\r\n\r\n" + over;
    auto reply = raw_exchange(voxd->port(), request);
    ASSERT_PROBLEM(reply, 413, "body_too_large");
    EXPECT_EQ(reply.json()["max_bytes"], 1 << 20);
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
}

TEST_P(ErrorsTest, TheBodyLimitFollowsConfiguration) {
    voxd->stop();
    ASSERT_TRUE(voxd->start({{"VOX_HTTP_MAX_BODY_BYTES", "2048"}}));
    api.emplace(voxd->client());
    std::string small = "{\"name\":\"small\",\"description\":\"" + std::string(1900, 'd') + "\"}";
    EXPECT_EQ(api->request("POST", "/api/agents", small).status, 201);
    std::string big = "{\"name\":\"big\",\"description\":\"" + std::string(2100, 'd') + "\"}";
    auto reply = raw_exchange(
        voxd->port(), "POST /api/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(kTestApiKey) +
                          "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(big.size()) +
                          "\r\n\r\n" + big);
    ASSERT_PROBLEM(reply, 413, "body_too_large");
    EXPECT_EQ(reply.json()["max_bytes"], 2048);
}

TEST_P(ErrorsTest, NonJsonContentTypesAre415) {
    std::string body = "{\"name\":\"typed\"}";
    for (const char* type : {"text/plain", "application/xml", "application/x-www-form-urlencoded", "application/jsonx",
                             "multipart/form-data; boundary=x", "json", ""}) {
        auto reply = api->request("POST", "/api/agents", body, {{"Content-Type", type}});
        EXPECT_PROBLEM(reply, 415, "unsupported_media_type") << "'" << type << "'";
    }
    std::string id = create_agent("Existing")["id"];
    EXPECT_PROBLEM(api->request("PUT", "/api/agents/" + id, body, {{"Content-Type", "text/plain"}}), 415,
                   "unsupported_media_type");
    EXPECT_PROBLEM(api->request("POST", "/api/keys", std::string("{\"name\":\"k\"}"), {{"Content-Type", "text/csv"}}),
                   415, "unsupported_media_type");
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
    for (const char* type : {"application/json; charset=utf-8", "Application/JSON", "application/problem+json",
                             "application/vnd.vox+json"}) {
        auto reply = api->request("POST", "/api/agents", body, {{"Content-Type", type}});
        EXPECT_EQ(reply.status, 201) << type << " -> " << reply.describe();
    }
}

TEST_P(ErrorsTest, RequestIdsAreEchoedOrGenerated) {
    auto echoed = api->get("/api/agents/agent_missing", {{"X-Request-Id", "trace-42.a_b:c"}});
    EXPECT_PROBLEM(echoed, 404, "not_found");
    EXPECT_EQ(echoed.header("x-request-id"), "trace-42.a_b:c");
    std::set<std::string> generated;
    for (const char* supplied : {"has space", "", "<script>"}) {
        auto reply = api->get("/api/agents/agent_missing", {{"X-Request-Id", supplied}});
        EXPECT_PROBLEM(reply, 404, "not_found");
        EXPECT_NE(reply.header("x-request-id"), supplied);
        generated.insert(reply.header("x-request-id"));
    }
    auto too_long = api->get("/api/agents/agent_missing", {{"X-Request-Id", std::string(129, 'a')}});
    EXPECT_PROBLEM(too_long, 404, "not_found");
    generated.insert(too_long.header("x-request-id"));
    EXPECT_EQ(generated.size(), 4u) << "generated request ids repeat";
}

TEST_P(ErrorsTest, RefusedBodiesAreNotReadAsTheNextRequest) {
    // A keep-alive client whose request is refused before its body is read
    // (401, 403, 405, 415, 413) sends its next request on the same connection:
    // the server must answer that request, not the leftover body bytes.
    std::string reader_key =
        api->post("/api/keys", {{"name", "reader"}, {"role", "read_only"}}).json().value("key", "");
    struct Case {
        const char* what;
        std::string key;
        std::string method;
        std::string path;
        Headers headers;
        int status;
    };
    for (const auto& c :
         {Case{"401", "", "POST", "/api/agents", {}, 401}, Case{"403", reader_key, "POST", "/api/agents", {}, 403},
          Case{"405", std::string(kTestApiKey), "PUT", "/api/agents", {}, 405},
          Case{"415", std::string(kTestApiKey), "POST", "/api/agents", {{"Content-Type", "text/plain"}}, 415},
          Case{"404", std::string(kTestApiKey), "POST", "/api/nothing-here", {}, 404}}) {
        SCOPED_TRACE(c.what);
        Client client = voxd->client(c.key);
        client.set_reuse_after_refused_body(true);
        auto refused = client.request(c.method, c.path, std::string("{\"name\":\"leftover\"}"), c.headers);
        EXPECT_EQ(refused.status, c.status) << refused.describe();
        auto next = client.get("/healthz");
        EXPECT_EQ(next.status, 200) << "the answer to the next request on the connection: " << next.describe();
    }
    EXPECT_TRUE(list_all("/api/agents").empty());
}

TEST_P(ErrorsTest, ARefusedBodyIsNeverExecutedAsARequest) {
    // Request smuggling: an unauthenticated request whose body is a complete
    // authenticated request. Only the outer request may be answered.
    std::string id = create_agent("Victim")["id"];
    std::string inner = "DELETE /api/agents/" + id + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                        std::string(kTestApiKey) + "\r\n\r\n";
    std::string outer = "POST /api/agents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(inner.size()) + "\r\n\r\n" + inner;
    RawOptions options;
    options.read_until_close = true;
    options.timeout = std::chrono::milliseconds(1500);
    auto reply = raw_exchange(voxd->port(), outer, options);
    EXPECT_PROBLEM(reply, 401, "missing_api_key");
    std::size_t answers = 0;
    for (std::size_t at = reply.raw.find("HTTP/1.1 "); at != std::string::npos;
         at = reply.raw.find("HTTP/1.1 ", at + 1))
        ++answers;
    EXPECT_EQ(answers, 1u) << "the body was answered as a request of its own:\n" << reply.raw.substr(0, 1500);
    EXPECT_EQ(api->get("/api/agents/" + id).status, 200) << "the smuggled DELETE was executed";
}

VOX_API_BOTH_BACKENDS(ErrorsTest);

}  // namespace
}  // namespace vox::apitest
