// The offline demo as a newcomer meets it: a fresh voxd creates the clinic
// receptionist (config/demo_agent.json) on its first start, and the real
// voxctl call books an appointment through its flow with flite-made speech
// over the real transport.websocket: local STT with the grammars the nodes
// expect, a phone number read out in two breaths, no LLM involved.
#define VOX_TEST_VOXCTL VOX_TEST_VOXCTL_PATH
#include "call_api_fixture.hpp"
#include "voxctl_runner.hpp"

#include <vox/core/audio/wav.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace vox::calltest {
namespace {

class DemoFlowEndToEndTest : public CallApiTest {
protected:
    bool fake_transport() const override { return false; }
    Environment extra_environment() const override { return {{"VOX_BOOTSTRAP_DEMO_AGENT", "true"}}; }
    void SetUp() override {
        CallApiTest::SetUp();
        if (HasFatalFailure()) return;
        dir_ = std::filesystem::temp_directory_path() / ("vox-demo-flow-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        CallApiTest::TearDown();
    }
    std::string wav(const std::string& name, const std::string& text) {
        std::string path = (dir_ / name).string();
        auto made = test::voxctl(
            {"tts", "--provider", "flite", "--settings", R"({"voice":"kal16"})", "--text", text, "--out", path});
        EXPECT_EQ(made.status, 0) << made.err;
        return path;
    }
    // Two utterances with `gap` of silence between them, as one recording.
    std::string two_breaths(const std::string& name, const std::string& first, const std::string& second,
                            std::chrono::milliseconds gap) {
        auto a = audio::read_wav(wav(name + ".1.wav", first));
        auto b = audio::read_wav(wav(name + ".2.wav", second));
        a.samples.resize(a.samples.size() + static_cast<std::size_t>(a.sample_rate * gap.count() / 1000), 0);
        a.samples.insert(a.samples.end(), b.samples.begin(), b.samples.end());
        std::string path = (dir_ / (name + ".wav")).string();
        audio::write_wav(path, a.view());
        return path;
    }
    Json demo_agent() {
        Json agents = api->get("/api/agents").json();
        for (const auto& agent : agents)
            if (agent.contains("metadata") && agent["metadata"].value("demo", false)) return agent;
        return Json();
    }

    std::filesystem::path dir_;
};

TEST_P(DemoFlowEndToEndTest, AFreshVoxdHasTheDemoAgentWithItsFlowAndItIsNotCreatedTwice) {
    Json demo = demo_agent();
    ASSERT_TRUE(demo.is_object()) << api->get("/api/agents").body;
    EXPECT_EQ(demo["status"], "active");
    EXPECT_TRUE(demo["model"].is_null());
    Json flow = api->get("/api/agents/" + demo["id"].get<std::string>() + "/flow").json();
    EXPECT_EQ(flow["start_node_id"], "greet");
    EXPECT_EQ(flow["nodes"].size(), 10U);
    // Deleted, it stays deleted: only a fresh database gets it.
    ASSERT_EQ(api->request("DELETE", "/api/agents/" + demo["id"].get<std::string>()).status, 204);
    restart({{"VOX_BOOTSTRAP_DEMO_AGENT", "true"}});
    EXPECT_TRUE(demo_agent().is_null());
}

TEST_P(DemoFlowEndToEndTest, ACallerBooksAnAppointmentThroughTheFlowWithNoLlm) {
    Json demo = demo_agent();
    ASSERT_TRUE(demo.is_object());
    std::vector<std::string> says = {
        wav("yes.wav", "Yes please."),
        wav("day.wav", "Tuesday."),
        wav("time.wav", "In the afternoon."),
        // The number in two parts: the flow waits for all its digits past the first pause.
        two_breaths("phone", "five five five", "one two three four", std::chrono::milliseconds(1200)),
        wav("confirm.wav", "Yes, that's right."),
    };
    std::vector<std::string> args = {"call",      "--url",           "http://127.0.0.1:" + std::to_string(voxd->port()),
                                     "--api-key", test::kTestApiKey, "--agent",
                                     demo["id"],  "--json"};
    for (const auto& path : says) {
        args.push_back("--say");
        args.push_back(path);
    }
    auto run = test::voxctl(args);
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    Json report = Json::parse(run.out);
    Json record = wait_until_ended(report["call_id"], std::chrono::seconds(20));
    EXPECT_EQ(record["status"], "completed") << record.dump();
    EXPECT_EQ(record["disconnection_reason"], "agent_hangup") << record.dump();
    std::vector<std::string> path;
    for (const auto& step : record["flow_path"]) path.push_back(step["node_id"]);
    EXPECT_EQ(path, (std::vector<std::string>{"greet", "ask_day", "get_day", "ask_time", "get_time", "ask_phone",
                                              "get_phone", "confirm", "booked"}))
        << record["transcript"].dump();
    EXPECT_EQ(record["collected_variables"]["day"], "tuesday") << record["transcript"].dump();
    EXPECT_EQ(record["collected_variables"]["time_of_day"], "afternoon");
    EXPECT_EQ(record["collected_variables"]["phone"], "5551234");
    std::string last_agent_line;
    for (const auto& line : record["transcript"])
        if (line["speaker"] == "agent") last_agent_line = line["text"];
    EXPECT_EQ(last_agent_line, "You are booked for tuesday in the afternoon. Thank you for calling. Goodbye!");
}

VOX_API_BOTH_BACKENDS(DemoFlowEndToEndTest);

}  // namespace
}  // namespace vox::calltest
