#include "call_api_fixture.hpp"

#include <thread>

namespace vox::calltest {

using namespace std::chrono_literals;

void CallApiTest::SetUp() {
    openai = std::make_unique<test::OpenAiTestServer>();
    openai->set_models({"gpt-test", "gpt-other"});
    ApiTest::SetUp();
}

Environment CallApiTest::environment() const {
    Environment environment = {{"VOX_PROVIDER_LLM_OPENAI_BASE_URL", openai->base_url()},
                               {"VOX_PROVIDER_LLM_OPENAI_API_KEY", openai->api_key()},
                               {"VOX_PROVIDER_TRANSPORT_WEBSOCKET_PORT", "0"}};
    if (fake_transport()) environment["VOX_PLUGIN_PATH"] = VOX_CALLS_TEST_PLUGIN_DIR;
    for (const auto& [name, value] : extra_environment()) environment[name] = value;
    return environment;
}

void CallApiTest::restart(const Environment& extra) {
    api.reset();
    voxd->stop();
    Environment environment = this->environment();
    for (const auto& [name, value] : extra) environment[name] = value;
    ASSERT_TRUE(voxd->start(environment));
    api.emplace(voxd->client());
}

Json CallApiTest::start_call(const std::string& agent_id, const Json& body) {
    Json request = body;
    request["agent_id"] = agent_id;
    auto reply = api->post("/api/calls/start", request);
    EXPECT_EQ(reply.status, 201) << request.dump() << " -> " << reply.describe();
    return reply.status == 201 ? reply.json() : Json();
}

Json CallApiTest::wait_until_ended(const std::string& call_id, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    Json call;
    while (std::chrono::steady_clock::now() < deadline) {
        auto reply = api->get("/api/calls/" + call_id);
        if (reply.status != 200) {
            ADD_FAILURE() << reply.describe();
            return Json();
        }
        call = reply.json();
        if (call.value("status", "") != "in_progress") return call;
        std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "call " << call_id << " still in progress after " << timeout.count() << " ms";
    return call;
}

bool CallApiTest::provider_loaded(const std::string& key) {
    Json plugins = api->get("/api/plugins").json();
    for (const auto& provider : plugins["providers"])
        if (provider.value("key", "") == key) return true;
    return false;
}

Json CallApiTest::agent(const Json& extra) {
    Json body = {{"name", "Front desk"},
                 {"system_prompt", "You are the receptionist of {{clinic}}."},
                 {"begin_message", "Hello, this is {{clinic}}."}};
    body.update(extra);
    return create_agent(body);
}

}  // namespace vox::calltest
