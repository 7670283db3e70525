// /openapi.json against the server that serves it: a valid OpenAPI 3.1
// document whose references resolve and whose schemas compile; exactly the
// routes the server answers (both ways: documented routes answer, answered
// routes are documented, 405 Allow lists equal the documented methods); the
// documented security is the enforced one; and every body answered during a
// tour of the API validates against the documented schema (every other test
// checks its replies the same way through OpenApiChecker).
#include "api_server.hpp"

#include <regex>
#include <set>

namespace vox::apitest {
namespace {

// Every method and path the suites exercise. The document must list exactly these.
const std::set<std::pair<std::string, std::string>> kExercised = {
    // Live calls and their recordings: exercised by tests/calls (a transport, an LLM and WebSockets),
    // whose replies the same OpenApiChecker checks; the tour below leaves them out.
    {"post", "/api/calls/start"},
    {"post", "/api/calls/end"},
    {"post", "/api/test/create-room"},
    {"post", "/api/test/agent/{agent_id}"},
    {"get", "/ws/calls/{call_id}"},
    {"get", "/ws/events"},
    {"get", "/api/calls/{call_id}/recording"},

    {"get", "/api/agents"},
    {"post", "/api/agents"},
    {"get", "/api/agents/{agent_id}"},
    {"put", "/api/agents/{agent_id}"},
    {"delete", "/api/agents/{agent_id}"},
    {"get", "/api/agents/{agent_id}/flow"},
    {"put", "/api/agents/{agent_id}/flow"},
    {"get", "/api/calls"},
    {"post", "/api/calls"},
    {"get", "/api/calls/{call_id}"},
    {"get", "/api/analytics"},
    {"post", "/api/test/tts"},
    {"get", "/api/phone-numbers"},
    {"post", "/api/phone-numbers"},
    {"get", "/api/phone-numbers/{phone_number_id}"},
    {"put", "/api/phone-numbers/{phone_number_id}"},
    {"delete", "/api/phone-numbers/{phone_number_id}"},
    {"get", "/api/keys"},
    {"post", "/api/keys"},
    {"delete", "/api/keys/{key_id}"},
    {"get", "/api/plugins"},
    {"post", "/api/system/reload"},
    {"get", "/healthz"},
    {"get", "/metrics"},
    {"get", "/openapi.json"},
};

const std::set<std::pair<std::string, std::string>> kLiveCallOperations = {{"post", "/api/calls/start"},
                                                                           {"post", "/api/calls/end"},
                                                                           {"post", "/api/test/create-room"},
                                                                           {"post", "/api/test/agent/{agent_id}"},
                                                                           {"get", "/ws/calls/{call_id}"},
                                                                           {"get", "/ws/events"},
                                                                           {"get", "/api/calls/{call_id}/recording"}};

const std::set<std::string> kHttpMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string upper(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

std::vector<std::string> path_parameters(const std::string& pattern) {
    static const std::regex parameter(R"(\{([a-z_]+)\})");
    std::vector<std::string> names;
    for (std::sregex_iterator it(pattern.begin(), pattern.end(), parameter), end; it != end; ++it)
        names.push_back((*it)[1]);
    return names;
}

std::string substitute(std::string pattern, const std::map<std::string, std::string>& ids) {
    for (const auto& [name, id] : ids) {
        auto at = pattern.find("{" + name + "}");
        if (at != std::string::npos) pattern.replace(at, name.size() + 2, id);
    }
    return pattern;
}

// Member names that are not snake_case, outside the free-form parts (user
// data, plugin-defined capabilities and settings schemas).
void non_snake_case_keys(const Json& node, const std::string& at, std::vector<std::string>& found) {
    static const std::regex snake("^[a-z][a-z0-9]*(_[a-z0-9]+)*$");
    static const std::set<std::string> free_form = {"metadata",     "variables",       "config",    "condition",
                                                    "capabilities", "settings_schema", "configured"};
    if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) non_snake_case_keys(node[i], at + "/" + std::to_string(i), found);
    } else if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            if (!std::regex_match(key, snake)) found.push_back(at + "/" + key);
            if (!free_form.count(key)) non_snake_case_keys(value, at + "/" + key, found);
        }
    }
}

void collect_refs(const Json& node, std::vector<std::string>& refs) {
    if (node.is_object()) {
        if (node.contains("$ref") && node["$ref"].is_string()) refs.push_back(node["$ref"]);
        for (const auto& [key, value] : node.items()) collect_refs(value, refs);
    } else if (node.is_array()) {
        for (const auto& value : node) collect_refs(value, refs);
    }
}

class OpenApiTest : public ApiTest {
protected:
    const Json& document() { return voxd->checker().document(); }

    std::set<std::pair<std::string, std::string>> documented() {
        std::set<std::pair<std::string, std::string>> operations;
        for (const auto& [path, item] : document()["paths"].items())
            for (const auto& [method, operation] : item.items())
                if (kHttpMethods.count(method)) operations.insert({method, path});
        return operations;
    }

    // A valid body for each request schema (also checked against the document).
    Json sample_body(const std::string& method, const std::string& path, const std::string& agent_id, int serial) {
        if (path == "/api/agents" || path == "/api/agents/{agent_id}")
            return {{"name", "Tour " + std::to_string(serial)}};
        if (path == "/api/agents/{agent_id}/flow")
            return {{"start_node_id", "a"},
                    {"nodes", {{{"id", "a"}, {"type", "conversation"}, {"config", {{"text", "Hi"}}}}}},
                    {"edges", Json::array()}};
        if (path == "/api/phone-numbers" && method == "post")
            return {{"number", "+1415555060" + std::to_string(serial % 10)}};
        if (path == "/api/phone-numbers/{phone_number_id}")
            return {{"nickname", "toured"}, {"assigned_agent_id", agent_id}};
        if (path == "/api/calls") return {{"agent_id", agent_id}, {"direction", "web"}, {"status", "completed"}};
        if (path == "/api/keys") return {{"name", "tour key"}, {"role", "read_only"}};
        if (path == "/api/test/tts") return {{"agent_id", agent_id}, {"text", "Tour."}};
        ADD_FAILURE() << "no sample body for " << method << " " << path << ": add one to the test";
        return Json::object();
    }
};

TEST_P(OpenApiTest, TheDocumentIsOpenApi31WithResolvableCompilableSchemas) {
    auto anonymous = voxd->client("");
    auto reply = anonymous.get("/openapi.json");
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.media_type(), "application/json");
    Json doc = reply.json();
    EXPECT_EQ(doc["openapi"], "3.1.0");
    EXPECT_TRUE(doc["info"]["title"].is_string() && !doc["info"]["title"].get<std::string>().empty());
    EXPECT_TRUE(doc["info"]["version"].is_string());
    ASSERT_TRUE(doc["paths"].is_object());
    EXPECT_EQ(doc["components"]["securitySchemes"]["bearerAuth"]["type"], "http");
    EXPECT_EQ(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");

    std::set<std::string> components;
    for (const auto& [name, schema] : doc["components"]["schemas"].items()) components.insert(name);
    for (const char* name : {"Agent", "AgentInput", "AgentSettings", "ApiKey", "ApiKeyInput", "Call", "CallInput",
                             "Flow", "Latency", "Percentiles", "PhoneNumber", "PhoneNumberInput", "Problem"})
        EXPECT_TRUE(components.count(name)) << "components.schemas lacks " << name;

    std::vector<std::string> refs;
    collect_refs(doc, refs);
    EXPECT_GT(refs.size(), 30u);
    for (const auto& ref : refs) {
        ASSERT_EQ(ref.rfind("#/components/schemas/", 0), 0u) << ref;
        EXPECT_TRUE(components.count(ref.substr(21))) << "dangling " << ref;
    }
    for (const auto& name : components) {
        Json schema = voxd->checker().component(name);
        EXPECT_NO_THROW(JsonSchema{schema}) << name << ": " << schema.dump();
    }

    std::set<std::string> operation_ids;
    for (const auto& [path, item] : doc["paths"].items()) {
        auto parameters = path_parameters(path);
        for (const auto& [method, operation] : item.items()) {
            ASSERT_TRUE(kHttpMethods.count(method)) << path << " has '" << method << "'";
            std::string id = operation.value("operationId", "");
            EXPECT_FALSE(id.empty()) << method << " " << path;
            EXPECT_TRUE(operation_ids.insert(id).second) << "operationId " << id << " repeats";
            EXPECT_TRUE(operation["responses"].is_object() && !operation["responses"].empty()) << id;
            EXPECT_TRUE(operation.contains("security")) << id;
            std::set<std::string> declared;
            for (const auto& parameter : operation.value("parameters", Json::array()))
                if (parameter["in"] == "path") {
                    declared.insert(parameter["name"]);
                    EXPECT_EQ(parameter["required"], true) << id;
                }
            EXPECT_EQ(declared, std::set<std::string>(parameters.begin(), parameters.end())) << id;
            for (const auto& [status, response] : operation["responses"].items()) {
                EXPECT_TRUE(status == "default" || std::regex_match(status, std::regex("[1-5][0-9][0-9]"))) << id;
                EXPECT_TRUE(response["description"].is_string()) << id << " " << status;
            }
        }
    }
}

TEST_P(OpenApiTest, TheDocumentListsExactlyTheExercisedRoutes) {
    auto listed = documented();
    for (const auto& operation : kExercised)
        EXPECT_TRUE(listed.count(operation))
            << upper(operation.first) << " " << operation.second << " is not documented";
    for (const auto& operation : listed)
        EXPECT_TRUE(kExercised.count(operation))
            << upper(operation.first) << " " << operation.second << " is documented but not exercised by tests/api";
}

TEST_P(OpenApiTest, EveryDocumentedOperationAnswersAndItsAnswersMatchTheDocument) {
    // Real objects to address.
    std::string agent = create_agent("Tour agent")["id"];
    std::string spare_agent = create_agent("Spare agent")["id"];
    std::string number = create_number({{"number", "+14155550699"}})["id"];
    std::string call = create_call({{"agent_id", agent}, {"direction", "web"}, {"status", "completed"}})["id"];
    std::string key = api->post("/api/keys", {{"name", "spare"}}).json().value("id", "");
    ASSERT_FALSE(key.empty());
    std::map<std::string, std::string> real = {
        {"agent_id", spare_agent}, {"call_id", call}, {"phone_number_id", number}, {"key_id", key}};
    std::map<std::string, std::string> made_up = {{"agent_id", "agent_madeup0000000000000000"},
                                                  {"call_id", "call_madeup00000000000000000"},
                                                  {"phone_number_id", "pn_madeup000000000000000000"},
                                                  {"key_id", "key_madeup00000000000000000"}};
    int before = voxd->checker().bodies_validated();
    auto operations = documented();
    // Deletes last, so the other calls still find their objects.
    std::vector<std::pair<std::string, std::string>> ordered;
    for (const auto& op : operations)
        if (op.first != "delete" && !kLiveCallOperations.count(op)) ordered.push_back(op);
    for (const auto& op : operations)
        if (op.first == "delete") ordered.push_back(op);

    int serial = 0;
    for (const auto& [method, path] : ordered) {
        SCOPED_TRACE(upper(method) + " " + path);
        const Json& operation = document()["paths"][path][method];
        std::optional<std::string> body;
        if (operation.contains("requestBody")) {
            Json sample = sample_body(method, path, agent, ++serial);
            Json schema = operation["requestBody"]["content"]["application/json"]["schema"];
            auto problems = voxd->checker().validate(schema, sample);
            EXPECT_TRUE(problems.empty()) << "the document rejects a body the server accepts: " << sample.dump() << " "
                                          << (problems.empty() ? "" : problems.front());
            body = sample.dump();
        }
        bool has_parameters = !path_parameters(path).empty();
        if (has_parameters) {
            // A made-up id: the resource is missing, the route is not.
            auto missing = api->request(upper(method), substitute(path, made_up), body);
            EXPECT_PROBLEM(missing, 404, "not_found");
            EXPECT_EQ(missing.json().value("detail", "").find("No resource at"), std::string::npos)
                << "the route itself is missing: " << missing.body;
            EXPECT_TRUE(operation["responses"].contains("404")) << "404 is not documented";
        }
        auto reply = api->request(upper(method), substitute(path, real), body);
        EXPECT_GE(reply.status, 200) << reply.describe();
        EXPECT_LT(reply.status, 300) << reply.describe();
        EXPECT_TRUE(operation["responses"].contains(std::to_string(reply.status)))
            << reply.status << " is answered but not documented";
        if (reply.media_type() == "application/json" && path != "/openapi.json") {
            std::vector<std::string> odd;
            non_snake_case_keys(reply.json(), "", odd);
            EXPECT_TRUE(odd.empty()) << "not snake_case: " << (odd.empty() ? "" : odd.front()) << " in " << reply.body;
        }

        // Security as documented: an operation with security needs a key.
        bool secured = !operation["security"].empty();
        auto anonymous = voxd->client("").request(upper(method), substitute(path, made_up), body);
        if (secured)
            EXPECT_PROBLEM(anonymous, 401, "missing_api_key");
        else
            EXPECT_EQ(anonymous.status, 200) << anonymous.describe();
    }
    EXPECT_GE(voxd->checker().bodies_validated() - before, static_cast<int>(ordered.size()))
        << "fewer bodies were validated than operations were called";
    EXPECT_EQ(api->get("/api/agents/" + spare_agent).status, 404);  // the tour did delete it
    EXPECT_EQ(api->get("/api/agents/" + agent).status, 200);
}

TEST_P(OpenApiTest, AllowHeadersListTheDocumentedMethods) {
    std::map<std::string, std::string> ids = {
        {"agent_id", "agent_x"}, {"call_id", "call_x"}, {"phone_number_id", "pn_x"}, {"key_id", "key_x"}};
    // Every documented route that takes the path counts: POST /api/calls/start shares its
    // path with GET /api/calls/{call_id} (where "start" is an id that names nothing).
    auto takes = [](const std::string& pattern, const std::string& path) {
        return std::regex_match(path, std::regex(std::regex_replace(pattern, std::regex(R"(\{[a-z_]+\})"), "[^/]+")));
    };
    for (const auto& [path, item] : document()["paths"].items()) {
        std::set<std::string> methods;
        for (const auto& [other, other_item] : document()["paths"].items())
            if (takes(other, substitute(path, ids)))
                for (const auto& [method, operation] : other_item.items()) methods.insert(upper(method));
        if (methods.count("GET")) methods.insert("HEAD");
        std::string expected;
        for (const auto& method : methods) expected += (expected.empty() ? "" : ", ") + method;
        auto reply = api->request("PATCH", substitute(path, ids));
        EXPECT_PROBLEM(reply, 405, "method_not_allowed") << path;
        EXPECT_EQ(reply.header("allow"), expected) << path;
        Json allowed = reply.json()["allowed"];
        EXPECT_EQ(allowed.size(), methods.size()) << path << " " << allowed.dump();
    }
}

TEST_P(OpenApiTest, TheCheckerCatchesWhatItShould) {
    const auto& checker = voxd->checker();
    Reply good;
    good.status = 200;
    good.headers = {{"content-type", "application/json"}, {"x-request-id", "r1"}};
    good.body = api->post("/api/agents", {{"name", "Model"}}).body;
    Json agent = Json::parse(good.body);
    std::string target = "/api/agents/" + agent["id"].get<std::string>();
    EXPECT_TRUE(checker.check("GET", target, good).empty());

    auto flagged = [&](Reply reply, const std::string& method = "GET", const std::string& path = "") {
        return !checker.check(method, path.empty() ? target : path, reply).empty();
    };
    Reply missing_id = good;
    Json copy = agent;
    copy.erase("id");
    missing_id.body = copy.dump();
    EXPECT_TRUE(flagged(missing_id)) << "an agent without id passed";
    Reply bad_enum = good;
    copy = agent;
    copy["status"] = "sleeping";
    bad_enum.body = copy.dump();
    EXPECT_TRUE(flagged(bad_enum)) << "a bad status passed";
    Reply bad_setting = good;
    copy = agent;
    copy["settings"]["temperature"] = 9;
    bad_setting.body = copy.dump();
    EXPECT_TRUE(flagged(bad_setting)) << "a temperature of 9 passed";
    Reply wrong_type = good;
    wrong_type.headers["content-type"] = "text/html";
    EXPECT_TRUE(flagged(wrong_type)) << "text/html passed";
    Reply undocumented = good;
    undocumented.status = 418;
    EXPECT_TRUE(flagged(undocumented)) << "418 with a JSON body passed";
    Reply server_error = good;
    server_error.status = 500;
    EXPECT_TRUE(flagged(server_error)) << "a 500 passed";
    EXPECT_TRUE(flagged(good, "PATCH")) << "an undocumented method answered 200 passed";
    EXPECT_TRUE(flagged(good, "GET", "/api/unknown")) << "an undocumented path answered 200 passed";
    Reply list_not_array = good;
    EXPECT_TRUE(flagged(list_not_array, "GET", "/api/agents")) << "a list that is an object passed";
    Reply no_answer;
    EXPECT_TRUE(flagged(no_answer)) << "no answer passed";

    Reply problem;
    problem.status = 404;
    problem.headers = {{"content-type", "application/problem+json"}, {"x-request-id", "abc"}};
    problem.body = Json{
        {"type", "urn:vox:problem:not_found"},
        {"title", "Not found"},
        {"status", 404},
        {"detail", "x"},
        {"code", "not_found"},
        {"request_id",
         "abc"}}.dump();
    EXPECT_TRUE(checker.check("GET", target, problem).empty());
    Reply other_id = problem;
    other_id.headers["x-request-id"] = "different";
    EXPECT_TRUE(flagged(other_id)) << "a problem with another request_id passed";
    Reply no_code = problem;
    Json problem_body = Json::parse(problem.body);
    problem_body.erase("code");
    no_code.body = problem_body.dump();
    EXPECT_TRUE(flagged(no_code)) << "a problem without code passed";
    Reply plain_error = problem;
    plain_error.headers["content-type"] = "application/json";
    EXPECT_TRUE(flagged(plain_error)) << "an error as plain JSON passed";
    Reply empty_204;
    empty_204.status = 204;
    empty_204.headers = {{"content-type", "text/plain"}, {"x-request-id", "r"}};
    EXPECT_TRUE(checker.check("DELETE", target, empty_204).empty());
    empty_204.body = "{}";
    EXPECT_TRUE(flagged(empty_204, "DELETE")) << "a body on a 204 passed";
}

INSTANTIATE_TEST_SUITE_P(Backends, OpenApiTest, ::testing::Values(TestBackend::sqlite), backend_label);

}  // namespace
}  // namespace vox::apitest
