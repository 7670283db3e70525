// voxctl call end to end: the built voxctl against vox_test_call_server
// (tests/transport), which serves POST /api/calls/start, runs the real
// transport.websocket plugin and answers each caller turn with a 1 s tone.
// Checks the JSON, the latency, the recording, barge-in and the exit codes.
#include "voxctl_runner.hpp"

#include <vox/core/audio/wav.hpp>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

extern char** environ;

namespace vox::test {
namespace {

using namespace std::chrono_literals;

const std::string kApiKey = "voxctl-call-test-key";

// Caller "speech": a buzz with harmonics, between leading and trailing silence.
std::string speech_wav(const std::string& name, std::uint32_t rate, double seconds) {
    std::vector<std::int16_t> samples(static_cast<std::size_t>(rate * (0.15 + seconds + 0.2)), 0);
    const auto begin = static_cast<std::size_t>(rate * 0.15);
    for (std::size_t i = 0; i < static_cast<std::size_t>(rate * seconds); ++i) {
        double t = static_cast<double>(i) / rate;
        double value = 0;
        for (int h = 1; h <= 5; ++h) value += std::sin(2 * M_PI * 180.0 * h * t) / h;
        samples[begin + i] = static_cast<std::int16_t>(std::lround(4000 * value));
    }
    std::string path = std::string(VOX_TEST_TMP_DIR) + "/" + name;
    std::filesystem::create_directories(VOX_TEST_TMP_DIR);
    audio::write_wav(path, audio::AudioView{samples, rate, 1});
    return path;
}

// The lengths (s) of the loud stretches of a recording, in 10 ms windows.
std::vector<double> loud_stretches(const audio::AudioBuffer& audio) {
    std::vector<double> stretches;
    const std::size_t window = audio.sample_rate / 100;
    std::size_t run = 0;
    for (std::size_t at = 0; at + window <= audio.samples.size(); at += window) {
        double sum = 0;
        for (std::size_t i = at; i < at + window; ++i) sum += static_cast<double>(audio.samples[i]) * audio.samples[i];
        bool loud = std::sqrt(sum / static_cast<double>(window)) > 1000;
        if (loud) ++run;
        if ((!loud || at + 2 * window > audio.samples.size()) && run > 0) {
            stretches.push_back(static_cast<double>(run) / 100.0);
            run = 0;
        }
    }
    return stretches;
}

class VoxctlCallTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        std::filesystem::create_directories(VOX_TEST_TMP_DIR);
        // ctest runs each test in its own process, two at a time: one server (and port file) per process.
        port_file_ = std::string(VOX_TEST_TMP_DIR) + "/call_server." + std::to_string(getpid()) + ".port";
        std::filesystem::remove(port_file_);
        std::vector<std::string> args = {VOX_TEST_CALL_SERVER, "--port-file", port_file_, "--api-key", kApiKey};
        std::vector<char*> argv;
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        ASSERT_EQ(posix_spawn(&server_, VOX_TEST_CALL_SERVER, nullptr, nullptr, argv.data(), environ), 0);
        for (int i = 0; i < 200 && !std::filesystem::exists(port_file_); ++i) std::this_thread::sleep_for(50ms);
        std::ifstream(port_file_) >> port_;
        ASSERT_NE(port_, 0) << "the call server did not start";
        url_ = "http://127.0.0.1:" + std::to_string(port_);
    }
    static void TearDownTestSuite() {
        if (server_ > 0) {
            kill(server_, SIGTERM);
            int status = 0;
            waitpid(server_, &status, 0);
            server_ = 0;
            std::filesystem::remove(port_file_);
        }
    }

    static std::vector<std::string> call_args(const std::string& agent = "agent_echo") {
        return {"call", "--url", url_, "--api-key", kApiKey, "--agent", agent};
    }
    static nlohmann::json parse(const Result& result) {
        auto json = nlohmann::json::parse(result.out, nullptr, false);
        EXPECT_TRUE(json.is_object()) << result.out << result.err;
        return json;
    }

    static inline pid_t server_ = 0;
    static inline int port_ = 0;
    static inline std::string port_file_;
    static inline std::string url_;
};

TEST_F(VoxctlCallTest, TwoTurnsWithLatencyTranscriptsAndRecording) {
    auto first = speech_wav("first.wav", 16000, 0.8);
    auto second = speech_wav("second.wav", 22050, 0.6);  // resampled to the call's rate
    std::string recording = scratch("agent.wav");
    auto args = call_args();
    args.insert(args.end(), {"--say", first, "--say", second, "--json", "--record", recording});
    Result result = voxctl(args);
    ASSERT_EQ(result.status, 0) << result.err;
    auto json = parse(result);
    EXPECT_EQ(json.size(), 3u) << json.dump();
    EXPECT_EQ(json.value("call_id", "").rfind("call_", 0), 0u);
    EXPECT_EQ(json["ended_reason"], "user_hangup");
    ASSERT_EQ(json["turns"].size(), 2u) << json.dump();
    for (const auto& turn : json["turns"]) {
        EXPECT_EQ(turn.size(), 3u) << turn.dump();
        ASSERT_TRUE(turn["latency_ms"].is_number()) << turn.dump();
        // The agent answers after 300 ms of silence; 20 ms frames and the network add a little.
        EXPECT_GT(turn["latency_ms"].get<double>(), 250.0);
        EXPECT_LT(turn["latency_ms"].get<double>(), 1000.0);
        EXPECT_EQ(turn["agent_text"], "tone 1000 ms");
    }
    EXPECT_EQ(json["turns"][0]["user_text"], "speech 800 ms");
    EXPECT_EQ(json["turns"][1]["user_text"], "speech 600 ms");
    std::printf("[ figures ] voxctl call latency: %s ms, %s ms\n", json["turns"][0]["latency_ms"].dump().c_str(),
                json["turns"][1]["latency_ms"].dump().c_str());

    // The recording holds the greeting (0.5 s) and both answers (1 s each), apart, at the call's rate.
    auto recorded = audio::read_wav(recording);
    EXPECT_EQ(recorded.sample_rate, 16000u);
    auto stretches = loud_stretches(recorded);
    ASSERT_EQ(stretches.size(), 3u) << ::testing::PrintToString(stretches);
    EXPECT_NEAR(stretches[0], 0.5, 0.05);
    EXPECT_NEAR(stretches[1], 1.0, 0.05);
    EXPECT_NEAR(stretches[2], 1.0, 0.05);
    // Between the answers the caller spoke (0.8 s + silence), so the recording is time-aligned.
    EXPECT_GT(recorded.duration_seconds(), 0.5 + 0.8 + 1.0 + 0.6 + 1.0 + 0.6);
}

TEST_F(VoxctlCallTest, BargeInStopsTheAnswerQuickly) {
    auto first = speech_wav("barge_first.wav", 16000, 0.8);
    auto second = speech_wav("barge_second.wav", 16000, 0.6);
    std::string recording = scratch("agent.wav");
    auto args = call_args();
    args.insert(args.end(), {"--say", first, "--say", second, "--barge-in-ms", "300", "--json", "--record", recording});
    Result result = voxctl(args);
    ASSERT_EQ(result.status, 0) << result.err;
    auto json = parse(result);
    ASSERT_EQ(json["turns"].size(), 2u) << json.dump();
    const auto& barged = json["turns"][1];
    ASSERT_TRUE(barged["barge_in_stop_ms"].is_number()) << barged.dump();
    std::printf("[ figures ] barge-in: agent audio stopped %s ms after the caller's first speech sample\n",
                barged["barge_in_stop_ms"].dump().c_str());
    EXPECT_GE(barged["barge_in_stop_ms"].get<double>(), 0.0);
    EXPECT_LT(barged["barge_in_stop_ms"].get<double>(), 150.0);
    EXPECT_FALSE(json["turns"][0].contains("barge_in_stop_ms"));
    EXPECT_GT(barged["latency_ms"].get<double>(), 250.0);
    EXPECT_LT(barged["latency_ms"].get<double>(), 1000.0);
    // The first answer was cut: 300 ms + 150 ms of leading silence + detection, far from its 1 s.
    std::string cut = json["turns"][0]["agent_text"];
    int heard = std::stoi(cut.substr(cut.find(' ') + 1));
    EXPECT_GT(heard, 400);
    EXPECT_LT(heard, 650);
    auto stretches = loud_stretches(audio::read_wav(recording));
    ASSERT_EQ(stretches.size(), 3u) << ::testing::PrintToString(stretches);
    EXPECT_NEAR(stretches[1], heard / 1000.0, 0.06) << "the recording drops what the clear discarded";
    EXPECT_NEAR(stretches[2], 1.0, 0.05);
}

TEST_F(VoxctlCallTest, HumanOutputAt8kHz) {
    auto say = speech_wav("human.wav", 22050, 0.5);
    auto args = call_args();
    args.insert(args.end(), {"--say", say, "--sample-rate", "8000"});
    Result result = voxctl(args);
    ASSERT_EQ(result.status, 0) << result.err;
    EXPECT_TRUE(contains(result.out, "(8000 Hz)")) << result.out;
    EXPECT_TRUE(contains(result.out, "turn 1: latency ")) << result.out;
    EXPECT_TRUE(contains(result.out, "caller: \"speech 500 ms\"")) << result.out;
    EXPECT_TRUE(contains(result.out, "agent:  \"tone 1000 ms\"")) << result.out;
    EXPECT_TRUE(contains(result.out, "ended: user_hangup")) << result.out;
}

TEST_F(VoxctlCallTest, AnAnswerThatNeverComesTimesOut) {
    auto say = speech_wav("unanswered.wav", 16000, 0.4);
    auto args = call_args("agent_silent");
    args.insert(args.end(), {"--say", say, "--answer-timeout", "1", "--json"});
    auto started = std::chrono::steady_clock::now();
    Result result = voxctl(args);
    EXPECT_EQ(result.status, 75) << result.err;
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
    auto json = parse(result);
    ASSERT_EQ(json["turns"].size(), 1u) << json.dump();
    EXPECT_TRUE(json["turns"][0]["latency_ms"].is_null());
    EXPECT_EQ(json["turns"][0]["user_text"], "speech 400 ms");
    EXPECT_TRUE(contains(result.err, "no answer within 1 s")) << result.err;
}

TEST_F(VoxctlCallTest, RefusalsAndUsageErrors) {
    auto say = speech_wav("refused.wav", 16000, 0.3);

    auto wrong_key = call_args();
    wrong_key[4] = "not-the-key";
    wrong_key.insert(wrong_key.end(), {"--say", say});
    Result result = voxctl(wrong_key);
    EXPECT_EQ(result.status, 69);
    EXPECT_TRUE(contains(result.err, "401")) << result.err;
    EXPECT_TRUE(contains(result.err, "missing or wrong API key")) << result.err;

    auto unknown_agent = call_args("agent_nobody");
    unknown_agent.insert(unknown_agent.end(), {"--say", say});
    result = voxctl(unknown_agent);
    EXPECT_EQ(result.status, 69);
    EXPECT_TRUE(contains(result.err, "agent agent_nobody does not exist")) << result.err;
    EXPECT_TRUE(contains(result.err, "agent_not_found")) << result.err;

    auto bad_socket = call_args();
    bad_socket.insert(bad_socket.end(), {"--say", say, "--socket-url", "ws://127.0.0.1:1/calls/x?access_token=y"});
    result = voxctl(bad_socket);
    EXPECT_EQ(result.status, 69);
    EXPECT_TRUE(contains(result.err, "cannot open the call's socket")) << result.err;

    result = voxctl({"call", "--url", "http://127.0.0.1:1", "--api-key", kApiKey, "--agent", "a", "--say", say});
    EXPECT_EQ(result.status, 69);
    EXPECT_TRUE(contains(result.err, "cannot reach voxd")) << result.err;

    EXPECT_EQ(voxctl(call_args()).status, 64);  // no --say
    auto missing = call_args();
    missing.insert(missing.end(), {"--say", "/nonexistent/file.wav"});
    result = voxctl(missing);
    EXPECT_EQ(result.status, 64);
    EXPECT_TRUE(contains(result.err, "no such file")) << result.err;
    auto bad_rate = call_args();
    bad_rate.insert(bad_rate.end(), {"--say", say, "--sample-rate", "11025"});
    EXPECT_EQ(voxctl(bad_rate).status, 64);
    EXPECT_EQ(voxctl({"call", "--bogus"}).status, 64);
}

}  // namespace
}  // namespace vox::test
