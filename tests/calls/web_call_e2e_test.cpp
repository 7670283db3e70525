// A whole web call end to end: voxd with the real transport.websocket,
// stt.pocketsphinx, tts.flite and llm.openai on the local OpenAI test server.
// A client joins socket_url, streams a WAV of flite saying "what time do you
// open tomorrow" in real time with silence around it, hears the agent's
// greeting and answer, hangs up; the record and the event socket tell the
// story (docs/protocol.md).
#include "call_api_fixture.hpp"
#include "event_socket_client.hpp"

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

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using test::OpenAiTestServer;

constexpr std::uint32_t kRate = 16000;

// flite's kal16 voice saying `text`, written to `wav` (and read back, as a client would).
audio::AudioBuffer flite_wav(const std::string& text, const std::filesystem::path& wav) {
    HostServices host;
    PluginRegistry registry(host);
    EXPECT_TRUE(PluginLoader(registry).load_file(VOX_TEST_FLITE_PLUGIN));
    audio::AudioBuffer speech{{}, kRate, 1};
    std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    {
        TtsClient tts(*registry.find("tts.flite"),
                      {.on_audio =
                           [&](std::uint64_t, const audio::AudioView& a) {
                               std::lock_guard lock(mutex);
                               speech.samples.insert(speech.samples.end(), a.samples.begin(), a.samples.end());
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
    audio::write_wav(wav, speech.view());
    return audio::read_wav(wav);
}

// The caller's side of the media socket: sends audio paced in real time,
// collects the agent's audio and the events.
class MediaClient {
public:
    // nullptr (with `failure`) when the handshake is refused.
    static std::unique_ptr<MediaClient> join(const std::string& socket_url, std::string* failure) {
        Poco::URI uri(socket_url);
        auto session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
        session->setTimeout(Poco::Timespan(10, 0));
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        Poco::Net::HTTPResponse response;
        try {
            auto socket = std::make_unique<Poco::Net::WebSocket>(*session, request, response);
            return std::unique_ptr<MediaClient>(new MediaClient(std::move(session), std::move(socket)));
        } catch (const Poco::Exception& error) {
            if (failure != nullptr) *failure = std::to_string(static_cast<int>(response.getStatus()));
            return nullptr;
        }
    }

    ~MediaClient() {
        stop_ = true;
        if (reader_.joinable()) reader_.join();
    }

    // 20 ms frames at the real-time pace.
    void send(const std::vector<std::int16_t>& samples) {
        const std::size_t per_frame = kRate / 50;
        if (next_ == Clock::time_point{}) next_ = Clock::now();
        for (std::size_t at = 0; at < samples.size(); at += per_frame) {
            std::vector<std::int16_t> frame(per_frame, 0);
            std::copy(samples.begin() + static_cast<std::ptrdiff_t>(at),
                      samples.begin() + static_cast<std::ptrdiff_t>(std::min(samples.size(), at + per_frame)),
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
        }
    }
    void silence(std::chrono::milliseconds duration) {
        send(std::vector<std::int16_t>(static_cast<std::size_t>(kRate * duration.count() / 1000), 0));
    }
    // Silence until `until` holds (checked every 20 ms) or the time runs out.
    bool silence_until(const std::function<bool()>& until, std::chrono::milliseconds timeout) {
        auto deadline = Clock::now() + timeout;
        while (Clock::now() < deadline && !until()) silence(20ms);
        return until();
    }
    void send_text(const std::string& text) {
        socket_->sendFrame(text.data(), static_cast<int>(text.size()), Poco::Net::WebSocket::FRAME_TEXT);
    }

    std::vector<nlohmann::json> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }
    bool saw(const std::string& type, const std::function<bool(const nlohmann::json&)>& also = {}) const {
        for (const auto& event : events())
            if (event.value("type", "") == type && (!also || also(event))) return true;
        return false;
    }
    std::size_t agent_audio_bytes() const { return audio_bytes_; }
    bool wait_closed(std::chrono::milliseconds timeout) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return closed_.load(); });
    }
    std::optional<std::uint16_t> close_code() const {
        std::lock_guard lock(mutex_);
        return close_code_;
    }

private:
    MediaClient(std::unique_ptr<Poco::Net::HTTPClientSession> session, std::unique_ptr<Poco::Net::WebSocket> socket)
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
                mark_closed(std::nullopt);
                return;
            }
            int opcode = flags & Poco::Net::WebSocket::FRAME_OP_BITMASK;
            if (received == 0 && flags == 0) {
                mark_closed(std::nullopt);
            } else if (opcode == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
                std::optional<std::uint16_t> code;
                if (buffer.size() >= 2)
                    code = static_cast<std::uint16_t>((static_cast<unsigned char>(buffer[0]) << 8) |
                                                      static_cast<unsigned char>(buffer[1]));
                try {
                    socket_->shutdown(Poco::Net::WebSocket::WS_NORMAL_CLOSE);
                } catch (const Poco::Exception&) {}
                mark_closed(code);
            } else if (opcode == Poco::Net::WebSocket::FRAME_OP_BINARY) {
                audio_bytes_ += buffer.size();
            } else if (opcode == Poco::Net::WebSocket::FRAME_OP_TEXT) {
                auto event = nlohmann::json::parse(std::string(buffer.begin(), buffer.size()), nullptr, false);
                std::lock_guard lock(mutex_);
                events_.push_back(event);
            }
        }
    }
    void mark_closed(std::optional<std::uint16_t> code) {
        std::lock_guard lock(mutex_);
        close_code_ = code;
        closed_ = true;
        changed_.notify_all();
    }

    std::unique_ptr<Poco::Net::HTTPClientSession> session_;
    std::unique_ptr<Poco::Net::WebSocket> socket_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<nlohmann::json> events_;
    std::optional<std::uint16_t> close_code_;
    std::atomic<std::size_t> audio_bytes_{0};
    std::atomic<bool> closed_{false};
    std::atomic<bool> stop_{false};
    Clock::time_point next_{};
    std::thread reader_;
};

std::set<std::string> words_of(const std::string& text) {
    std::set<std::string> words;
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
        std::string clean;
        for (char c : word)
            if (std::isalpha(static_cast<unsigned char>(c))) clean += static_cast<char>(std::tolower(c));
        if (!clean.empty()) words.insert(clean);
    }
    return words;
}

class WebCallEndToEndTest : public CallApiTest {
protected:
    bool fake_transport() const override { return false; }
    void SetUp() override {
        CallApiTest::SetUp();
        if (HasFatalFailure()) return;
        auto plugins = api->get("/api/plugins").json();
        bool has_transport = false;
        for (const auto& provider : plugins["providers"])
            if (provider.value("key", "") == "transport.websocket") has_transport = true;
        if (!has_transport) GTEST_SKIP() << "transport.websocket is not built";
    }
};

TEST_P(WebCallEndToEndTest, ACallerAsksAndHearsTheAnswerAndTheRecordTellsIt) {
    test::ScratchDirectory scratch;
    auto speech = flite_wav("what time do you open tomorrow", scratch.path() / "question.wav");
    ASSERT_GT(speech.duration_seconds(), 1.0);
    openai->set_script({.chunks = OpenAiTestServer::content_chunks({"We open ", "at nine tomorrow."})});
    Json agent_doc = agent({{"model", "gpt-test"}});
    Json call = start_call(agent_doc["id"], {{"variables", {{"clinic", "Northside"}}}, {"sample_rate", kRate}});
    std::string id = call["call_id"];

    auto watcher =
        EventSocket::open(voxd->port(), "/ws/calls/" + id + "?token=" + call["access_token"].get<std::string>());
    ASSERT_TRUE(watcher);
    // Events follow the snapshot: once it has arrived, none of the call's is missed.
    auto snapshot = watcher->next(10s);
    ASSERT_TRUE(snapshot);
    std::vector<nlohmann::json> watched{*snapshot};
    std::thread watching([&] {
        auto rest = watcher->until_closed(90s);
        watched.insert(watched.end(), rest.begin(), rest.end());
    });

    std::string failure;
    auto client = MediaClient::join(call["socket_url"], &failure);
    ASSERT_TRUE(client) << "the media socket refused: " << failure;
    // The greeting plays while the caller is silent.
    EXPECT_TRUE(client->silence_until(
        [&] { return client->saw("agent_stop_talking", [](const Json& e) { return e.value("turn", -1) == 0; }); }, 15s))
        << "no greeting";
    std::size_t greeting_bytes = client->agent_audio_bytes();
    EXPECT_GT(greeting_bytes, 0u);
    // A watcher joining now gets the greeting in its snapshot's transcript,
    // and not again as an event.
    auto late = EventSocket::open(voxd->port(), "/ws/calls/" + id + "?token=" + apitest::url_encode(test::kTestApiKey));
    ASSERT_TRUE(late);
    auto late_snapshot = late->next(10s);
    ASSERT_TRUE(late_snapshot);
    const Json& so_far = (*late_snapshot)["call"]["transcript"];
    ASSERT_EQ(so_far.size(), 1U) << late_snapshot->dump();
    EXPECT_EQ(so_far[0]["speaker"], "agent");
    EXPECT_NE(so_far[0].value("text", "").find("Hello, this is Northside."), std::string::npos) << so_far.dump();
    std::vector<Json> late_events;
    std::thread late_watching([&] { late_events = late->until_closed(90s); });
    client->send(speech.samples);
    EXPECT_TRUE(client->silence_until(
        [&] { return client->saw("agent_stop_talking", [](const Json& e) { return e.value("turn", 0) >= 1; }); }, 30s))
        << "no answer";
    EXPECT_GT(client->agent_audio_bytes(), greeting_bytes) << "the answer was not heard";
    client->send_text("{\"type\":\"hangup\"}");
    EXPECT_TRUE(client->wait_closed(10s));
    EXPECT_EQ(client->close_code(), std::optional<std::uint16_t>(1000));
    watching.join();
    late_watching.join();
    for (const auto& event : late_events)
        EXPECT_FALSE(event["type"] == "transcript" && event["role"] == "agent" && event.value("turn", -1) == 0)
            << "the greeting came twice: " << event.dump();
    EXPECT_TRUE(std::any_of(late_events.begin(), late_events.end(), [](const Json& event) {
        return event["type"] == "transcript" && event["role"] == "agent" && event["final"] == true;
    })) << "the answer's line reached the late watcher";

    // The caller's client saw the call's events from call_started on (it hung up itself, so
    // call_ended goes to the event sockets only: see the API end in the next test).
    auto media_events = client->events();
    ASSERT_FALSE(media_events.empty());
    EXPECT_EQ(media_events.front()["type"], "call_started");
    EXPECT_TRUE(client->saw("transcript", [](const Json& e) { return e["role"] == "agent"; }));

    // The record, stored before call_ended went out.
    auto reply = api->get("/api/calls/" + id);
    ASSERT_EQ(reply.status, 200);
    Json record = reply.json();
    EXPECT_EQ(record["status"], "completed");
    EXPECT_EQ(record["disconnection_reason"], "user_hangup");
    EXPECT_GT(record["duration"].get<double>(), speech.duration_seconds());
    std::string user_text;
    std::string agent_text;
    for (const auto& line : record["transcript"])
        (line["speaker"] == "user" ? user_text : agent_text) += line["text"].get<std::string>() + " ";
    std::set<std::string> heard = words_of(user_text);
    int overlap = 0;
    for (const char* word : {"what", "time", "do", "you", "open", "tomorrow"}) overlap += heard.count(word) ? 1 : 0;
    EXPECT_GE(overlap, 3) << "the user's words: " << user_text;
    EXPECT_NE(agent_text.find("Hello, this is Northside."), std::string::npos) << agent_text;
    EXPECT_NE(agent_text.find("We open at nine tomorrow."), std::string::npos) << agent_text;
    ASSERT_TRUE(record["latency"].contains("e2e")) << record["latency"].dump();
    for (const char* figure : {"p50", "p90", "p95", "p99", "min", "max"})
        EXPECT_TRUE(record["latency"]["e2e"].contains(figure)) << figure;
    EXPECT_GE(record["latency"]["e2e"].value("count", 0), 1);
    auto stats = api->get("/api/agents/" + agent_doc["id"].get<std::string>()).json()["stats"];
    EXPECT_EQ(stats["calls_handled"], 1);
    EXPECT_EQ(stats["success_rate"], 1.0);
    EXPECT_GT(stats["avg_latency"].get<double>(), 0.0);

    // The event socket: the snapshot, the call's events, call_ended, then 1000.
    ASSERT_FALSE(watched.empty());
    EXPECT_EQ(watched.front()["type"], "snapshot");
    std::set<std::string> types;
    for (const auto& event : watched) types.insert(event.value("type", ""));
    for (const char* type : {"call_started", "user_start_talking", "user_stop_talking", "transcript",
                             "agent_start_talking", "agent_stop_talking", "metrics", "call_ended"})
        EXPECT_TRUE(types.count(type)) << "the event socket missed " << type;
    EXPECT_EQ(watched.back()["type"], "call_ended");
    EXPECT_EQ(watcher->close_code(), std::optional<std::uint16_t>(1000));

    // The token admitted one connection, once.
    std::string again;
    EXPECT_FALSE(MediaClient::join(call["socket_url"], &again));
    EXPECT_EQ(again, "401");
}

TEST_P(WebCallEndToEndTest, TheTokenAdmitsOneCallerOnceAndOnlyInTime) {
    restart({{"VOX_CALLS_TOKEN_TTL_MS", "1500"}});
    Json agent_doc = agent({{"model", "gpt-test"}});
    Json call = start_call(agent_doc["id"]);
    std::string failure;
    auto first = MediaClient::join(call["socket_url"], &failure);
    ASSERT_TRUE(first) << failure;
    EXPECT_FALSE(MediaClient::join(call["socket_url"], &failure)) << "a second caller got in";
    EXPECT_EQ(failure, "401");
    std::string forged = call["socket_url"].get<std::string>();
    forged.back() = forged.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(MediaClient::join(forged, &failure));
    EXPECT_EQ(failure, "401");
    first->silence(300ms);
    auto ended = api->post("/api/calls/end", {{"call_id", call["call_id"]}});
    ASSERT_EQ(ended.status, 200) << ended.describe();
    EXPECT_EQ(ended.json()["disconnection_reason"], "api_hangup");
    EXPECT_TRUE(first->wait_closed(5s));
    EXPECT_EQ(first->close_code(), std::optional<std::uint16_t>(1000));
    EXPECT_TRUE(first->saw("call_ended", [](const Json& e) { return e["reason"] == "api_hangup"; }));

    // Too late: the token has expired and the call is over.
    Json late = start_call(agent_doc["id"]);
    Json record = wait_until_ended(late["call_id"], 10s);
    EXPECT_EQ(record["disconnection_reason"], "no_connection");
    EXPECT_FALSE(MediaClient::join(late["socket_url"], &failure));
    EXPECT_EQ(failure, "401");
}

VOX_API_BOTH_BACKENDS(WebCallEndToEndTest);

}  // namespace
}  // namespace vox::calltest
