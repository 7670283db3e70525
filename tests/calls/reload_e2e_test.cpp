// Switching providers on a running voxd (issue 6): voxd reads llm.openai's
// server from its config file; a call is in the middle of a turn when the file
// is changed to another server and `voxctl reload` is run. The live call is
// not dropped and its turn is answered by the server it started with; the
// next call goes to the new server. A config that does not load changes
// nothing and voxctl says why. Real voxd, transport.websocket and voxctl.
#define VOX_TEST_VOXCTL VOX_TEST_VOXCTL_PATH
#include "call_api_fixture.hpp"
#include "voxctl_runner.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;
using OpenAiServer = test::OpenAiTestServer;

class ReloadEndToEndTest : public CallApiTest {
protected:
    bool fake_transport() const override { return false; }
    Environment environment() const override {
        // llm.openai's server comes from the config file only, so that a reload can change it.
        Environment environment = CallApiTest::environment();
        environment.erase("VOX_PROVIDER_LLM_OPENAI_BASE_URL");
        environment.erase("VOX_PROVIDER_LLM_OPENAI_API_KEY");
        environment["VOX_CONFIG"] = config_path().string();
        return environment;
    }
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("vox-reload-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        std::filesystem::create_directories(dir_);
        second_ = std::make_unique<OpenAiServer>();
        second_->set_models({"gpt-test"});
        openai_for_config_ = std::make_unique<OpenAiServer>();
        openai_for_config_->set_models({"gpt-test"});
        write_config(*openai_for_config_);
        CallApiTest::SetUp();
        if (HasFatalFailure()) return;
        if (!provider_loaded("transport.websocket")) GTEST_SKIP() << "transport.websocket is not built";
    }
    void TearDown() override {
        CallApiTest::TearDown();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    std::filesystem::path config_path() const { return dir_ / "voxd.ini"; }
    void write_config(const OpenAiServer& server, const std::string& extra = "") {
        std::ofstream out(config_path(), std::ios::trunc);
        out << "[provider.llm.openai]\nbase_url = " << server.base_url() << "\napi_key = " << server.api_key() << "\n"
            << extra;
    }
    std::string wav(const std::string& name, const std::string& text) {
        std::string path = (dir_ / name).string();
        auto made = test::voxctl(
            {"tts", "--provider", "flite", "--settings", R"({"voice":"kal16"})", "--text", text, "--out", path});
        EXPECT_EQ(made.status, 0) << made.err;
        return path;
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(voxd->port()); }
    test::Result call(const std::string& agent_id, const std::string& say) {
        return test::voxctl({"call", "--url", url(), "--api-key", test::kTestApiKey, "--agent", agent_id, "--json",
                             "--say", say, "--answer-timeout", "20"});
    }
    test::Result reload() { return test::voxctl({"reload", "--url", url(), "--api-key", test::kTestApiKey, "--json"}); }
    // Chat requests of call turns only (creating an agent with a model lists
    // the server's models too, and an ended call is analysed by the LLM).
    static std::size_t chats(const OpenAiServer& server) {
        std::size_t count = 0;
        for (const auto& request : server.received())
            if (request.path.find("/chat/completions") != std::string::npos &&
                !OpenAiServer::is_post_call_analysis(request))
                ++count;
        return count;
    }
    static std::string agent_answer(const Json& record) {
        for (const auto& line : record["transcript"])
            if (line["speaker"] == "agent" && line["text"].get<std::string>().find("answering") != std::string::npos)
                return line["text"];
        return "";
    }

    std::filesystem::path dir_;
    std::unique_ptr<OpenAiServer> openai_for_config_;  // the server the first config names
    std::unique_ptr<OpenAiServer> second_;             // the one the reload switches to
    static inline int counter_ = 0;
};

TEST_P(ReloadEndToEndTest, ALiveCallKeepsItsProvidersAndNewCallsUseTheReloadedOnes) {
    openai_for_config_->set_script(
        {.chunks = OpenAiServer::content_chunks({"First server answering."}), .first_byte_delay = 2500ms});
    second_->set_script({.chunks = OpenAiServer::content_chunks({"Second server answering."})});
    std::string question = wav("question.wav", "Who is answering today?");
    Json agent_doc = agent({{"model", "gpt-test"}});

    auto live = std::async(std::launch::async, [&] { return call(agent_doc["id"], question); });
    // Wait until the live call's turn is with the first server (it answers after 2.5 s).
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (chats(*openai_for_config_) == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    ASSERT_EQ(chats(*openai_for_config_), 1U) << "the call's turn never reached the LLM";

    write_config(*second_);
    auto reloaded = reload();
    ASSERT_EQ(reloaded.status, 0) << reloaded.out << reloaded.err;
    Json report = Json::parse(reloaded.out);
    EXPECT_EQ(report["generation"], 2);
    EXPECT_EQ(report["providers"]["reinitialised"], Json::array({"llm.openai"})) << reloaded.out;
    EXPECT_TRUE(report["restart_needed_keys"].empty()) << reloaded.out;
    Json plugins = api->get("/api/plugins").json();
    EXPECT_EQ(plugins["generation"], 2);
    EXPECT_EQ(plugins["previous_generations_in_use"], 1) << "the live call holds the first generation";

    auto first = live.get();
    ASSERT_EQ(first.status, 0) << first.out << first.err;
    Json first_report = Json::parse(first.out);
    ASSERT_EQ(first_report["turns"].size(), 1U) << first.out;
    EXPECT_EQ(first_report["turns"][0]["agent_text"], "First server answering.");
    Json first_record = wait_until_ended(first_report["call_id"]);
    EXPECT_EQ(first_record["disconnection_reason"], "user_hangup") << "the reload did not drop the live call";
    EXPECT_EQ(agent_answer(first_record), "First server answering.");

    auto second = call(agent_doc["id"], question);
    ASSERT_EQ(second.status, 0) << second.out << second.err;
    EXPECT_EQ(Json::parse(second.out)["turns"][0]["agent_text"], "Second server answering.") << second.out;
    EXPECT_EQ(chats(*openai_for_config_), 1U) << "the new call did not go to the old server";
    EXPECT_EQ(chats(*second_), 1U);

    // Once its last call is over, the first generation is let go.
    deadline = std::chrono::steady_clock::now() + 5s;
    while (api->get("/api/plugins").json()["previous_generations_in_use"] != 0 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    EXPECT_EQ(api->get("/api/plugins").json()["previous_generations_in_use"], 0);
}

TEST_P(ReloadEndToEndTest, AConfigThatDoesNotLoadChangesNothingAndVoxctlSaysWhy) {
    write_config(*second_, "[calls]\nmax_concurrent_calls = many\n");
    auto refused = reload();
    EXPECT_EQ(refused.status, 1) << refused.out << refused.err;
    EXPECT_NE(refused.err.find("max_concurrent_calls"), std::string::npos) << refused.err;
    EXPECT_NE(refused.err.find("config_invalid"), std::string::npos) << refused.err;
    EXPECT_EQ(api->get("/api/plugins").json()["generation"], 1);

    // Fixed, with a key that applies only at start-up: applied, and that key is named.
    write_config(*second_, "[calls]\nmax_concurrent_calls = 7\n");
    auto applied = reload();
    ASSERT_EQ(applied.status, 0) << applied.out << applied.err;
    Json report = Json::parse(applied.out);
    EXPECT_EQ(report["generation"], 2);
    EXPECT_EQ(report["restart_needed_keys"], Json::array({"calls.max_concurrent_calls"})) << applied.out;

    second_->set_script({.chunks = OpenAiServer::content_chunks({"Second server answering."})});
    auto reply = api->post("/api/test/agent/" + agent({{"model", "gpt-test"}})["id"].get<std::string>(),
                           Json{{"messages", Json::array({{{"role", "user"}, {"content", "Hello?"}}})}});
    ASSERT_EQ(reply.status, 200) << reply.describe();
    EXPECT_EQ(reply.json()["reply"], "Second server answering.") << "the text playground uses the new generation too";
    EXPECT_EQ(chats(*openai_for_config_), 0U);
}

VOX_API_BOTH_BACKENDS(ReloadEndToEndTest);

}  // namespace
}  // namespace vox::calltest
