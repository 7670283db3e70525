// The base of the call API tests: a voxd (per test, per storage backend)
// with the test web-call transport (nobody can join), llm.openai pointed at
// a local OpenAI test server, and helpers to start calls and wait for their end.
#pragma once

#include "api_server.hpp"
#include "openai_test_server.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace vox::calltest {

using apitest::Json;
using apitest::Reply;
using test::Environment;

class CallApiTest : public apitest::ApiTest {
protected:
    void SetUp() override;
    Environment environment() const override;
    // Extra environment of this test (added to the default one).
    virtual Environment extra_environment() const { return {}; }
    // The test transport that nobody can join (true), or the real transport.websocket on a free port.
    virtual bool fake_transport() const { return true; }

    // Stops voxd and starts it again with `extra` on top of the default environment.
    void restart(const Environment& extra = {});
    // POST /api/calls/start for `agent_id`, asserting the 201.
    Json start_call(const std::string& agent_id, const Json& body = Json::object());
    // GET /api/calls/{id} until its status is no longer in_progress (or the time runs out).
    Json wait_until_ended(const std::string& call_id, std::chrono::milliseconds timeout = std::chrono::seconds(10));
    // Whether voxd loaded the provider `key` (e.g. "transport.websocket"), per GET /api/plugins.
    bool provider_loaded(const std::string& key);
    // An active agent with the server's default providers.
    Json agent(const Json& extra = Json::object());

    std::unique_ptr<test::OpenAiTestServer> openai;
};

}  // namespace vox::calltest
