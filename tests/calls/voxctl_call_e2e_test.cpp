// The whole product path as a user takes it: voxd with its local providers
// (vad.speexdsp, stt.pocketsphinx, tts.flite), llm.openai on the local
// OpenAI-protocol test server, the real transport.websocket, and the real
// voxctl call speaking flite-made WAVs in real time. Checks voxctl's report,
// its recording, and the call record voxd stored; then a barge-in.
#define VOX_TEST_VOXCTL VOX_TEST_VOXCTL_PATH
#include "call_api_fixture.hpp"
#include "voxctl_runner.hpp"

#include "http_client.hpp"

#include <vox/core/audio/level.hpp>
#include <vox/core/audio/wav.hpp>

#include <gtest/gtest.h>

#include <filesystem>

namespace vox::calltest {
namespace {

using OpenAiScript = test::OpenAiTestServer::Script;

class VoxctlCallEndToEndTest : public CallApiTest {
protected:
    bool fake_transport() const override { return false; }
    void SetUp() override {
        CallApiTest::SetUp();
        if (HasFatalFailure()) return;
        if (!provider_loaded("transport.websocket")) GTEST_SKIP() << "transport.websocket is not built";
        dir_ = std::filesystem::temp_directory_path() /
               ("vox-voxctl-call-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        std::filesystem::create_directories(dir_);
    }
    void TearDown() override {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
        CallApiTest::TearDown();
    }
    std::string wav(const std::string& name, const std::string& text) {
        std::string path = (dir_ / name).string();
        auto made = test::voxctl({"tts", "--provider", "flite", "--settings", R"({"voice":"kal16"})", "--text", text,
                                  "--out", path});
        EXPECT_EQ(made.status, 0) << made.err;
        return path;
    }
    test::Result call(const std::string& agent_id, std::vector<std::string> extra) {
        std::vector<std::string> args = {"call", "--url", "http://127.0.0.1:" + std::to_string(voxd->port()),
                                         "--api-key", test::kTestApiKey, "--agent", agent_id, "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return test::voxctl(args);
    }

    std::filesystem::path dir_;
    static inline int counter_ = 0;
};

TEST_P(VoxctlCallEndToEndTest, TheCallersWordsReachTheAgentAndItsAnswerComesBackAndIsRecorded) {
    openai->set_script({.chunks = test::OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."}),
                        .first_byte_delay = std::chrono::milliseconds(100)});
    std::string question = wav("question.wav", "What time do you open tomorrow?");
    Json agent_doc = agent({{"model", "gpt-test"}});
    std::string recording = (dir_ / "agent.wav").string();
    auto run = call(agent_doc["id"], {"--say", question, "--record", recording});
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    Json report = Json::parse(run.out);
    ASSERT_EQ(report["turns"].size(), 1U) << run.out;
    const Json& turn = report["turns"][0];
    EXPECT_GT(turn["latency_ms"].get<double>(), 300.0) << "faster than endpointing is impossible";
    EXPECT_LT(turn["latency_ms"].get<double>(), 1500.0);
    EXPECT_GE(test::word_overlap("what time do you open tomorrow", turn["user_text"]), 0.5) << turn.dump();
    EXPECT_EQ(turn["agent_text"], "We open at nine tomorrow.");

    auto audio = audio::read_wav(recording);
    EXPECT_GT(audio.duration_seconds(), 1.0);
    EXPECT_GT(audio::rms_dbfs(audio.samples), -45.0) << "the recording holds the agent's voice";

    Json record = wait_until_ended(report["call_id"]);
    EXPECT_EQ(record["status"], "completed");
    EXPECT_EQ(record["disconnection_reason"], "user_hangup");
    EXPECT_EQ(record["direction"], "web");
    bool user_line = false, answer_line = false;
    for (const auto& line : record["transcript"]) {
        if (line["speaker"] == "user") user_line = true;
        if (line["speaker"] == "agent" && line["text"] == "We open at nine tomorrow.") answer_line = true;
    }
    EXPECT_TRUE(user_line && answer_line) << record["transcript"].dump();
    ASSERT_TRUE(record["latency"].contains("e2e")) << record["latency"].dump();
    EXPECT_EQ(record["latency"]["e2e"]["count"], 1);
    // voxd's own figure and the client's agree to within the transport's framing and pacing.
    EXPECT_NEAR(record["latency"]["e2e"]["p50"].get<double>(), turn["latency_ms"].get<double>(), 120.0);
}

TEST_P(VoxctlCallEndToEndTest, BargeInStopsTheAgentWithin150MsAndTheRecordKeepsWhatWasHeard) {
    std::string answer =
        "Our clinic offers general practice, pediatrics, dermatology and physiotherapy, and we are open "
        "from eight in the morning until six in the evening on weekdays.";
    openai->set_script({.chunks = test::OpenAiTestServer::content_chunks({answer})});
    std::string question = wav("question.wav", "Tell me about the clinic.");
    std::string interruption = wav("stop.wav", "Please stop right there and listen to me.");
    Json agent_doc = agent({{"model", "gpt-test"}});
    auto run = call(agent_doc["id"], {"--say", question, "--say", interruption, "--barge-in-ms", "1200"});
    ASSERT_EQ(run.status, 0) << run.out << run.err;
    Json report = Json::parse(run.out);
    ASSERT_EQ(report["turns"].size(), 2U) << run.out;
    ASSERT_TRUE(report["turns"][1].contains("barge_in_stop_ms")) << run.out;
    EXPECT_LT(report["turns"][1]["barge_in_stop_ms"].get<double>(), 150.0) << run.out;

    Json record = wait_until_ended(report["call_id"]);
    // The first answer, as heard (the server answers the interruption with the same text, in full).
    std::string first_answer;
    for (const auto& line : record["transcript"])
        if (first_answer.empty() && line["speaker"] == "agent" && line["text"].get<std::string>().rfind("Our clinic", 0) == 0)
            first_answer = line["text"];
    EXPECT_EQ(first_answer, report["turns"][0]["agent_text"]) << "voxctl heard what the record says was heard";
    EXPECT_FALSE(first_answer.empty()) << record["transcript"].dump();
    EXPECT_LT(first_answer.size(), answer.size()) << "the record keeps only what was heard\n" << run.out << "\n" << record["transcript"].dump();
}

VOX_API_BOTH_BACKENDS(VoxctlCallEndToEndTest);

}  // namespace
}  // namespace vox::calltest
