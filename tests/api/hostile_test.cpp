// Hostile input never yields a server error or takes voxd down: deep nesting,
// oversized and chunked bodies, broken UTF-8, non-object documents, huge
// numbers, the wrong type in every field the document describes, odd paths,
// queries and headers, lying Content-Length; then a randomised loop of
// mutated agent bodies. After each, /healthz must still answer 200.
#include "api_server.hpp"

#include <iostream>
#include <random>
#include <set>

namespace vox::apitest {
namespace {

using namespace std::chrono_literals;

// A server that gets stuck on a request must not stall the suite for long.
constexpr auto kHostileTimeout = 3s;

std::string raw_post(const std::string& path, const std::string& body, const std::string& extra_headers = "",
                     const std::string& content_type = "application/json") {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + std::string(kTestApiKey) +
           "\r\nContent-Type: " + content_type + "\r\n" + extra_headers + "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::string raw_get(const std::string& target, const std::string& extra_headers = "") {
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + std::string(kTestApiKey) +
           "\r\n" + extra_headers + "\r\n";
}

RawOptions quick() {
    RawOptions options;
    options.timeout = kHostileTimeout;
    return options;
}

class HostileTest : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        if (api) api->set_timeout(kHostileTimeout);
    }
    // Still serving, and the reply (if any) was no server error.
    void expect_survived(const std::string& what, const Reply& reply) {
        EXPECT_LT(reply.status, 500) << what << " -> " << reply.describe();
        EXPECT_TRUE(voxd->healthy()) << "voxd stopped answering after " << what << "\n" << voxd->output().substr(0, 3000);
    }
};

TEST_P(HostileTest, DeeplyNestedJsonIs400) {
    std::string open(100000, '[');
    auto unclosed = api->request("POST", "/api/agents", open);
    EXPECT_PROBLEM(unclosed, 400, "malformed_json");
    expect_survived("100000 unclosed [", unclosed);

    auto closed = api->request("POST", "/api/agents", open + std::string(100000, ']'));
    EXPECT_PROBLEM(closed, 400, "json_too_deep");
    expect_survived("100000 nested arrays", closed);

    std::string objects;
    for (int i = 0; i < 50000; ++i) objects += "{\"a\":";
    objects += "1";
    for (int i = 0; i < 50000; ++i) objects += "}";
    auto nested_objects = api->request("POST", "/api/agents", objects);
    EXPECT_PROBLEM(nested_objects, 400, "json_too_deep");
    expect_survived("50000 nested objects", nested_objects);

    // Within the limit is fine; just past it is not.
    auto metadata = [](int depth) {
        Json value = "leaf";
        for (int i = 0; i < depth; ++i) value = Json{{"k", value}};
        return Json{{"name", "nested"}, {"metadata", value}};
    };
    auto shallow = api->post("/api/agents", metadata(20));
    EXPECT_EQ(shallow.status, 201) << shallow.describe();
    EXPECT_PROBLEM(api->post("/api/agents", metadata(70)), 400, "json_too_deep");
    auto flow = api->request("PUT", "/api/agents/agent_x/flow", open + std::string(100000, ']'));
    EXPECT_PROBLEM(flow, 400, "json_too_deep");
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
}

TEST_P(HostileTest, TwoMebibyteBodyIs413) {
    std::string body = "{\"name\":\"" + std::string(2 << 20, 'x') + "\"}";
    auto reply = raw_exchange(voxd->port(), raw_post("/api/agents", body), quick());
    EXPECT_PROBLEM(reply, 413, "body_too_large");
    expect_survived("2 MiB body", reply);
    // The same to every endpoint with a body.
    for (const char* path : {"/api/phone-numbers", "/api/calls", "/api/keys"}) {
        auto other = raw_exchange(voxd->port(), raw_post(path, body), quick());
        EXPECT_PROBLEM(other, 413, "body_too_large") << path;
    }
    EXPECT_TRUE(list_all("/api/agents").empty());
}

TEST_P(HostileTest, ChunkedBodiesAreLimitedToo) {
    // Valid and small: accepted.
    auto small = api->post_chunked("/api/agents", "{\"name\":\"chunked\"}");
    EXPECT_EQ(small.status, 201) << small.describe();

    // 2 MiB in 64 KiB chunks: no length up front, refused once past the limit.
    std::string request = "POST /api/agents HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                          std::string(kTestApiKey) +
                          "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    std::string chunk(64 * 1024, ' ');
    chunk.replace(0, 9, "{\"name\":\"");
    request += "10000\r\n" + chunk + "\r\n";
    chunk.assign(64 * 1024, 'y');
    for (int i = 1; i < 32; ++i) request += "10000\r\n" + chunk + "\r\n";
    request += "0\r\n\r\n";
    auto reply = raw_exchange(voxd->port(), request, quick());
    EXPECT_PROBLEM(reply, 413, "body_too_large");
    expect_survived("2 MiB chunked", reply);

    // Malformed chunk sizes and a chunked body cut short.
    for (const std::string& body : {std::string("zz\r\n{}\r\n0\r\n\r\n"), std::string("ffffffffffffffffff\r\n{}"),
                                    std::string("5\r\n{\"na"), std::string("-1\r\n{}\r\n0\r\n\r\n")}) {
        std::string bad = "POST /api/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(kTestApiKey) +
                          "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
        RawOptions options = quick();
        options.shutdown_after_send = true;
        auto broken = raw_exchange(voxd->port(), bad, options);
        expect_survived("bad chunking " + body.substr(0, 10), broken);
    }
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
}

TEST_P(HostileTest, InvalidUtf8InStringsIs400) {
    for (const std::string& text : {std::string("\xff"), std::string("\xc0\xaf"), std::string("\xed\xa0\x80"),
                                    std::string("abc\x80"), std::string("\xf4\x90\x80\x80"), std::string("\xe2\x82")}) {
        std::string body = "{\"name\":\"" + text + "\"}";
        auto reply = api->request("POST", "/api/agents", body);
        expect_survived("invalid UTF-8 " + url_encode(text), reply);
        ASSERT_PROBLEM(reply, 400, "malformed_json") << url_encode(text);
        // In a key, and deeper in the document.
        auto in_key = api->request("POST", "/api/agents", "{\"name\":\"k\",\"metadata\":{\"" + text + "\":1}}");
        ASSERT_PROBLEM(in_key, 400, "malformed_json") << url_encode(text);
    }
    EXPECT_TRUE(list_all("/api/agents").empty());
}

TEST_P(HostileTest, EscapedOddCharactersAreHandled) {
    // A lone surrogate escape is not valid JSON text.
    for (const char* body : {"{\"name\":\"\\ud800\"}", "{\"name\":\"\\udc00x\"}", "{\"name\":\"\\ud800\\u0041\"}"}) {
        auto reply = api->request("POST", "/api/agents", std::string(body));
        EXPECT_PROBLEM(reply, 400, "malformed_json") << body;
    }
    // NUL anywhere (a value or a key) is refused: databases cannot keep it as text.
    for (const char* body : {"{\"name\":\"a\\u0000b\"}", "{\"name\":\"x\",\"metadata\":{\"\\u0000\":\"\\u0000\"}}"}) {
        auto reply = api->request("POST", "/api/agents", std::string(body));
        EXPECT_PROBLEM(reply, 400, "nul_in_string") << body;
    }
    // Control characters, a valid pair, right-to-left marks: stored exactly or refused, never a 5xx.
    for (const char* body : {"{\"name\":\"\\u0001\\u001f\\t\\n\"}", "{\"name\":\"\\ud83d\\ude00 ok\"}",
                             "{\"name\":\"\\u202e\\u200b\"}"}) {
        auto reply = api->request("POST", "/api/agents", std::string(body));
        EXPECT_TRUE(reply.status == 201 || reply.status == 422) << body << " -> " << reply.describe();
        if (reply.status == 201) {
            Json sent = Json::parse(body);
            Json stored = reply.json();
            EXPECT_EQ(stored["name"], sent["name"]) << body;
            auto fetched = api->get("/api/agents/" + stored.value("id", ""));
            EXPECT_EQ(fetched.status, 200) << fetched.describe();
            EXPECT_EQ(fetched.json()["name"], sent["name"]) << body;
            if (sent.contains("metadata")) {
                EXPECT_EQ(fetched.json()["metadata"], sent["metadata"]) << body;
            }
        }
        expect_survived(body, reply);
    }
}

TEST_P(HostileTest, NonObjectDocumentsAre422) {
    std::string agent = create_agent("Target")["id"];
    std::string number = create_number({{"number", "+14155550120"}})["id"];
    std::vector<std::pair<std::string, std::string>> writes = {
        {"POST", "/api/agents"},          {"PUT", "/api/agents/" + agent},        {"PUT", "/api/agents/" + agent + "/flow"},
        {"POST", "/api/phone-numbers"},   {"PUT", "/api/phone-numbers/" + number}, {"POST", "/api/calls"},
        {"POST", "/api/keys"}};
    for (const auto& [method, path] : writes) {
        for (const char* body : {"[]", "[{\"name\":\"x\"}]", "1", "-0.5", "null", "\"name\"", "true", "false"}) {
            auto reply = api->request(method, path, std::string(body));
            EXPECT_PROBLEM(reply, 422, "validation_failed") << method << " " << path << " " << body;
        }
    }
    EXPECT_TRUE(voxd->healthy());
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
    EXPECT_EQ(api->get("/api/agents/" + agent).json()["name"], "Target");
}

TEST_P(HostileTest, HugeNumbersNeverCrash) {
    std::string agent = create_agent("Numbers")["id"];
    // Beyond double: not representable, so not valid input.
    for (const std::string& number : {std::string("1e400"), std::string("-1e400"), std::string(400, '9'),
                                      "1" + std::string(10000, '0')}) {
        auto reply = api->request("POST", "/api/agents", "{\"name\":\"x\",\"settings\":{\"temperature\":" + number + "}}");
        EXPECT_PROBLEM(reply, 400, "malformed_json") << number.substr(0, 20);
        expect_survived("number " + number.substr(0, 20), reply);
        auto in_metadata = api->request("PUT", "/api/agents/" + agent, "{\"metadata\":{\"n\":" + number + "}}");
        EXPECT_PROBLEM(in_metadata, 400, "malformed_json") << number.substr(0, 20);
    }
    // Representable but out of range: validation errors.
    for (const char* number : {"1e308", "18446744073709551616", "18446744073709551615", "-9223372036854775809",
                               "9223372036854775807", "4294967297", "1e-320"}) {
        auto reply = api->request("POST", "/api/agents", std::string("{\"name\":\"x\",\"settings\":{\"max_tokens\":") +
                                                             number + "}}");
        EXPECT_PROBLEM(reply, 422, "validation_failed") << number;
        EXPECT_TRUE(error_for(reply, "/settings/max_tokens").is_object()) << number << " " << reply.body;
    }
    // Large but allowed: kept as sent.
    auto call = api->post("/api/calls", {{"agent_id", agent}, {"direction", "web"}, {"status", "completed"},
                                         {"duration", 1e308}, {"metadata", {{"big", 18446744073709551615ull}, {"neg", -9223372036854775807LL - 1}}}});
    ASSERT_EQ(call.status, 201) << call.describe();
    auto fetched = api->get("/api/calls/" + call.json().value("id", "")).json();
    EXPECT_EQ(fetched["duration"], 1e308);
    EXPECT_EQ(fetched["metadata"]["big"], 18446744073709551615ull);
    EXPECT_EQ(fetched["metadata"]["neg"], -9223372036854775807LL - 1);
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
}

// For every property of a request schema in the OpenAPI document: each value
// the document's own schema rejects must be a 422 naming that field, and each
// it accepts must not be a server error. Driven by the document, so a new
// field is covered without touching this test.
struct Endpoint {
    std::string method;
    std::string path;
    std::string schema;  // components name
    Json base;           // a valid body the property is added to
    std::string nested;  // "" or the property holding the schema's object ("settings")
};

TEST_P(HostileTest, WrongTypesInEveryFieldAre422) {
    std::string agent = create_agent("Base")["id"];
    std::string number = create_number({{"number", "+14155550121"}})["id"];
    std::vector<Endpoint> endpoints = {
        {"POST", "/api/agents", "AgentInput", {{"name", "x"}}, ""},
        {"PUT", "/api/agents/" + agent, "AgentInput", Json::object(), ""},
        {"POST", "/api/agents", "AgentSettings", {{"name", "x"}}, "settings"},
        {"PUT", "/api/agents/" + agent + "/flow", "Flow", {{"nodes", Json::array()}, {"edges", Json::array()}}, ""},
        {"PUT", "/api/phone-numbers/" + number, "PhoneNumberInput", Json::object(), ""},
        {"POST", "/api/calls", "CallInput", {{"agent_id", agent}, {"direction", "web"}, {"status", "completed"}}, ""},
        {"POST", "/api/keys", "ApiKeyInput", {{"name", "k"}}, ""},
    };
    const std::vector<Json> values = {123,          -1,          1.5,        true,           false, nullptr,
                                      "a string",   "",          Json::array(), Json::array({1, "x"}), Json::object(),
                                      Json{{"x", 1}}, std::string(3000, 's')};
    const auto& checker = voxd->checker();
    int rejected = 0, accepted = 0;
    std::vector<std::string> server_errors;
    for (const auto& endpoint : endpoints) {
        Json schema = checker.component(endpoint.schema);
        Json request_schema = checker.component(endpoint.nested.empty() ? endpoint.schema : "AgentInput");
        ASSERT_TRUE(schema.contains("properties")) << endpoint.schema;
        for (const auto& [property, property_schema] : schema["properties"].items()) {
            if (property_schema.value("readOnly", false)) continue;
            for (const auto& value : values) {
                Json body = endpoint.base;
                std::string pointer = "/" + property;
                if (endpoint.nested.empty()) {
                    body[property] = value;
                } else {
                    body[endpoint.nested][property] = value;
                    pointer = "/" + endpoint.nested + pointer;
                }
                bool valid = checker.validate(request_schema, body).empty();
                auto reply = api->request(endpoint.method, endpoint.path, body.dump());
                std::string what = endpoint.method + " " + endpoint.path + " " + pointer + "=" + value.dump().substr(0, 40);
                if (reply.status >= 500 || reply.status == 0) {
                    server_errors.push_back(what + " -> " + std::to_string(reply.status));
                    continue;
                }
                if (valid) {
                    ++accepted;
                    continue;
                }
                ++rejected;
                EXPECT_PROBLEM(reply, 422, "validation_failed") << what;
                auto fields = error_fields(reply);
                bool names_it = std::any_of(fields.begin(), fields.end(),
                                            [&](const std::string& f) { return f.rfind(pointer, 0) == 0; });
                EXPECT_TRUE(names_it) << what << ": " << reply.body.substr(0, 500);
            }
        }
    }
    std::string list;
    for (const auto& error : server_errors) list += "\n  " + error;
    EXPECT_TRUE(server_errors.empty()) << server_errors.size() << " server errors:" << list;
    EXPECT_GT(rejected, 300) << "too few wrong-typed values were tried";
    EXPECT_GT(accepted, 20);
    EXPECT_TRUE(voxd->healthy());
}

TEST_P(HostileTest, OddPathSegmentsAre404) {
    std::string real = create_agent("Real")["id"];
    std::vector<std::string> ids = {"a%2Fb", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "%2F", real + "%2Fflow",
                                    "%00", "agent_x%00", "%20", "%25", "'%20OR%20'1'%3D'1", "%22%3B--",
                                    "%E2%80%AE", std::string(5000, 'x'), "%25FF"};
    for (const auto& id : ids) {
        for (const char* collection : {"/api/agents/", "/api/phone-numbers/", "/api/calls/"}) {
            auto reply = api->get(collection + id);
            EXPECT_PROBLEM(reply, 404, "not_found") << collection << id.substr(0, 60);
        }
        EXPECT_PROBLEM(api->put("/api/agents/" + id, {{"name", "x"}}), 404, "not_found") << id.substr(0, 60);
        EXPECT_PROBLEM(api->del("/api/agents/" + id), 404, "not_found") << id.substr(0, 60);
        EXPECT_PROBLEM(api->get("/api/agents/" + id + "/flow"), 404, "not_found") << id.substr(0, 60);
        EXPECT_PROBLEM(api->del("/api/keys/" + id), 404, "not_found") << id.substr(0, 60);
    }
    // Malformed percent-encoding names no resource.
    for (const char* path : {"/api/agents/%zz", "/api/agents/%", "/api/agents/%F"}) {
        auto reply = api->get(path);
        EXPECT_EQ(reply.status, 404) << path << " -> " << reply.describe();
    }
    // Past the URI length a server reads at all: refused before routing, but never a 5xx.
    auto huge = raw_exchange(voxd->port(), raw_get("/api/agents/" + std::string(100000, 'x')), quick());
    expect_survived("100000-character id", huge);
    EXPECT_GE(huge.status, 400) << huge.describe();
    EXPECT_EQ(api->get("/api/agents/" + real).status, 200);
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
}

TEST_P(HostileTest, AnIdWithANulByteIsNotAnotherId) {
    // "<id>%00" and "<id>%00x" name no resource, even where the database
    // client stops reading a parameter at its first NUL.
    std::string id = create_agent("Real")["id"];
    std::string number = create_number({{"number", "+14155550130"}})["id"];
    for (const std::string& suffix : {std::string("%00"), std::string("%00x")}) {
        EXPECT_PROBLEM(api->get("/api/agents/" + id + suffix), 404, "not_found") << suffix;
        EXPECT_PROBLEM(api->get("/api/agents/" + id + suffix + "/flow"), 404, "not_found") << suffix;
        EXPECT_PROBLEM(api->put("/api/agents/" + id + suffix, {{"name", "Changed"}}), 404, "not_found") << suffix;
        EXPECT_PROBLEM(api->get("/api/phone-numbers/" + number + suffix), 404, "not_found") << suffix;
        EXPECT_PROBLEM(api->del("/api/phone-numbers/" + number + suffix), 404, "not_found") << suffix;
        EXPECT_PROBLEM(api->del("/api/agents/" + id + suffix), 404, "not_found") << suffix;
    }
    EXPECT_EQ(api->get("/api/agents/" + id).json()["name"], "Real");
    EXPECT_EQ(api->get("/api/phone-numbers/" + number).status, 200);
    // Nor does a filter value: it is not an agent id at all.
    create_call({{"agent_id", id}, {"direction", "web"}, {"status", "completed"}});
    EXPECT_PROBLEM(api->get("/api/calls?agent_id=" + id + "%00"), 400, "invalid_parameter");
}

TEST_P(HostileTest, BytesThatAreNotUtf8InPathsAre404) {
    create_agent("Real");
    for (const char* id : {"%FF", "%C0%AF", "agent_%ED%A0%80", "%80abc"}) {
        for (const char* collection : {"/api/agents/", "/api/phone-numbers/", "/api/calls/"}) {
            auto reply = api->get(std::string(collection) + id);
            expect_survived(std::string(collection) + id, reply);
            ASSERT_PROBLEM(reply, 404, "not_found") << collection << id;
        }
    }
}

TEST_P(HostileTest, HostileQueryStringsAre400OrHarmless) {
    std::string agent = create_agent("Real")["id"];
    create_call({{"agent_id", agent}, {"direction", "web"}, {"status", "completed"}});
    // Refused as not an agent id: SQL in it, spaces, unicode, NUL.
    for (const char* value : {"'%20OR%201%3D1%20--", "agent_x%22%3B%20DROP%20TABLE%20calls%3B", "%E4%B8%AD", "%00"}) {
        auto reply = api->get(std::string("/api/calls?agent_id=") + value);
        EXPECT_PROBLEM(reply, 400, "invalid_parameter") << value;
    }
    // Harmless: a well-formed id of no agent.
    auto unknown = api->get("/api/calls?agent_id=agent_doesNotExist0");
    EXPECT_EQ(unknown.status, 200) << unknown.describe();
    EXPECT_EQ(unknown.body, "[]");
    EXPECT_EQ(list_all("/api/calls").size(), 1u);
    // Refused: bad values, repeated nonsense, unknown names.
    for (const char* query : {"?limit=%00", "?status=%00", "?started_after=%00", "?limit=1&limit=abc", "?%3D=1",
                              "?limit=99999999999999999999999"}) {
        auto reply = api->get(std::string("/api/calls") + query);
        EXPECT_PROBLEM(reply, 400, "invalid_parameter") << query;
    }
    auto long_query = api->get("/api/calls?agent_id=agent_" + std::string(8000, 'a'));
    EXPECT_PROBLEM(long_query, 400, "invalid_parameter");
    EXPECT_TRUE(voxd->healthy());
}

TEST_P(HostileTest, BytesThatAreNotUtf8InQueriesAre400) {
    create_agent("Real");
    for (const char* query : {"?limit=%FF", "?%FF=1", "?status=%C0%AF", "?started_after=%FF"}) {
        auto reply = api->get(std::string("/api/calls") + query);
        expect_survived(query, reply);
        ASSERT_PROBLEM(reply, 400, "invalid_parameter") << query;
    }
}

TEST_P(HostileTest, FilterValuesThatAreNotUtf8AreHarmless) {
    // A filter value is compared in SQL: it must not upset the database.
    auto filter = api->get("/api/calls?agent_id=%FF%FE");
    EXPECT_TRUE(filter.status == 200 || filter.status == 400) << filter.describe();
    expect_survived("agent_id=%FF%FE", filter);
}

TEST_P(HostileTest, ContentTypeThatIsNotUtf8Is415) {
    // A content type that is not UTF-8 is still just not JSON.
    auto type = raw_exchange(voxd->port(), raw_post("/api/agents", "{\"name\":\"x\"}", "", "text/\xff\xfe"), quick());
    EXPECT_PROBLEM(type, 415, "unsupported_media_type");
    expect_survived("binary content type", type);
}

TEST_P(HostileTest, HostileHeadersNeverCrash) {
    auto key = raw_exchange(voxd->port(),
                            "GET /api/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \xff\xfe\x80\r\n\r\n", quick());
    EXPECT_PROBLEM(key, 401, "invalid_api_key");
    auto long_key = api->get("/api/agents", {{"Authorization", "Bearer " + std::string(5000, 'k')}});
    EXPECT_PROBLEM(long_key, 401, "invalid_api_key");
    auto request_id = raw_exchange(voxd->port(), raw_get("/api/agents", "X-Request-Id: \xff\xfe\r\n"), quick());
    EXPECT_EQ(request_id.status, 200) << request_id.describe();
    EXPECT_EQ(request_id.header("x-request-id").find('\xff'), std::string::npos);
    // Too many or too long headers are refused by the HTTP layer: no 5xx.
    std::string many;
    for (int i = 0; i < 200; ++i) many += "X-Filler-" + std::to_string(i) + ": " + std::string(100, 'f') + "\r\n";
    auto crowded = raw_exchange(voxd->port(), raw_get("/api/agents", many), quick());
    expect_survived("200 headers", crowded);
    auto giant = raw_exchange(voxd->port(), raw_get("/api/agents", "X-Giant: " + std::string(100000, 'g') + "\r\n"), quick());
    expect_survived("a 100 kB header", giant);
}

TEST_P(HostileTest, LyingContentLengthNeverCrashes) {
    // Announces 1000 bytes, sends 12, then closes its side.
    RawOptions closing = quick();
    closing.shutdown_after_send = true;
    std::string partial = "POST /api/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(kTestApiKey) +
                          "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"name\":\"cut";
    auto cut = raw_exchange(voxd->port(), partial, closing);
    expect_survived("Content-Length larger than the body", cut);
    if (cut.status != 0) {
        EXPECT_PROBLEM(cut, 400, "malformed_json");
    }

    // Closes at once without reading anything.
    RawOptions abrupt;
    abrupt.timeout = 100ms;
    abrupt.shutdown_after_send = true;
    auto gone = raw_exchange(voxd->port(), partial, abrupt);
    expect_survived("client gone mid-body", gone);

    for (const char* length : {"abc", "-5", "99999999999999999999", "1, 2", ""}) {
        std::string request = "POST /api/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(kTestApiKey) +
                              "\r\nContent-Type: application/json\r\nContent-Length: " + length +
                              "\r\n\r\n{\"name\":\"odd length\"}";
        auto reply = raw_exchange(voxd->port(), request, closing);
        expect_survived(std::string("Content-Length: ") + length, reply);
    }
    // A Content-Length smaller than the body: the rest is not a second request that creates something.
    std::string body = "{\"name\":\"short\"}";
    std::string smuggled = "POST /api/agents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(kTestApiKey) +
                           "\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n" + body;
    auto shorter = raw_exchange(voxd->port(), smuggled, closing);
    expect_survived("Content-Length smaller than the body", shorter);
    EXPECT_PROBLEM(shorter, 400, "malformed_json");
    EXPECT_TRUE(list_all("/api/agents").empty());
}

// A random agent document: the valid base with 1 to 3 mutations, sometimes
// with its text corrupted afterwards.
class Mutator {
public:
    explicit Mutator(std::uint32_t seed) : random_(seed) {}

    std::string next(bool& corrupted) {
        Json body = {{"name", "Base"},
                     {"description", "d"},
                     {"system_prompt", "p"},
                     {"begin_message", "hi"},
                     {"voice", "slt"},
                     {"language", "en-US"},
                     {"model", nullptr},
                     {"tts_provider", "flite"},
                     {"status", "active"},
                     {"settings",
                      {{"temperature", 0.7},
                       {"max_tokens", 256},
                       {"tts_speed", 1.0},
                       {"endpointing_ms", 300},
                       {"interruption_sensitivity", 0.5},
                       {"min_interruption_ms", 400},
                       {"speak_first", true},
                       {"end_call_after_silence_s", 30},
                       {"max_call_duration_s", 1800}}},
                     {"metadata", Json::object()}};
        int mutations = 1 + pick(3);
        for (int i = 0; i < mutations; ++i) mutate(body);
        std::string text = body.dump();
        corrupted = pick(10) == 0;
        if (corrupted) corrupt(text);
        return text;
    }

    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(random_); }

private:
    std::string random_key(const Json& object) {
        auto it = object.begin();
        std::advance(it, pick(static_cast<int>(object.size())));
        return it.key();
    }

    void mutate(Json& body) {
        switch (pick(7)) {
            case 0:
                if (!body.empty()) body.erase(random_key(body));
                break;
            case 1:
            case 2:
                if (!body.empty()) body[random_key(body)] = value(2);
                break;
            case 3:
            case 4:
                if (body.contains("settings") && body["settings"].is_object() && !body["settings"].empty())
                    body["settings"][random_key(body["settings"])] = pick(2) ? value(1) : boundary();
                break;
            case 5:
                body[text(1 + pick(12))] = value(1);
                break;
            default:
                body["settings"] = value(2);
                break;
        }
    }

    Json boundary() {
        static const std::vector<Json> edges = {0, -0.0, 0.5, 0.4999, 2, 2.0001, 1e-9, -1, 32768, 32769, 5000, 5001,
                                                 99, 100, 3600, 14400, 14401, 1e308, -1e308};
        return edges[static_cast<std::size_t>(pick(static_cast<int>(edges.size())))];
    }

    std::string text(int length) {
        std::string out;
        for (int i = 0; i < length; ++i) {
            std::uint32_t code = 0;
            switch (pick(6)) {
                case 0: code = static_cast<std::uint32_t>(pick(32)); break;                 // control, NUL
                case 1: code = 0x80 + static_cast<std::uint32_t>(pick(0x780)); break;       // 2 bytes
                case 2: code = 0x800 + static_cast<std::uint32_t>(pick(0xd000)); break;     // 3 bytes, below surrogates
                case 3: code = 0x10000 + static_cast<std::uint32_t>(pick(0x100000)); break;  // 4 bytes
                default: code = 0x20 + static_cast<std::uint32_t>(pick(0x5f)); break;      // printable ASCII
            }
            append_utf8(out, code);
        }
        return out;
    }

    static void append_utf8(std::string& out, std::uint32_t code) {
        if (code < 0x80) {
            out += static_cast<char>(code);
        } else if (code < 0x800) {
            out += static_cast<char>(0xc0 | (code >> 6));
            out += static_cast<char>(0x80 | (code & 0x3f));
        } else if (code < 0x10000) {
            out += static_cast<char>(0xe0 | (code >> 12));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (code & 0x3f));
        } else {
            out += static_cast<char>(0xf0 | (code >> 18));
            out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
            out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
            out += static_cast<char>(0x80 | (code & 0x3f));
        }
    }

    Json value(int depth) {
        switch (pick(depth > 0 ? 10 : 8)) {
            case 0: return nullptr;
            case 1: return pick(2) == 0;
            case 2: return static_cast<std::int64_t>(random_()) - (1LL << 31);
            case 3: return boundary();
            case 4: return std::uniform_real_distribution<double>(-10, 10)(random_);
            case 5: return text(pick(40));
            case 6: return text(pick(400));
            case 7: return std::vector<std::string>{"slt", "en-US", "flite", "active", "inactive", "", "gpt-4o"}
                        [static_cast<std::size_t>(pick(7))];
            case 8: {
                Json array = Json::array();
                for (int i = pick(4); i > 0; --i) array.push_back(value(depth - 1));
                return array;
            }
            default: {
                Json object = Json::object();
                for (int i = pick(4); i > 0; --i) object[text(1 + pick(8))] = value(depth - 1);
                return object;
            }
        }
    }

    // Printable ASCII only, so the text stays UTF-8 (broken UTF-8 has its own test).
    void corrupt(std::string& text) {
        if (text.empty()) return;
        auto at = static_cast<std::size_t>(pick(static_cast<int>(text.size())));
        switch (pick(4)) {
            case 0: text.resize(at); break;
            case 1: text.insert(at, 1, static_cast<char>(0x20 + pick(0x5f))); break;
            case 2: text.erase(at, 1); break;
            default: text.insert(at, text.substr(at, static_cast<std::size_t>(pick(20)))); break;
        }
    }

    std::mt19937 random_;
};

TEST_P(HostileTest, RandomisedAgentBodiesNeverYieldServerErrors) {
    std::string existing = create_agent("Existing")["id"];
    Mutator mutator(20261124);
    std::map<int, int> statuses;
    int created = 0;
    for (int i = 0; i < 300; ++i) {
        bool corrupted = false;
        std::string body = mutator.next(corrupted);
        bool put = mutator.pick(5) == 0;
        auto reply = api->request(put ? "PUT" : "POST", put ? "/api/agents/" + existing : "/api/agents", body);
        ++statuses[reply.status];
        std::set<int> expected = put ? std::set<int>{200, 400, 422} : std::set<int>{201, 400, 422};
        ASSERT_TRUE(expected.count(reply.status)) << "case " << i << ": " << body.substr(0, 300) << " -> "
                                                  << reply.describe();
        if (reply.status == 201) {
            ++created;
            // What was accepted reads back the same.
            Json agent = reply.json();
            EXPECT_EQ(api->get("/api/agents/" + agent.value("id", "")).json(), agent) << "case " << i;
        }
        if (i % 50 == 49) {
            ASSERT_TRUE(voxd->healthy()) << "after case " << i;
        }
    }
    std::string summary;
    for (const auto& [status, count] : statuses) summary += std::to_string(status) + ":" + std::to_string(count) + " ";
    std::cout << "[ outcomes ] " << summary << "\n";
    // Not vacuous: the loop reached every outcome.
    EXPECT_GT(statuses[201], 10) << summary;
    EXPECT_GT(statuses[200], 3) << summary;
    EXPECT_GT(statuses[400], 5) << summary;
    EXPECT_GT(statuses[422], 50) << summary;
    EXPECT_EQ(static_cast<int>(list_all("/api/agents").size()), created + 1) << summary;
    EXPECT_EQ(api->get("/api/agents/" + existing).status, 200);
}

VOX_API_BOTH_BACKENDS(HostileTest);

}  // namespace
}  // namespace vox::apitest
