// A whole web call end to end: voxd with the real transport.websocket,
// stt.pocketsphinx, tts.flite and llm.openai on the local OpenAI test server.
// A client joins socket_url, streams a WAV of flite saying "what time do you
// open tomorrow" in real time with silence around it, hears the agent's
// greeting and answer, hangs up; the record and the event socket tell the
// story (docs/protocol.md).
#include "call_api_fixture.hpp"
#include "event_socket_client.hpp"
#include "media_client.hpp"

#include <vox/core/audio/wav.hpp>

#include <Poco/Net/NetException.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;
using test::OpenAiTestServer;

constexpr std::uint32_t kRate = 16000;

// flite's kal16 voice saying `text`, written to `wav` (and read back, as a client would).
audio::AudioBuffer flite_wav(const std::string& text, const std::filesystem::path& wav) {
    auto speech = flite_speech(text, kRate);
    audio::write_wav(wav, audio::AudioView{speech, kRate, 1});
    return audio::read_wav(wav);
}

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
        if (!provider_loaded("transport.websocket")) GTEST_SKIP() << "transport.websocket is not built";
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
