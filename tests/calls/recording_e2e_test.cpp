// Call recordings end to end: a real web call through voxd (transport.websocket,
// stt.pocketsphinx, tts.flite, llm.openai on the local OpenAI test server),
// then GET /api/calls/{id}/recording: a stereo WAV at the call's rate, as long
// as the call, the caller's speech on the left where it was sent and nothing
// else there, the agent's greeting and answer on the right and silence while
// the caller asks; byte ranges; calls.recording = false; a recordings
// directory that cannot be written.
#include "call_api_fixture.hpp"
#include "media_client.hpp"

#include <vox/core/audio/wav.hpp>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;
using test::OpenAiTestServer;

constexpr std::uint32_t kRate = 16000;

// One channel of interleaved stereo samples between two frame positions.
struct Channel {
    const audio::AudioBuffer& wav;
    std::size_t channel;

    double rms(std::size_t from, std::size_t to) const {
        to = std::min(to, wav.frames());
        if (from >= to) return 0.0;
        double sum = 0;
        for (std::size_t i = from; i < to; ++i) {
            double s = wav.samples[i * 2 + channel];
            sum += s * s;
        }
        return std::sqrt(sum / static_cast<double>(to - from));
    }
    std::optional<std::size_t> first_nonzero() const {
        for (std::size_t i = 0; i < wav.frames(); ++i)
            if (wav.samples[i * 2 + channel] != 0) return i;
        return std::nullopt;
    }
};

class RecordingEndToEndTest : public CallApiTest {
protected:
    bool fake_transport() const override { return false; }
    void SetUp() override {
        CallApiTest::SetUp();
        if (HasFatalFailure()) return;
        if (!provider_loaded("transport.websocket")) GTEST_SKIP() << "transport.websocket is not built";
    }

    // A call whose caller joins, hears the greeting, then hangs up by the API.
    Json short_call(const std::string& agent_id) {
        Json call = start_call(agent_id, {{"sample_rate", kRate}});
        auto caller = MediaClient::join(call["socket_url"]);
        EXPECT_TRUE(caller);
        if (!caller) return Json();
        EXPECT_TRUE(caller->silence_until([&] { return caller->agent_stopped(0); }, 15s)) << "no greeting";
        auto ended = api->post("/api/calls/end", {{"call_id", call["call_id"]}});
        EXPECT_EQ(ended.status, 200) << ended.describe();
        return ended.json();
    }

    void expect_no_recording(const Json& record) {
        EXPECT_TRUE(record["recording_url"].is_null()) << record.dump();
        auto reply = api->get("/api/calls/" + record["id"].get<std::string>() + "/recording");
        EXPECT_EQ(reply.status, 404) << reply.describe();
        EXPECT_EQ(reply.json().value("code", ""), "recording_not_found");
    }
};

TEST_P(RecordingEndToEndTest, AWebCallLeavesAStereoRecordingOfBothSidesOnTheCallsTimeline) {
    auto speech = flite_speech("what time do you open tomorrow", kRate);
    ASSERT_GT(speech.size(), kRate);
    openai->set_script({.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."})});
    Json agent_doc = agent({{"model", "gpt-test"}});
    Json call = start_call(agent_doc["id"], {{"variables", {{"clinic", "Northside"}}}, {"sample_rate", kRate}});
    std::string id = call["call_id"];

    auto caller = MediaClient::join(call["socket_url"]);
    ASSERT_TRUE(caller);
    ASSERT_TRUE(caller->silence_until([&] { return caller->agent_stopped(0); }, 15s)) << "no greeting";
    caller->silence(300ms);
    const std::size_t question_start = caller->sent();
    caller->send(speech);
    const std::size_t question_end = caller->sent();
    ASSERT_TRUE(caller->silence_until([&] { return caller->agent_stopped(1); }, 30s)) << "no answer";
    const std::size_t answer_heard = caller->sent();
    caller->silence(600ms);
    caller->hang_up();
    EXPECT_TRUE(caller->wait_closed(10s));

    Json record = wait_until_ended(id);
    EXPECT_EQ(record["status"], "completed");
    ASSERT_EQ(record["recording_url"], "/api/calls/" + id + "/recording") << record.dump();

    auto reply = api->get(record["recording_url"].get<std::string>());
    ASSERT_EQ(reply.status, 200) << reply.describe();
    EXPECT_EQ(reply.media_type(), "audio/wav");
    EXPECT_EQ(reply.header("content-length"), std::to_string(reply.body.size()));
    EXPECT_EQ(reply.header("accept-ranges"), "bytes");
    auto wav =
        audio::decode_wav(std::span(reinterpret_cast<const std::uint8_t*>(reply.body.data()), reply.body.size()));
    EXPECT_EQ(wav.sample_rate, kRate);
    ASSERT_EQ(wav.channels, 2u);
    EXPECT_NEAR(wav.duration_seconds(), record["duration"].get<double>(), 1.0);
    EXPECT_NEAR(wav.duration_seconds(), static_cast<double>(caller->sent()) / kRate, 1.0);

    // The file starts when the session took its first audio: a little after the caller's first frame.
    Channel caller_track{wav, 0};
    Channel agent_track{wav, 1};
    std::size_t speech_onset = 0;
    while (speech_onset < speech.size() && speech[speech_onset] == 0) ++speech_onset;
    auto heard_onset = caller_track.first_nonzero();
    ASSERT_TRUE(heard_onset) << "no caller audio in the recording";
    // Frames the caller sent before the session listened (positive), or silence the session added
    // while the caller's audio was late (negative): small either way.
    const auto lead =
        static_cast<std::int64_t>(question_start + speech_onset) - static_cast<std::int64_t>(*heard_onset);
    EXPECT_LT(std::abs(lead), static_cast<std::int64_t>(kRate / 2));
    auto at = [&](std::size_t sent) {
        return static_cast<std::size_t>(std::max<std::int64_t>(0, static_cast<std::int64_t>(sent) - lead));
    };

    // Left: the caller's speech where it was sent, exact silence everywhere else (the client sent zeros).
    const std::size_t q0 = at(question_start);
    const std::size_t q1 = at(question_end);
    EXPECT_GT(caller_track.rms(q0, q1), 300.0);
    EXPECT_EQ(caller_track.rms(0, q0), 0.0);
    EXPECT_EQ(caller_track.rms(q1 + kRate / 4, wav.frames()), 0.0);

    // Right: the greeting before the question, nothing while the caller asks, the answer after it,
    // and silence once the answer has played.
    EXPECT_GT(agent_track.rms(0, q0), 100.0) << "no greeting on the agent's channel";
    EXPECT_LT(agent_track.rms(q0 + kRate / 5, q1), 1.0) << "agent audio while the caller spoke";
    EXPECT_GT(agent_track.rms(q1, at(answer_heard)), 100.0) << "no answer on the agent's channel";
    EXPECT_LT(agent_track.rms(at(answer_heard) + kRate / 5, wav.frames()), 1.0) << "agent audio after the answer";

    // A browser seeking: one byte range, and one beyond the end.
    auto head = api->get(record["recording_url"].get<std::string>(), {{"Range", "bytes=0-43"}});
    ASSERT_EQ(head.status, 206) << head.describe();
    EXPECT_EQ(head.body, reply.body.substr(0, 44));
    EXPECT_EQ(head.header("content-range"), "bytes 0-43/" + std::to_string(reply.body.size()));
    auto tail = api->get(record["recording_url"].get<std::string>(), {{"Range", "bytes=-100"}});
    ASSERT_EQ(tail.status, 206);
    EXPECT_EQ(tail.body, reply.body.substr(reply.body.size() - 100));
    auto beyond = api->get(record["recording_url"].get<std::string>(),
                           {{"Range", "bytes=" + std::to_string(reply.body.size()) + "-"}});
    EXPECT_EQ(beyond.status, 416);
    EXPECT_EQ(beyond.header("content-range"), "bytes */" + std::to_string(reply.body.size()));

    // The file lives in <data.dir>/recordings.
    EXPECT_TRUE(
        std::filesystem::exists(std::filesystem::path(voxd->database().data_dir()) / "recordings" / (id + ".wav")));
}

TEST_P(RecordingEndToEndTest, CallsWithoutAudioOrWithRecordingOffHaveNone) {
    auto missing = api->get("/api/calls/call_doesnotexist0000000000/recording");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json().value("code", ""), "call_not_found");

    Json agent_doc = agent({{"model", "gpt-test"}});
    // Nobody joined: no audio at all.
    Json unjoined = start_call(agent_doc["id"]);
    auto ended = api->post("/api/calls/end", {{"call_id", unjoined["call_id"]}});
    ASSERT_EQ(ended.status, 200) << ended.describe();
    expect_no_recording(ended.json());

    restart({{"VOX_CALLS_RECORDING", "false"}});
    Json record = short_call(agent_doc["id"]);
    ASSERT_TRUE(record.is_object());
    EXPECT_EQ(record["status"], "completed");
    expect_no_recording(record);
}

TEST_P(RecordingEndToEndTest, ARecordingsDirectoryThatCannotBeWrittenLeavesTheCallAlone) {
    auto blocker = std::filesystem::path(VOX_TEST_TMP_DIR) / ("not_a_directory_" + std::to_string(::getpid()));
    std::filesystem::create_directories(blocker.parent_path());
    std::ofstream(blocker) << "a file where the recordings directory's parent should be";
    restart({{"VOX_CALLS_RECORDINGS_DIR", (blocker / "recordings").string()}});
    Json agent_doc = agent({{"model", "gpt-test"}});
    Json record = short_call(agent_doc["id"]);
    ASSERT_TRUE(record.is_object());
    EXPECT_EQ(record["status"], "completed");
    EXPECT_EQ(record["disconnection_reason"], "api_hangup");
    expect_no_recording(record);
    std::string log = voxd->output();
    std::size_t reports = 0;
    for (auto at = log.find("cannot record the call"); at != std::string::npos;
         at = log.find("cannot record the call", at + 1))
        ++reports;
    EXPECT_EQ(reports, 1u) << "the failure is logged once per call";
    std::filesystem::remove(blocker);
}

VOX_API_BOTH_BACKENDS(RecordingEndToEndTest);

}  // namespace
}  // namespace vox::calltest
