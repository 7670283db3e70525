// Round trips through the REST API on both backends: agents (defaults, merges,
// provider checks), flows, phone numbers (assignment and status), calls (log,
// get, every filter) and API keys (secret once, revocation, roles).
#include "api_server.hpp"

#include <vox/core/auth/api_keys.hpp>
#include <vox/core/storage/store.hpp>

#include <fstream>
#include <set>
#include <sstream>

namespace vox::apitest {
namespace {

const Json kDefaultSettings = {{"temperature", 0.7},
                               {"max_tokens", 256},
                               {"tts_speed", 1.0},
                               {"endpointing_ms", 300},
                               {"interruption_sensitivity", 0.5},
                               {"min_interruption_ms", 400},
                               {"speak_first", true},
                               {"end_call_after_silence_s", 30},
                               {"max_call_duration_s", 1800}};

const std::vector<std::string> kFliteVoices = {"slt", "rms", "awb", "kal16", "kal"};

std::set<std::string> as_set(const Json& array) {
    std::set<std::string> values;
    for (const auto& value : array) values.insert(value.get<std::string>());
    return values;
}

class AgentsTest : public ApiTest {};

TEST_P(AgentsTest, CreateFillsDefaultsAndGetReturnsTheSame) {
    auto reply = api->post("/api/agents", {{"name", "Front desk"}});
    ASSERT_EQ(reply.status, 201) << reply.describe();
    Json agent = reply.json();
    std::string id = agent.value("id", "");
    EXPECT_EQ(id.rfind("agent_", 0), 0u) << id;
    EXPECT_GT(id.size(), 12u);
    EXPECT_EQ(reply.header("location"), "/api/agents/" + id);
    EXPECT_EQ(agent["name"], "Front desk");
    EXPECT_EQ(agent["voice"], "slt");
    EXPECT_EQ(agent["language"], "en-US");
    EXPECT_TRUE(agent["model"].is_null());
    EXPECT_EQ(agent["status"], "active");
    EXPECT_EQ(agent["description"], "");
    EXPECT_EQ(agent["system_prompt"], "");
    EXPECT_EQ(agent["begin_message"], "");
    EXPECT_EQ(agent["metadata"], Json::object());
    EXPECT_EQ(agent["settings"], kDefaultSettings);
    EXPECT_EQ(agent["stats"]["calls_handled"], 0);
    EXPECT_EQ(agent["stats"]["avg_latency"], 0.0);
    EXPECT_EQ(agent["stats"]["success_rate"], 0.0);
    EXPECT_TRUE(is_utc_timestamp(agent["created_at"])) << agent["created_at"];
    EXPECT_EQ(agent["created_at"], agent["updated_at"]);

    auto fetched = api->get("/api/agents/" + id);
    ASSERT_EQ(fetched.status, 200) << fetched.describe();
    EXPECT_EQ(fetched.json(), agent);

    auto listed = api->get("/api/agents");
    ASSERT_EQ(listed.status, 200);
    ASSERT_EQ(listed.json().size(), 1u);
    EXPECT_EQ(listed.json()[0], agent);
}

TEST_P(AgentsTest, CreateKeepsEveryFieldItIsGiven) {
    Json input = {{"name", "Sales"},
                  {"description", "Outbound sales"},
                  {"system_prompt", "You sell."},
                  {"begin_message", "Hello!"},
                  {"voice", "kal16"},
                  {"language", "en-US"},
                  {"model", nullptr},
                  {"tts_provider", "flite"},
                  {"status", "inactive"},
                  {"settings", {{"temperature", 2}, {"max_tokens", 1}, {"tts_speed", 0.5}, {"speak_first", false}}},
                  {"metadata", {{"team", "emea"}, {"nested", {{"a", Json::array({1, 2})}}}}}};
    Json agent = create_agent(input);
    ASSERT_TRUE(agent.is_object());
    for (const char* field : {"name", "description", "system_prompt", "begin_message", "voice", "language",
                              "tts_provider", "status", "metadata"})
        EXPECT_EQ(agent[field], input[field]) << field;
    EXPECT_TRUE(agent["model"].is_null());
    Json settings = kDefaultSettings;
    settings.update(input["settings"]);
    EXPECT_EQ(agent["settings"], settings);
    EXPECT_EQ(api->get("/api/agents/" + agent["id"].get<std::string>()).json(), agent);
}

TEST_P(AgentsTest, PutReplacesFieldsMergesSettingsAndIgnoresReadOnlyFields) {
    Json agent = create_agent(Json{{"name", "Before"}, {"settings", {{"max_tokens", 100}}}, {"metadata", {{"a", 1}}}});
    std::string id = agent["id"];
    Json stats = agent["stats"];

    auto reply = api->put("/api/agents/" + id, {{"name", "After"},
                                                {"settings", {{"temperature", 1.5}}},
                                                {"metadata", {{"b", 2}}},
                                                {"voice", "awb"},
                                                {"id", "agent_forged"},
                                                {"stats", {{"calls_handled", 99}}},
                                                {"created_at", "1999-01-01T00:00:00.000Z"},
                                                {"updated_at", "1999-01-01T00:00:00.000Z"}});
    ASSERT_EQ(reply.status, 200) << reply.describe();
    Json updated = reply.json();
    EXPECT_EQ(updated["id"], id);
    EXPECT_EQ(updated["name"], "After");
    EXPECT_EQ(updated["voice"], "awb");
    EXPECT_EQ(updated["metadata"], (Json{{"b", 2}}));  // replaced, not merged
    Json settings = kDefaultSettings;
    settings["max_tokens"] = 100;   // kept
    settings["temperature"] = 1.5;  // changed
    EXPECT_EQ(updated["settings"], settings);
    EXPECT_EQ(updated["stats"], stats);
    EXPECT_EQ(updated["created_at"], agent["created_at"]);
    EXPECT_TRUE(is_utc_timestamp(updated["updated_at"]));
    EXPECT_GE(updated["updated_at"].get<std::string>(), agent["updated_at"].get<std::string>());
    EXPECT_EQ(api->get("/api/agents/" + id).json(), updated);
    EXPECT_EQ(api->get("/api/agents/agent_forged").status, 404);

    // An empty PUT changes nothing but updated_at.
    auto empty = api->put("/api/agents/" + id, Json::object());
    ASSERT_EQ(empty.status, 200) << empty.describe();
    Json same = empty.json();
    same["updated_at"] = updated["updated_at"];
    EXPECT_EQ(same, updated);
}

TEST_P(AgentsTest, ProviderNullGoesBackToTheServersDefault) {
    Json agent = create_agent(Json{{"name", "Named"}, {"tts_provider", "espeak"}, {"voice", "en-us"}});
    std::string id = agent["id"];
    ASSERT_EQ(agent["tts_provider"], "espeak");

    // espeak's voice is not one of the default TTS (flite): clearing the provider alone is refused...
    auto refused = api->put("/api/agents/" + id, {{"tts_provider", nullptr}});
    EXPECT_PROBLEM(refused, 422, "validation_failed");
    EXPECT_EQ(api->get("/api/agents/" + id).json()["tts_provider"], "espeak");

    // ...with a voice the default offers, the agent follows [agents] tts_provider again.
    auto reply = api->put("/api/agents/" + id, {{"tts_provider", nullptr}, {"voice", "slt"}});
    ASSERT_EQ(reply.status, 200) << reply.describe();
    Json stored = api->get("/api/agents/" + id).json();
    EXPECT_FALSE(stored.contains("tts_provider")) << stored.dump();
    EXPECT_EQ(stored["voice"], "slt");
}

TEST_P(AgentsTest, ModelNullIsAcceptedAndAModelNeedsAnLlmProvider) {
    Json agent = create_agent("Flow only");
    std::string id = agent["id"];
    auto cleared = api->put("/api/agents/" + id, {{"model", nullptr}, {"name", "Still flow only"}});
    ASSERT_EQ(cleared.status, 200) << cleared.describe();
    EXPECT_TRUE(cleared.json()["model"].is_null());
    EXPECT_EQ(cleared.json()["name"], "Still flow only");

    // No LLM provider is loaded yet: any model is refused, listing the (empty) set of providers.
    auto with_model = api->post("/api/agents", {{"name", "Chatty"}, {"model", "gpt-4o"}});
    ASSERT_PROBLEM(with_model, 422, "validation_failed");
    Json error = error_for(with_model, "/model");
    ASSERT_TRUE(error.is_object()) << with_model.body;
    EXPECT_EQ(error["allowed"], Json::array());
    auto put_model = api->put("/api/agents/" + id, {{"model", "gpt-4o"}});
    EXPECT_PROBLEM(put_model, 422, "validation_failed");
    EXPECT_TRUE(api->get("/api/agents/" + id).json()["model"].is_null());
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
}

TEST_P(AgentsTest, VoiceLanguageAndProvidersAreCheckedAgainstLoadedPlugins) {
    for (const auto& voice : kFliteVoices) {
        Json agent = create_agent(Json{{"name", "Voice " + voice}, {"voice", voice}});
        EXPECT_EQ(agent.value("voice", ""), voice);
    }
    auto bad_voice = api->post("/api/agents", {{"name", "x"}, {"voice", "hal9000"}});
    ASSERT_PROBLEM(bad_voice, 422, "validation_failed");
    Json voice_error = error_for(bad_voice, "/voice");
    ASSERT_TRUE(voice_error.is_object()) << bad_voice.body;
    EXPECT_EQ(as_set(voice_error["allowed"]), std::set<std::string>(kFliteVoices.begin(), kFliteVoices.end()));

    auto bad_language = api->post("/api/agents", {{"name", "x"}, {"language", "fr-FR"}});
    ASSERT_PROBLEM(bad_language, 422, "validation_failed");
    Json language_error = error_for(bad_language, "/language");
    ASSERT_TRUE(language_error.is_object()) << bad_language.body;
    EXPECT_EQ(language_error["allowed"], Json::array({"en-US"}));

    auto bad_tts = api->post("/api/agents", {{"name", "x"}, {"tts_provider", "polly"}});
    ASSERT_PROBLEM(bad_tts, 422, "validation_failed");
    Json tts_error = error_for(bad_tts, "/tts_provider");
    ASSERT_TRUE(tts_error.is_object()) << bad_tts.body;
    EXPECT_EQ(as_set(tts_error["allowed"]), (std::set<std::string>{"espeak", "flite"}));

    auto bad_llm = api->post("/api/agents", {{"name", "x"}, {"llm_provider", "openai"}});
    ASSERT_PROBLEM(bad_llm, 422, "validation_failed");
    EXPECT_EQ(error_for(bad_llm, "/llm_provider")["allowed"], Json::array());

    // Several problems are reported together.
    auto both = api->post("/api/agents", {{"name", "x"}, {"voice", "nope"}, {"language", "de-DE"}});
    ASSERT_PROBLEM(both, 422, "validation_failed");
    auto fields = error_fields(both);
    EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()), (std::set<std::string>{"/voice", "/language"}));

    EXPECT_EQ(list_all("/api/agents").size(), kFliteVoices.size());
}

TEST_P(AgentsTest, DeleteRemovesTheAgentAndItsFlowButKeepsItsCalls) {
    Json agent = create_agent("Doomed");
    std::string id = agent["id"];
    ASSERT_EQ(api->put("/api/agents/" + id + "/flow",
                       {{"nodes", {{{"id", "a"}, {"type", "conversation"}, {"config", {{"text", "Hi"}}}}}},
                        {"edges", Json::array()},
                        {"start_node_id", "a"}})
                  .status,
              200);
    Json call = create_call({{"agent_id", id}, {"direction", "web"}, {"status", "completed"}});

    auto deleted = api->del("/api/agents/" + id);
    EXPECT_EQ(deleted.status, 204) << deleted.describe();
    EXPECT_TRUE(deleted.body.empty());
    EXPECT_PROBLEM(api->get("/api/agents/" + id), 404, "not_found");
    EXPECT_PROBLEM(api->get("/api/agents/" + id + "/flow"), 404, "not_found");
    EXPECT_PROBLEM(api->del("/api/agents/" + id), 404, "not_found");
    EXPECT_PROBLEM(api->put("/api/agents/" + id, {{"name", "Back"}}), 404, "not_found");
    EXPECT_TRUE(list_all("/api/agents").empty());
    auto kept = api->get("/api/calls/" + call.value("id", ""));
    EXPECT_EQ(kept.status, 200) << kept.describe();
}

// With an LLM provider loaded (tests/api/fake_llm_plugin.cpp: llm.fake offers
// fake-small and fake-large), models are checked against its list.
class ModelsTest : public ApiTest {
protected:
    Environment environment() const override {
        return {{"VOX_PLUGIN_PATH", VOX_API_TEST_PLUGIN_DIR}, {"VOX_AGENTS_LLM_PROVIDER", "fake"}};
    }
};

TEST_P(ModelsTest, AnOfferedModelIsKeptAndNullClearsIt) {
    Json agent = create_agent(Json{{"name", "Thinker"}, {"model", "fake-small"}});
    ASSERT_TRUE(agent.is_object());
    std::string id = agent["id"];
    EXPECT_EQ(agent["model"], "fake-small");
    EXPECT_EQ(api->get("/api/agents/" + id).json()["model"], "fake-small");

    auto changed = api->put("/api/agents/" + id, {{"model", "fake-large"}});
    ASSERT_EQ(changed.status, 200) << changed.describe();
    EXPECT_EQ(changed.json()["model"], "fake-large");

    auto refused = api->put("/api/agents/" + id, {{"model", "gpt-4o"}, {"name", "Renamed"}});
    ASSERT_PROBLEM(refused, 422, "validation_failed");
    Json error = error_for(refused, "/model");
    ASSERT_TRUE(error.is_object()) << refused.body;
    EXPECT_EQ(as_set(error["allowed"]), (std::set<std::string>{"fake-small", "fake-large"}));
    EXPECT_EQ(api->get("/api/agents/" + id).json(), changed.json());

    auto cleared = api->put("/api/agents/" + id, {{"model", nullptr}});
    ASSERT_EQ(cleared.status, 200) << cleared.describe();
    EXPECT_TRUE(cleared.json()["model"].is_null());
    EXPECT_TRUE(api->get("/api/agents/" + id).json()["model"].is_null());
    EXPECT_EQ(api->get("/api/agents/" + id).json()["name"], "Thinker");
}

TEST_P(ModelsTest, ProvidersAndModelsAreCheckedTogether) {
    Json explicit_provider =
        create_agent(Json{{"name", "Explicit"}, {"llm_provider", "fake"}, {"model", "fake-large"}});
    EXPECT_EQ(explicit_provider.value("llm_provider", ""), "fake");

    auto unknown_provider = api->post("/api/agents", {{"name", "x"}, {"llm_provider", "openai"}, {"model", "gpt-4o"}});
    ASSERT_PROBLEM(unknown_provider, 422, "validation_failed");
    EXPECT_EQ(error_for(unknown_provider, "/llm_provider")["allowed"], Json::array({"fake"}));

    auto unknown_model = api->post("/api/agents", {{"name", "x"}, {"model", "fake-huge"}});
    ASSERT_PROBLEM(unknown_model, 422, "validation_failed");
    EXPECT_EQ(as_set(error_for(unknown_model, "/model")["allowed"]),
              (std::set<std::string>{"fake-small", "fake-large"}));

    auto empty_model = api->post("/api/agents", {{"name", "x"}, {"model", ""}});
    EXPECT_PROBLEM(empty_model, 422, "validation_failed");
    EXPECT_EQ(list_all("/api/agents").size(), 1u);
}

class FlowsTest : public ApiTest {};

Json sample_flow() {
    return {{"start_node_id", "greet"},
            {"global_prompt", "Be brief."},
            {"variables", {{"customer", ""}, {"attempts", 0}}},
            {"nodes",
             {{{"id", "greet"},
               {"type", "conversation"},
               {"name", "Greeting"},
               {"position", {{"x", 0}, {"y", 0}}},
               {"config", {{"text", "Hi"}}}},
              {{"id", "ask"},
               {"type", "extract_variables"},
               {"position", {{"x", 200.5}, {"y", -10}}},
               {"config",
                {{"variables", Json::array({{{"name", "customer"}, {"type", "string"}, {"description", "Name"}}})}}}},
              {{"id", "bye"}, {"type", "end_call"}}}},
            {"edges",
             {{{"id", "e1"}, {"source", "greet"}, {"target", "ask"}},
              {{"id", "e2"}, {"source", "ask"}, {"target", "bye"}, {"condition", {{"type", "always"}}}}}}};
}

TEST_P(FlowsTest, AnAgentWithoutAFlowHasAnEmptyOne) {
    std::string id = create_agent("No flow")["id"];
    auto reply = api->get("/api/agents/" + id + "/flow");
    ASSERT_EQ(reply.status, 200) << reply.describe();
    EXPECT_EQ(
        reply.json(),
        (Json{
            {"nodes", Json::array()}, {"edges", Json::array()}, {"global_prompt", ""}, {"variables", Json::object()}}));
}

TEST_P(FlowsTest, PutThenGetReturnsTheFlowAndAPutReplacesIt) {
    std::string id = create_agent("Flowing")["id"];
    auto put = api->put("/api/agents/" + id + "/flow", sample_flow());
    ASSERT_EQ(put.status, 200) << put.describe();
    Json stored = put.json();
    EXPECT_TRUE(is_utc_timestamp(stored["updated_at"])) << stored.dump();
    Json expected = sample_flow();
    expected["updated_at"] = stored["updated_at"];
    EXPECT_EQ(stored, expected);
    EXPECT_EQ(api->get("/api/agents/" + id + "/flow").json(), stored);

    // A second PUT replaces the whole flow; absent optional parts get their defaults.
    Json smaller = {{"start_node_id", "only"},
                    {"nodes", {{{"id", "only"}, {"type", "conversation"}, {"config", {{"text", "Hi"}}}}}},
                    {"edges", Json::array()},
                    {"updated_at", "1999-01-01T00:00:00.000Z"}};
    auto replaced = api->put("/api/agents/" + id + "/flow", smaller);
    ASSERT_EQ(replaced.status, 200) << replaced.describe();
    Json now = replaced.json();
    EXPECT_NE(now["updated_at"], "1999-01-01T00:00:00.000Z");
    EXPECT_EQ(now["global_prompt"], "");
    EXPECT_EQ(now["variables"], Json::object());
    EXPECT_EQ(now["nodes"], smaller["nodes"]);
    EXPECT_EQ(api->get("/api/agents/" + id + "/flow").json(), now);

    // An empty flow (no nodes) needs no start node.
    auto cleared = api->put("/api/agents/" + id + "/flow", {{"nodes", Json::array()}, {"edges", Json::array()}});
    ASSERT_EQ(cleared.status, 200) << cleared.describe();
    EXPECT_TRUE(api->get("/api/agents/" + id + "/flow").json()["nodes"].empty());
}

TEST_P(FlowsTest, UnknownAgentIs404) {
    EXPECT_PROBLEM(api->get("/api/agents/agent_doesnotexist/flow"), 404, "not_found");
    EXPECT_PROBLEM(api->put("/api/agents/agent_doesnotexist/flow", sample_flow()), 404, "not_found");
}

TEST_P(FlowsTest, StructuralProblemsAre422AndLeaveTheStoredFlow) {
    std::string id = create_agent("Strict")["id"];
    std::string path = "/api/agents/" + id + "/flow";
    Json stored = api->put(path, sample_flow()).json();

    struct Case {
        const char* what;
        Json flow;
        std::vector<std::string> fields;
    };
    Json duplicate = sample_flow();
    duplicate["nodes"][2]["id"] = "greet";
    duplicate["edges"] = Json::array();
    Json dangling = sample_flow();
    dangling["edges"][0]["target"] = "nowhere";
    dangling["edges"][1]["source"] = "nobody";
    Json no_start = sample_flow();
    no_start["start_node_id"] = "missing";
    Json start_absent = sample_flow();
    start_absent.erase("start_node_id");
    Json duplicate_edge = sample_flow();
    duplicate_edge["edges"][1]["id"] = "e1";
    std::vector<Case> cases = {{"duplicate node id", duplicate, {"/nodes/2/id"}},
                               {"edges to unknown nodes", dangling, {"/edges/0/target", "/edges/1/source"}},
                               {"unknown start node", no_start, {"/start_node_id"}},
                               {"no start node", start_absent, {"/start_node_id"}},
                               {"duplicate edge id", duplicate_edge, {"/edges/1/id"}}};
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        auto reply = api->put(path, c.flow);
        ASSERT_PROBLEM(reply, 422, "validation_failed");
        auto fields = error_fields(reply);
        EXPECT_EQ(std::set<std::string>(fields.begin(), fields.end()),
                  std::set<std::string>(c.fields.begin(), c.fields.end()))
            << reply.body;
    }
    // Schema problems too: a node without a type, an edge without a target, an unknown member.
    Json untyped = sample_flow();
    untyped["nodes"][0].erase("type");
    Json bad_type = sample_flow();
    bad_type["nodes"][1]["type"] = "Not Snake";
    Json extra = sample_flow();
    extra["colour"] = "blue";
    for (const auto& flow : {untyped, bad_type, extra, Json{{"nodes", Json::array()}}})
        EXPECT_PROBLEM(api->put(path, flow), 422, "validation_failed") << flow.dump();

    EXPECT_EQ(api->get(path).json(), stored);
}

class PhoneNumbersTest : public ApiTest {};

TEST_P(PhoneNumbersTest, StatusFollowsAssignment) {
    std::string agent = create_agent("Receptionist")["id"];

    auto reply = api->post("/api/phone-numbers", {{"number", "+14155550100"}, {"nickname", "Main line"}});
    ASSERT_EQ(reply.status, 201) << reply.describe();
    Json number = reply.json();
    std::string id = number["id"];
    EXPECT_EQ(id.rfind("pn_", 0), 0u);
    EXPECT_EQ(reply.header("location"), "/api/phone-numbers/" + id);
    EXPECT_EQ(number["number"], "+14155550100");
    EXPECT_EQ(number["nickname"], "Main line");
    EXPECT_TRUE(number["assigned_agent_id"].is_null());
    EXPECT_EQ(number["status"], "unassigned");
    EXPECT_EQ(number["calls_received"], 0);
    EXPECT_TRUE(is_utc_timestamp(number["created_at"]));
    EXPECT_TRUE(is_utc_timestamp(number["updated_at"]));
    EXPECT_EQ(api->get("/api/phone-numbers/" + id).json(), number);

    // Asking for "active" without an agent still leaves it unassigned.
    auto inactive_alone = api->put("/api/phone-numbers/" + id, {{"status", "active"}});
    ASSERT_EQ(inactive_alone.status, 200) << inactive_alone.describe();
    EXPECT_EQ(inactive_alone.json()["status"], "unassigned");

    auto assigned = api->put("/api/phone-numbers/" + id, {{"assigned_agent_id", agent}});
    ASSERT_EQ(assigned.status, 200) << assigned.describe();
    EXPECT_EQ(assigned.json()["assigned_agent_id"], agent);
    EXPECT_EQ(assigned.json()["status"], "active");
    EXPECT_EQ(assigned.json()["nickname"], "Main line");
    EXPECT_EQ(assigned.json()["created_at"], number["created_at"]);

    auto paused = api->put("/api/phone-numbers/" + id, {{"status", "inactive"}, {"nickname", "Paused"}});
    ASSERT_EQ(paused.status, 200) << paused.describe();
    EXPECT_EQ(paused.json()["status"], "inactive");
    EXPECT_EQ(paused.json()["assigned_agent_id"], agent);
    EXPECT_EQ(paused.json()["nickname"], "Paused");

    auto unassigned = api->put("/api/phone-numbers/" + id, {{"assigned_agent_id", nullptr}});
    ASSERT_EQ(unassigned.status, 200) << unassigned.describe();
    EXPECT_TRUE(unassigned.json()["assigned_agent_id"].is_null());
    EXPECT_EQ(unassigned.json()["status"], "unassigned");
    EXPECT_EQ(api->get("/api/phone-numbers/" + id).json(), unassigned.json());

    // Created already assigned: active.
    Json second = create_number({{"number", "+442071838750"}, {"assigned_agent_id", agent}});
    EXPECT_EQ(second.value("status", ""), "active");
    EXPECT_EQ(second.value("assigned_agent_id", ""), agent);
    Json third = create_number({{"number", "+33142685300"}, {"assigned_agent_id", agent}, {"status", "inactive"}});
    EXPECT_EQ(third.value("status", ""), "inactive");
    EXPECT_EQ(list_all("/api/phone-numbers").size(), 3u);
}

TEST_P(PhoneNumbersTest, TheNumberIsImmutableAndMustBeE164) {
    Json number = create_number({{"number", "+14155550101"}});
    std::string id = number["id"];
    auto change = api->put("/api/phone-numbers/" + id, {{"number", "+14155550102"}});
    ASSERT_PROBLEM(change, 422, "validation_failed");
    EXPECT_TRUE(error_for(change, "/number").is_object()) << change.body;
    auto same = api->put("/api/phone-numbers/" + id, {{"number", "+14155550101"}, {"nickname", "ok"}});
    EXPECT_EQ(same.status, 200) << same.describe();
    EXPECT_EQ(api->get("/api/phone-numbers/" + id).json()["number"], "+14155550101");

    for (const char* bad :
         {"4155550100", "+04155550100", "+1", "+1415555010012345", "+1 415 555 0100", "", "+1415x550100"}) {
        auto reply = api->post("/api/phone-numbers", {{"number", bad}});
        EXPECT_PROBLEM(reply, 422, "validation_failed") << bad;
        EXPECT_TRUE(error_for(reply, "/number").is_object()) << bad << " " << reply.body;
    }
    auto missing = api->post("/api/phone-numbers", {{"nickname", "no number"}});
    EXPECT_PROBLEM(missing, 422, "validation_failed");
    EXPECT_TRUE(error_for(missing, "/number").is_object()) << missing.body;
    EXPECT_EQ(list_all("/api/phone-numbers").size(), 1u);
}

TEST_P(PhoneNumbersTest, UnknownAgentIs422AndDeleteWorks) {
    auto reply = api->post("/api/phone-numbers", {{"number", "+14155550103"}, {"assigned_agent_id", "agent_nobody"}});
    ASSERT_PROBLEM(reply, 422, "validation_failed");
    EXPECT_TRUE(error_for(reply, "/assigned_agent_id").is_object()) << reply.body;
    EXPECT_TRUE(list_all("/api/phone-numbers").empty());

    Json number = create_number({{"number", "+14155550103"}});
    std::string id = number["id"];
    auto put = api->put("/api/phone-numbers/" + id, {{"assigned_agent_id", "agent_nobody"}});
    EXPECT_PROBLEM(put, 422, "validation_failed");
    EXPECT_EQ(api->get("/api/phone-numbers/" + id).json(), number);

    auto deleted = api->del("/api/phone-numbers/" + id);
    EXPECT_EQ(deleted.status, 204) << deleted.describe();
    EXPECT_PROBLEM(api->get("/api/phone-numbers/" + id), 404, "not_found");
    EXPECT_PROBLEM(api->del("/api/phone-numbers/" + id), 404, "not_found");
    EXPECT_PROBLEM(api->put("/api/phone-numbers/" + id, {{"nickname", "x"}}), 404, "not_found");
    // The number can be registered again once deleted.
    create_number({{"number", "+14155550103"}});
}

TEST_P(PhoneNumbersTest, DeletingAnAgentWithNumbersNeedsUnassignNumbers) {
    std::string agent = create_agent("Busy")["id"];
    Json number = create_number({{"number", "+14155550104"}, {"assigned_agent_id", agent}});
    std::string id = number["id"];

    auto refused = api->del("/api/agents/" + agent);
    ASSERT_PROBLEM(refused, 409, "agent_has_phone_numbers");
    EXPECT_EQ(api->get("/api/agents/" + agent).status, 200);
    EXPECT_EQ(api->get("/api/phone-numbers/" + id).json(), number);

    EXPECT_PROBLEM(api->del("/api/agents/" + agent + "?unassign_numbers=maybe"), 400, "invalid_parameter");
    EXPECT_PROBLEM(api->del("/api/agents/" + agent + "?unassign_numbers=false"), 409, "agent_has_phone_numbers");
    auto deleted = api->del("/api/agents/" + agent + "?unassign_numbers=true");
    ASSERT_EQ(deleted.status, 204) << deleted.describe();
    EXPECT_EQ(api->get("/api/agents/" + agent).status, 404);
    Json after = api->get("/api/phone-numbers/" + id).json();
    EXPECT_TRUE(after["assigned_agent_id"].is_null());
    EXPECT_EQ(after["status"], "unassigned");
    EXPECT_EQ(after["number"], "+14155550104");
}

class CallsTest : public ApiTest {};

TEST_P(CallsTest, LogAndGetACall) {
    std::string agent = create_agent("Caller")["id"];
    auto minimal = api->post("/api/calls", {{"agent_id", agent}, {"direction", "inbound"}, {"status", "in_progress"}});
    ASSERT_EQ(minimal.status, 201) << minimal.describe();
    Json call = minimal.json();
    std::string id = call["id"];
    EXPECT_EQ(id.rfind("call_", 0), 0u);
    EXPECT_EQ(minimal.header("location"), "/api/calls/" + id);
    EXPECT_EQ(call["agent_id"], agent);
    EXPECT_TRUE(is_utc_timestamp(call["started_at"]));
    EXPECT_TRUE(is_utc_timestamp(call["created_at"]));
    EXPECT_TRUE(call["ended_at"].is_null());
    EXPECT_EQ(call["duration"], 0.0);
    EXPECT_EQ(call["sentiment"], "unknown");
    EXPECT_EQ(call["transcript"], Json::array());
    EXPECT_EQ(call["latency"], Json::object());
    EXPECT_EQ(call["metadata"], Json::object());
    EXPECT_EQ(api->get("/api/calls/" + id).json(), call);

    Json full_input = {{"agent_id", agent},
                       {"direction", "outbound"},
                       {"status", "completed"},
                       {"phone_number", "+14155550100"},
                       {"started_at", "2026-03-01T10:00:00+02:00"},
                       {"ended_at", "2026-03-01T10:01:30.25+02:00"},
                       {"duration", 90.25},
                       {"sentiment", "positive"},
                       {"disconnection_reason", "agent_hangup"},
                       {"latency", {{"e2e", {{"p50", 700}, {"p99", 1200.5}, {"count", 12}}}, {"tts", {{"min", 0}}}}},
                       {"transcript",
                        {{{"speaker", "agent"}, {"text", "Hello"}, {"start", 0}, {"end", 0.8}},
                         {{"speaker", "user"}, {"text", "Hi \u00e9\u4e2d"}, {"timestamp", "2026-03-01T08:00:02Z"}}}},
                       {"recording_url", "https://example.com/r.wav"},
                       {"metadata", {{"crm_id", 42}}}};
    Json full = create_call(full_input);
    ASSERT_TRUE(full.is_object());
    EXPECT_EQ(full["started_at"], "2026-03-01T08:00:00.000Z");  // offsets normalised to UTC
    EXPECT_EQ(full["ended_at"], "2026-03-01T08:01:30.250Z");
    for (const char* field : {"direction", "status", "phone_number", "duration", "sentiment", "disconnection_reason",
                              "latency", "transcript", "recording_url", "metadata"})
        EXPECT_EQ(full[field], full_input[field]) << field;
    EXPECT_EQ(api->get("/api/calls/" + full["id"].get<std::string>()).json(), full);

    EXPECT_PROBLEM(api->get("/api/calls/call_doesnotexist"), 404, "not_found");
}

TEST_P(CallsTest, InvalidCallsAre422) {
    std::string agent = create_agent("Caller")["id"];
    auto unknown = api->post("/api/calls", {{"agent_id", "agent_nobody"}, {"direction", "web"}, {"status", "failed"}});
    ASSERT_PROBLEM(unknown, 422, "validation_failed");
    EXPECT_TRUE(error_for(unknown, "/agent_id").is_object()) << unknown.body;

    Json base = {{"agent_id", agent}, {"direction", "web"}, {"status", "failed"}};
    struct Case {
        const char* field;
        Json value;
        std::string pointer;
    };
    std::vector<Case> cases = {
        {"direction", "sideways", "/direction"},
        {"status", "ringing", "/status"},
        {"duration", -1, "/duration"},
        {"sentiment", "angry", "/sentiment"},
        {"started_at", "yesterday", "/started_at"},
        {"ended_at", "2026-02-30T00:00:00Z", "/ended_at"},
        {"transcript", Json::array({{{"speaker", "robot"}, {"text", "x"}}}), "/transcript/0/speaker"},
        {"latency", {{"e2e", {{"p50", -5}}}}, "/latency/e2e/p50"},
        {"extra", 1, ""}};
    for (const auto& c : cases) {
        Json body = base;
        body[c.field] = c.value;
        auto reply = api->post("/api/calls", body);
        EXPECT_PROBLEM(reply, 422, "validation_failed") << body.dump();
        if (!c.pointer.empty()) {
            EXPECT_TRUE(error_for(reply, c.pointer).is_object()) << c.field << ": " << reply.body;
        }
    }
    for (const char* required : {"agent_id", "direction", "status"}) {
        Json body = base;
        body.erase(required);
        EXPECT_PROBLEM(api->post("/api/calls", body), 422, "validation_failed") << required;
    }
    EXPECT_TRUE(list_all("/api/calls").empty());
}

TEST_P(CallsTest, EveryFilterAndTheTimeRange) {
    std::string a = create_agent("A")["id"];
    std::string b = create_agent("B")["id"];
    std::string c1 = create_call({{"agent_id", a},
                                  {"direction", "inbound"},
                                  {"status", "completed"},
                                  {"started_at", "2026-01-01T10:00:00Z"}})["id"];
    std::string c2 = create_call({{"agent_id", a},
                                  {"direction", "outbound"},
                                  {"status", "failed"},
                                  {"started_at", "2026-01-02T10:00:00.000Z"}})["id"];
    std::string c3 = create_call({{"agent_id", b},
                                  {"direction", "web"},
                                  {"status", "in_progress"},
                                  {"started_at", "2026-01-03T12:00:00+02:00"}})["id"];  // 10:00Z
    std::string c4 = create_call({{"agent_id", b},
                                  {"direction", "inbound"},
                                  {"status", "completed"},
                                  {"started_at", "2026-01-04T10:00:00-05:00"}})["id"];  // 15:00Z

    auto ids = [&](const std::string& query) {
        auto reply = api->get("/api/calls" + query);
        EXPECT_EQ(reply.status, 200) << query << " -> " << reply.describe();
        std::vector<std::string> found;
        if (reply.status == 200)
            for (const auto& call : reply.json()) found.push_back(call["id"]);
        return found;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(ids(""), (V{c4, c3, c2, c1}));  // newest start first
    EXPECT_EQ(ids("?agent_id=" + a), (V{c2, c1}));
    EXPECT_EQ(ids("?agent_id=" + b), (V{c4, c3}));
    EXPECT_EQ(ids("?agent_id=agent_nobody"), V{});
    EXPECT_EQ(ids("?status=completed"), (V{c4, c1}));
    EXPECT_EQ(ids("?status=failed"), (V{c2}));
    EXPECT_EQ(ids("?status=in_progress"), (V{c3}));
    EXPECT_EQ(ids("?direction=inbound"), (V{c4, c1}));
    EXPECT_EQ(ids("?direction=outbound"), (V{c2}));
    EXPECT_EQ(ids("?direction=web"), (V{c3}));
    EXPECT_EQ(ids("?agent_id=" + b + "&status=completed&direction=inbound"), (V{c4}));
    // started_after is inclusive, started_before exclusive.
    EXPECT_EQ(ids("?started_after=2026-01-02T10:00:00Z"), (V{c4, c3, c2}));
    EXPECT_EQ(ids("?started_before=2026-01-02T10:00:00Z"), (V{c1}));
    EXPECT_EQ(ids("?started_after=2026-01-02T00:00:00Z&started_before=2026-01-04T00:00:00Z"), (V{c3, c2}));
    // Offsets in the filter are normalised too: 12:00+02:00 is 10:00Z, 05:00-05:00 is 10:00Z.
    EXPECT_EQ(ids("?started_after=" + url_encode("2026-01-03T12:00:00+02:00")), (V{c4, c3}));
    EXPECT_EQ(ids("?started_before=" + url_encode("2026-01-04T10:00:00-05:00")), (V{c3, c2, c1}));
    EXPECT_EQ(ids("?started_after=2026-01-04T15:00:00.001Z"), V{});
    EXPECT_EQ(ids("?started_after=2026-01-04T15:00:00Z"), (V{c4}));
    EXPECT_EQ(ids("?status=completed&started_after=2026-01-02T00:00:00Z"), (V{c4}));

    for (const char* bad :
         {"?status=done", "?direction=up", "?started_after=yesterday", "?started_before=2026-13-01T00:00:00Z",
          "?started_after=2026-02-30T00:00:00Z", "?status=", "?agent=x"}) {
        EXPECT_PROBLEM(api->get(std::string("/api/calls") + bad), 400, "invalid_parameter") << bad;
    }
}

class KeysTest : public ApiTest {
protected:
    Json create_key(const Json& body) {
        auto reply = api->post("/api/keys", body);
        EXPECT_EQ(reply.status, 201) << reply.describe();
        EXPECT_EQ(reply.header("cache-control"), "no-store");
        return reply.status == 201 ? reply.json() : Json();
    }
    Json find_key(const std::string& id) {
        for (const auto& key : api->get("/api/keys").json())
            if (key["id"] == id) return key;
        return nullptr;
    }
};

TEST_P(KeysTest, ASecretIsShownOnceAndListsNeverShowSecretsOrHashes) {
    Json created = create_key({{"name", "ci"}});
    ASSERT_TRUE(created.is_object());
    std::string secret = created.value("key", "");
    EXPECT_EQ(secret.rfind("vox_", 0), 0u) << secret;
    EXPECT_EQ(secret.size(), 44u);
    EXPECT_EQ(created["id"].get<std::string>().rfind("key_", 0), 0u);
    EXPECT_EQ(created["name"], "ci");
    EXPECT_EQ(created["role"], "admin");
    EXPECT_EQ(created["prefix"], secret.substr(0, 12));
    EXPECT_TRUE(is_utc_timestamp(created["created_at"]));
    EXPECT_TRUE(created["revoked_at"].is_null());

    auto listed = api->get("/api/keys");
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.body.find(secret), std::string::npos) << "a list shows a secret";
    EXPECT_EQ(listed.body.find(std::string(kTestApiKey)), std::string::npos) << "a list shows the bootstrap secret";
    std::set<std::string> names;
    for (const auto& key : listed.json()) {
        names.insert(key.value("name", ""));
        EXPECT_FALSE(key.contains("key")) << key.dump();
        EXPECT_FALSE(key.contains("hash")) << key.dump();
        EXPECT_FALSE(key.contains("secret")) << key.dump();
        for (const auto& [field, value] : key.items())
            if (value.is_string()) {
                EXPECT_NE(value.get<std::string>().size(), 64u) << field << " looks like a hash";
            }
    }
    EXPECT_EQ(names, (std::set<std::string>{"bootstrap", "ci"}));

    // The new key works.
    auto client = voxd->client(secret);
    EXPECT_EQ(client.get("/api/agents").status, 200);
    EXPECT_EQ(client.post("/api/agents", {{"name", "by ci"}}).status, 201);
}

TEST_P(KeysTest, SecretsAreStoredOnlyAsHashes) {
    std::string secret = create_key({{"name", "stored"}}).value("key", "");
    ASSERT_FALSE(secret.empty());
    // What the repository holds for it, read beside the running voxd.
    auto store = storage::open_store(voxd->database().options());
    bool found = false;
    for (const auto& key : store.api_keys->list()) {
        for (const std::string* field : {&key.id, &key.name, &key.prefix, &key.hash, &key.role})
            EXPECT_EQ(field->find(secret), std::string::npos) << "a stored field holds the secret";
        if (key.name == "stored") {
            found = true;
            EXPECT_EQ(key.hash, auth::hash_secret(secret));
            EXPECT_EQ(key.hash.size(), 64u);
        }
        if (key.name == "bootstrap") {
            EXPECT_EQ(key.hash, auth::hash_secret(kTestApiKey));
        }
    }
    EXPECT_TRUE(found);
    if (GetParam() == TestBackend::sqlite) {
        // Nor anywhere in the database files.
        std::string path = voxd->database().url().substr(std::string("sqlite://").size());
        std::string everything;
        for (const std::string& file : {path, path + "-wal"}) {
            std::ifstream in(file, std::ios::binary);
            std::stringstream bytes;
            bytes << in.rdbuf();
            everything += bytes.str();
        }
        EXPECT_NE(everything.find(auth::hash_secret(secret)), std::string::npos) << "the files were not read";
        EXPECT_EQ(everything.find(secret), std::string::npos) << "the database files hold the secret";
        EXPECT_EQ(everything.find(kTestApiKey), std::string::npos) << "the database files hold the bootstrap secret";
    }
}

TEST_P(KeysTest, ARevokedKeyIsRefusedAtOnce) {
    Json created = create_key({{"name", "temporary"}});
    std::string id = created["id"];
    auto client = voxd->client(created["key"]);
    ASSERT_EQ(client.get("/api/agents").status, 200);  // cached as valid now

    auto revoked = api->del("/api/keys/" + id);
    ASSERT_EQ(revoked.status, 204) << revoked.describe();
    auto refused = client.get("/api/agents");
    EXPECT_PROBLEM(refused, 401, "invalid_api_key");
    EXPECT_EQ(refused.header("www-authenticate").rfind("Bearer", 0), 0u) << refused.header("www-authenticate");
    Json listed = find_key(id);
    ASSERT_TRUE(listed.is_object());
    EXPECT_TRUE(is_utc_timestamp(listed["revoked_at"])) << listed.dump();
    EXPECT_PROBLEM(api->del("/api/keys/" + id), 404, "not_found");
    EXPECT_PROBLEM(api->del("/api/keys/key_doesnotexist"), 404, "not_found");
    EXPECT_EQ(api->get("/api/agents").status, 200);  // the bootstrap key is untouched
}

TEST_P(KeysTest, TheLastAdminKeyCannotBeRevoked) {
    Json keys = api->get("/api/keys").json();
    ASSERT_EQ(keys.size(), 1u) << keys.dump();
    std::string bootstrap = keys[0]["id"];
    EXPECT_EQ(keys[0]["name"], "bootstrap");
    EXPECT_EQ(keys[0]["role"], "admin");

    // A read-only key does not count as an admin.
    Json reader = create_key({{"name", "dashboard"}, {"role", "read_only"}});
    EXPECT_PROBLEM(api->del("/api/keys/" + bootstrap), 409, "last_api_key");
    EXPECT_EQ(api->get("/api/agents").status, 200);
    EXPECT_TRUE(find_key(bootstrap)["revoked_at"].is_null());

    // With a second admin the first can go, and then the second is the last.
    Json second = create_key({{"name", "second admin"}});
    auto second_client = voxd->client(second["key"]);
    auto revoked = second_client.del("/api/keys/" + bootstrap);
    EXPECT_EQ(revoked.status, 204) << revoked.describe();
    EXPECT_PROBLEM(api->get("/api/agents"), 401, "invalid_api_key");
    EXPECT_PROBLEM(second_client.del("/api/keys/" + second["id"].get<std::string>()), 409, "last_api_key");
    // The read-only key can still be revoked.
    EXPECT_EQ(second_client.del("/api/keys/" + reader["id"].get<std::string>()).status, 204);
    EXPECT_EQ(second_client.get("/api/keys").status, 200);
}

TEST_P(KeysTest, AReadOnlyKeyCanReadButNotWrite) {
    std::string agent = create_agent("Existing")["id"];
    Json reader = create_key({{"name", "viewer"}, {"role", "read_only"}});
    EXPECT_EQ(reader["role"], "read_only");
    auto client = voxd->client(reader["key"]);

    EXPECT_EQ(client.get("/api/agents").status, 200);
    EXPECT_EQ(client.get("/api/agents/" + agent).status, 200);
    EXPECT_EQ(client.get("/api/agents/" + agent + "/flow").status, 200);
    EXPECT_EQ(client.get("/api/calls").status, 200);
    EXPECT_EQ(client.get("/api/phone-numbers").status, 200);
    EXPECT_EQ(client.get("/api/keys").status, 200);
    EXPECT_EQ(client.get("/api/plugins").status, 200);

    EXPECT_PROBLEM(client.post("/api/agents", {{"name", "Sneaky"}}), 403, "forbidden");
    EXPECT_PROBLEM(client.put("/api/agents/" + agent, {{"name", "Renamed"}}), 403, "forbidden");
    EXPECT_PROBLEM(client.put("/api/agents/" + agent + "/flow", {{"nodes", Json::array()}, {"edges", Json::array()}}),
                   403, "forbidden");
    EXPECT_PROBLEM(client.del("/api/agents/" + agent), 403, "forbidden");
    EXPECT_PROBLEM(client.post("/api/phone-numbers", {{"number", "+14155550105"}}), 403, "forbidden");
    EXPECT_PROBLEM(client.post("/api/calls", {{"agent_id", agent}, {"direction", "web"}, {"status", "completed"}}), 403,
                   "forbidden");
    EXPECT_PROBLEM(client.post("/api/keys", {{"name", "escalate"}}), 403, "forbidden");
    EXPECT_PROBLEM(client.del("/api/keys/" + reader["id"].get<std::string>()), 403, "forbidden");

    EXPECT_EQ(list_all("/api/agents").size(), 1u);
    EXPECT_EQ(api->get("/api/agents/" + agent).json()["name"], "Existing");
    EXPECT_TRUE(list_all("/api/phone-numbers").empty());
    EXPECT_TRUE(list_all("/api/calls").empty());
    EXPECT_EQ(api->get("/api/keys").json().size(), 2u);
}

TEST_P(KeysTest, InvalidKeyInputIs422) {
    for (const Json& body : {Json::object(), Json{{"name", ""}}, Json{{"name", "x"}, {"role", "root"}},
                             Json{{"name", "x"}, {"hash", "abc"}}, Json{{"name", 5}}}) {
        auto reply = api->post("/api/keys", body);
        EXPECT_PROBLEM(reply, 422, "validation_failed") << body.dump();
    }
    EXPECT_EQ(api->get("/api/keys").json().size(), 1u);
}

VOX_API_BOTH_BACKENDS(AgentsTest);
VOX_API_BOTH_BACKENDS(ModelsTest);
VOX_API_BOTH_BACKENDS(FlowsTest);
VOX_API_BOTH_BACKENDS(PhoneNumbersTest);
VOX_API_BOTH_BACKENDS(CallsTest);
VOX_API_BOTH_BACKENDS(KeysTest);

}  // namespace
}  // namespace vox::apitest
