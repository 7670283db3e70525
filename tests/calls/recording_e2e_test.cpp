// Call recordings end to end: a real web call through voxd (transport.websocket,
// stt.pocketsphinx, tts.flite, llm.openai on the local OpenAI test server),
// then GET /api/calls/{id}/recording: a stereo WAV at the call's rate, as long
// as the call, the caller's speech on the left where it was sent and nothing
// else there, the agent's greeting and answer on the right and silence while
// the caller asks; byte ranges; calls.recording = false; a recordings
// directory that cannot be written.
#include "call_api_fixture.hpp"

#include <vox/core/audio/wav.hpp>
#include <vox/core/host_services.hpp>
#include <vox/core/plugin_loader.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/tts_client.hpp>

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <Poco/URI.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::OpenAiTestServer;

constexpr std::uint32_t kRate = 16000;
constexpr std::size_t kFrame = kRate / 50;  // 20 ms

// flite's kal16 voice saying `text` at kRate.
std::vector<std::int16_t> flite_speech(const std::string& text) {
    HostServices host;
    PluginRegistry registry(host);
    EXPECT_TRUE(PluginLoader(registry).load_file(VOX_TEST_FLITE_PLUGIN));
    std::vector<std::int16_t> speech;
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    {
        TtsClient tts(*registry.find("tts.flite"),
                      {.on_audio =
                           [&](std::uint64_t, const audio::AudioView& a) {
                               std::lock_guard lock(mutex);
                               speech.insert(speech.end(), a.samples.begin(), a.samples.end());
                           },
                       .on_word = {},
                       .on_done =
                           [&](std::uint64_t) {
                               std::lock_guard lock(mutex);
                               done = true;
                               done_cv.notify_all();
                           },
                       .on_error = {}},
                      {.settings = {{"voice", "kal16"}}, .output_sample_rate = kRate});
        tts.push_text(1, text);
        tts.flush(1);
        std::unique_lock lock(mutex);
        done_cv.wait_for(lock, 20s, [&] { return done; });
    }
    registry.shutdown();
    return speech;
}

// The caller: joins the media socket, sends 20 ms frames in real time and
// counts them (the caller's position on the call's timeline), and keeps the
// events it receives.
class Caller {
public:
    static std::unique_ptr<Caller> join(const std::string& socket_url) {
        Poco::URI uri(socket_url);
        auto session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        session->setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse response;
        try {
            auto socket = std::make_unique<Poco::Net::WebSocket>(*session, request, response);
            return std::unique_ptr<Caller>(new Caller(std::move(session), std::move(socket)));
        } catch (const Poco::Exception&) {
            return nullptr;
        }
    }
    ~Caller() {
        stop_ = true;
        if (reader_.joinable()) reader_.join();
    }

    void send(const std::vector<std::int16_t>& samples) {
        if (next_ == Clock::time_point{}) next_ = Clock::now();
        for (std::size_t at = 0; at < samples.size(); at += kFrame) {
            std::vector<std::int16_t> frame(kFrame, 0);
            std::copy(samples.begin() + static_cast<std::ptrdiff_t>(at),
                      samples.begin() + static_cast<std::ptrdiff_t>(std::min(samples.size(), at + kFrame)),
                      frame.begin());
            std::this_thread::sleep_until(next_);
            next_ += 20ms;
            if (closed_) return;
            try {
                socket_->sendFrame(frame.data(), static_cast<int>(frame.size() * sizeof(std::int16_t)),
                                   Poco::Net::WebSocket::FRAME_BINARY);
            } catch (const Poco::Exception&) {
                return;
            }
            sent_ += kFrame;
        }
    }
    bool silence_until(const std::function<bool()>& until, std::chrono::milliseconds timeout) {
        auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline && !until()) send(std::vector<std::int16_t>(kFrame, 0));
        return until();
    }
    void silence(std::chrono::milliseconds duration) {
        send(std::vector<std::int16_t>(static_cast<std::size_t>(kRate * duration.count() / 1000), 0));
    }
    void hang_up() {
        std::string text = "{\"type\":\"hangup\"}";
        socket_->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
    }
    bool agent_stopped(int min_turn) const {
        std::lock_guard lock(mutex_);
        for (const auto& event : events_)
            if (event.value("type", "") == "agent_stop_talking" && event.value("turn", -1) >= min_turn) return true;
        return false;
    }
    bool wait_closed(std::chrono::milliseconds timeout) {
        auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline && !closed_) std::this_thread::sleep_for(20ms);
        return closed_;
    }
    std::size_t sent() const { return sent_; }

private:
    Caller(std::unique_ptr<Poco::Net::HTTPClientSession> session, std::unique_ptr<Poco::Net::WebSocket> socket)
        : session_(std::move(session)), socket_(std::move(socket)) {
        socket_->setReceiveTimeout(Poco::Timespan(0, 200'000));
        reader_ = std::thread([this] { read(); });
    }
    void read() {
        while (!stop_ && !closed_) {
            Poco::Buffer<char> buffer(0);
            int flags = 0;
            int received = 0;
            try {
                received = socket_->receiveFrame(buffer, flags);
            } catch (const Poco::TimeoutException&) {
                continue;
            } catch (const Poco::Exception&) {
                closed_ = true;
                return;
            }
            int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
            if ((received == 0 && flags == 0) || opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
                closed_ = true;
            } else if (opcode == Poco::Net::WebSocket::FRAME_OP_TEXT) {
                auto event = nlohmann::json::parse(std::string(buffer.begin(), buffer.size()), nullptr, false);
                std::lock_guard lock(mutex_);
                events_.push_back(event);
            }
        }
    }

    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
    mutable std::mutex mutex_;
    std::vector<nlohmann::json> events_;
    std::atomic<bool> closed_{false};
    std::atomic<bool> stop_{false};
    std::atomic<std::size_t> sent_{0};
    Clock::time_point next_{};
    std::thread reader_;
};

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
        bool has_transport = false;
        auto plugins = api->get("/api/plugins").json();
        for (const auto& provider : plugins["providers"])
            if (provider.value("key", "") == "transport.websocket") has_transport = true;
        if (!has_transport) GTEST_SKIP() << "transport.websocket is not built";
    }

    // A call whose caller joins, hears the greeting, then hangs up by the API.
    Json short_call(const std::string& agent_id) {
        Json call = start_call(agent_id, {{"sample_rate", kRate}});
        auto caller = Caller::join(call["socket_url"]);
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
    auto speech = flite_speech("what time do you open tomorrow");
    ASSERT_GT(speech.size(), kRate);
    openai->set_script({.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."})});
    Json agent_doc = agent({{"model", "gpt-test"}});
    Json call = start_call(agent_doc["id"], {{"variables", {{"clinic", "Northside"}}}, {"sample_rate", kRate}});
    std::string id = call["call_id"];

    auto caller = Caller::join(call["socket_url"]);
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
