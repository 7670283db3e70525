// The fixture of the cloud calls (cloud_e2e_test.cpp) and of the post-call
// analysis after them (post_call_analysis_e2e_test.cpp): voxd (a child
// process, on both storage backends) configured as a user would for the real
// services, with base URLs that point at local stand-ins written from the
// providers' published APIs (tests/support), and the real `voxctl call`
// speaking a flite-made WAV over the real transport.websocket.
#pragma once

#define VOX_TEST_VOXCTL VOX_TEST_VOXCTL_PATH
#include "audio_test_server.hpp"
#include "call_api_fixture.hpp"
#include "event_socket_client.hpp"
#include "fake_deepgram_server.hpp"
#include "fake_elevenlabs_server.hpp"
#include "fake_llm_server.hpp"
#include "voxctl_runner.hpp"

#include <vox/core/audio/level.hpp>
#include <vox/core/audio/wav.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <map>
#include <thread>

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;
using test::AudioTestServer;
using test::FakeDeepgramServer;
using test::FakeElevenLabsServer;
using test::FakeLlmServer;
using test::OpenAiTestServer;

constexpr const char* kQuestion = "What time do you open tomorrow?";
constexpr const char* kAnswer = "We open at nine tomorrow.";
constexpr const char* kGreeting = "Hello, this is Northside.";

// Milliseconds of `samples` (at `rate`) in 10 ms windows louder than -30 dBFS.
double loud_ms(const std::vector<std::int16_t>& samples, std::uint32_t rate) {
    const std::size_t window = rate / 100;
    double loud = 0;
    for (std::size_t at = 0; at + window <= samples.size(); at += window)
        if (audio::rms_dbfs(std::span<const std::int16_t>(samples).subspan(at, window)) > -30.0) loud += 10;
    return loud;
}

// `text` without its spaces (how a text is cut into chunks is the plugin's business).
std::string squeezed(std::string text) {
    std::erase(text, ' ');
    return text;
}

std::string lines_of(const Json& transcript, const std::string& speaker) {
    std::string text;
    for (const auto& line : transcript)
        if (line["speaker"] == speaker) text += (text.empty() ? "" : " ") + line["text"].get<std::string>();
    return text;
}

class CloudCallEndToEndTest : public CallApiTest {
protected:
    bool fake_transport() const override { return false; }

    Environment extra_environment() const override {
        return {{"VOX_PROVIDER_STT_DEEPGRAM_BASE_URL", deepgram->base_url()},
                {"VOX_PROVIDER_STT_DEEPGRAM_API_KEY", deepgram->api_key()},
                {"VOX_PROVIDER_TTS_ELEVENLABS_BASE_URL", elevenlabs->base_url()},
                {"VOX_PROVIDER_TTS_ELEVENLABS_API_KEY", elevenlabs->api_key()},
                {"VOX_PROVIDER_STT_OPENAI_BASE_URL", audio->base_url()},
                {"VOX_PROVIDER_STT_OPENAI_API_KEY", audio->api_key()},
                {"VOX_PROVIDER_TTS_OPENAI_BASE_URL", audio->base_url()},
                {"VOX_PROVIDER_TTS_OPENAI_API_KEY", audio->api_key()},
                {"VOX_PROVIDER_LLM_CUSTOM_WEBSOCKET_URL", custom_llm->url()},
                {"VOX_PROVIDER_LLM_CUSTOM_WEBSOCKET_API_KEY", custom_llm->api_key()}};
    }

    void SetUp() override {
        deepgram = std::make_unique<FakeDeepgramServer>();
        elevenlabs = std::make_unique<FakeElevenLabsServer>();
        audio = std::make_unique<AudioTestServer>();
        custom_llm = std::make_unique<FakeLlmServer>();
        // Deepgram sends nothing while the caller is silent; the fake cannot
        // tell speech from silence, so it sends no interim results and answers
        // the Finalize that ends the turn with the caller's words. A second
        // segment of the same turn (a pause inside the sentence) is empty.
        FakeDeepgramServer::Script script;
        script.utterances = {{"What", "time", "do", "you", "open", "tomorrow?"}, {}};
        script.interim_every_ms = 0;
        deepgram->set_script(script);
        CallApiTest::SetUp();
        if (HasFatalFailure()) return;
        Json plugins = api->get("/api/plugins").json();
        for (const char* key : {"transport.websocket", "stt.deepgram", "tts.elevenlabs", "stt.openai", "tts.openai",
                                "llm.custom_websocket"}) {
            bool loaded = false;
            for (const auto& provider : plugins["providers"])
                if (provider.value("key", "") == key) loaded = true;
            if (loaded) continue;
            // Not built is a skip; built but refused (a config key this test gets wrong) is a failure.
            const std::map<std::string, std::string> files = {{"transport.websocket", "transport_websocket"},
                                                              {"stt.deepgram", "stt_deepgram"},
                                                              {"tts.elevenlabs", "tts_elevenlabs"},
                                                              {"stt.openai", "openai_audio"},
                                                              {"tts.openai", "openai_audio"},
                                                              {"llm.custom_websocket", "llm_custom_websocket"}};
            const std::string& file = files.at(key);
            for (const auto& refused : plugins["refused"])
                if (refused.value("path", "").find(file) != std::string::npos)
                    FAIL() << key << " was refused: " << refused.dump();
            GTEST_SKIP() << key << " is not built";
        }
        dir_ = std::filesystem::temp_directory_path() /
               ("vox-cloud-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        std::filesystem::create_directories(dir_);
        question_ = (dir_ / "question.wav").string();
        auto made = test::voxctl({"tts", "--provider", "flite", "--settings", R"({"voice":"kal16"})", "--text",
                                  kQuestion, "--out", question_});
        ASSERT_EQ(made.status, 0) << made.err;
    }

    void TearDown() override {
        CallApiTest::TearDown();  // voxd first: it ends its sessions with the fakes
        custom_llm.reset();
        audio.reset();
        elevenlabs.reset();
        deepgram.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }

    // Deepgram, the given LLM, ElevenLabs with the fake account's German
    // cloned voice, in German (the agent's language must reach Deepgram).
    Json elevenlabs_agent(const Json& extra) {
        Json body = {{"model", "gpt-test"},
                     {"stt_provider", "deepgram"},
                     {"tts_provider", "elevenlabs"},
                     {"voice", "v-custom-1"},
                     {"language", "de"}};
        body.update(extra);
        return agent(body);
    }

    // stt.openai, llm.openai, tts.openai with a voice of a compatible server
    // (Kokoro's af_bella): tts.openai takes voices it does not list.
    Json openai_agent() {
        return agent({{"model", "gpt-test"},
                      {"stt_provider", "openai"},
                      {"llm_provider", "openai"},
                      {"tts_provider", "openai"},
                      {"voice", "af_bella"}});
    }

    // voxctl call with the question, recording the agent's side; its JSON report.
    Json call(const std::string& agent_id) {
        auto run =
            test::voxctl({"call", "--url", "http://127.0.0.1:" + std::to_string(voxd->port()), "--api-key",
                          test::kTestApiKey, "--agent", agent_id, "--json", "--variables", R"({"clinic":"Northside"})",
                          "--answer-timeout", "10", "--say", question_, "--record", recording()});
        EXPECT_EQ(run.status, 0) << run.out << run.err;
        Json report = Json::parse(run.out, nullptr, false);
        EXPECT_TRUE(report.is_object()) << run.out << run.err;
        return report.is_object() ? report : Json::object();
    }
    std::string recording() const { return (dir_ / "agent.wav").string(); }

    // call(), with a watcher on the call's event socket beside it: the report
    // and the events from the watcher's snapshot on.
    std::pair<Json, std::vector<Json>> watched_call(const std::string& agent_id) {
        auto placed = std::async(std::launch::async, [&] { return call(agent_id); });
        std::string call_id;
        for (auto deadline = std::chrono::steady_clock::now() + 10s;
             call_id.empty() && std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms))
            for (const auto& item : list_all("/api/calls")) call_id = item.value("id", "");
        std::vector<Json> events;
        auto watcher = call_id.empty()
                           ? nullptr
                           : EventSocket::open(voxd->port(), "/ws/calls/" + call_id +
                                                                 "?token=" + apitest::url_encode(test::kTestApiKey));
        if (watcher) events = watcher->until_closed(30s);
        Json report = placed.get();
        EXPECT_TRUE(watcher) << "no event socket for the call " << call_id;
        EXPECT_EQ(report.value("call_id", ""), call_id);
        return {report, events};
    }

    // The record's provider_switches hold exactly this switch, and (when
    // `events` is given) the event socket said so.
    void check_switch(const Json& record, const std::vector<Json>* events, const std::string& stage,
                      const std::string& from, const std::string& to) {
        ASSERT_TRUE(record.contains("provider_switches")) << record.dump();
        ASSERT_EQ(record["provider_switches"].size(), 1U) << record["provider_switches"].dump();
        const Json& change = record["provider_switches"][0];
        EXPECT_EQ(change["stage"], stage);
        EXPECT_EQ(change["from"], from);
        EXPECT_EQ(change["to"], to);
        EXPECT_FALSE(change.value("reason", "").empty());
        EXPECT_TRUE(change["t_ms"].is_number());
        if (events == nullptr) return;
        std::vector<Json> fallbacks;
        for (const auto& event : *events) {
            if (event.value("type", "") == "provider_fallback") fallbacks.push_back(event);
            EXPECT_FALSE(event.value("type", "") == "error" && event.value("fatal", false)) << event.dump();
        }
        ASSERT_EQ(fallbacks.size(), 1U) << "events: " << Json(*events).dump();
        EXPECT_EQ(fallbacks[0]["stage"], stage);
        EXPECT_EQ(fallbacks[0]["from"], from);
        EXPECT_EQ(fallbacks[0]["to"], to);
    }

    // What every call here must show: one turn with the caller's words and the
    // agent's answer, in voxctl's report and in the stored record.
    Json check_call(const Json& report, const std::string& agent_text) {
        EXPECT_EQ(report.value("ended_reason", Json()), "user_hangup") << report.dump();
        if (!report.contains("turns") || report["turns"].size() != 1) {
            ADD_FAILURE() << report.dump();
            return Json::object();
        }
        const Json& turn = report["turns"][0];
        EXPECT_EQ(turn["user_text"], kQuestion);
        EXPECT_EQ(turn["agent_text"], agent_text);
        EXPECT_TRUE(turn["latency_ms"].is_number()) << turn.dump();

        Json record = wait_until_ended(report["call_id"]);
        EXPECT_EQ(record["status"], "completed") << record.dump();
        EXPECT_EQ(record["disconnection_reason"], "user_hangup");
        EXPECT_EQ(record["direction"], "web");
        EXPECT_EQ(lines_of(record["transcript"], "user"), kQuestion) << record["transcript"].dump();
        EXPECT_EQ(lines_of(record["transcript"], "agent"), std::string(kGreeting) + " " + agent_text)
            << record["transcript"].dump();
        for (const char* stage : {"e2e", "stt", "llm", "tts"}) {
            EXPECT_TRUE(record["latency"].contains(stage)) << stage << " " << record["latency"].dump();
            if (record["latency"].contains(stage)) {
                EXPECT_EQ(record["latency"][stage]["count"], 1) << stage;
            }
        }
        if (turn["latency_ms"].is_number() && record["latency"].contains("e2e")) {
            EXPECT_NEAR(record["latency"]["e2e"]["p50"].get<double>(), turn["latency_ms"].get<double>(), 150.0);
        }
        return record;
    }

    // The caller heard at least half of `expected_ms` of loud agent audio.
    void check_heard(double expected_ms) {
        auto heard = audio::read_wav(recording());
        double loud = loud_ms(heard.samples, heard.sample_rate);
        EXPECT_GE(loud, expected_ms * 0.5) << "of " << heard.duration_seconds() << " s recorded";
        EXPECT_GT(expected_ms, 200.0);
    }

    // The Deepgram stream: the key as "Token", the call's rate and language,
    // the caller's audio, a Finalize for the turn, closed when the call ended.
    void check_deepgram() {
        auto connections = deepgram->connections();
        ASSERT_FALSE(connections.empty());
        const auto& stream = connections.front();
        EXPECT_EQ(stream.authorization, "Token " + deepgram->api_key());
        EXPECT_EQ(stream.query.at("sample_rate"), "16000");
        EXPECT_EQ(stream.query.at("model"), "nova-2");
        EXPECT_EQ(stream.query.at("encoding"), "linear16");
        EXPECT_EQ(stream.query.at("language"), "de") << "the agent's language";
        auto question = audio::read_wav(question_);
        EXPECT_GE(stream.audio_bytes, static_cast<std::size_t>(question.duration_seconds() * 16000 * 2 * 0.8))
            << "the caller's speech reached Deepgram";
        EXPECT_GE(stream.finalizes, 1);
        // The call over, voxd closes the session: the socket, not the stream (no CloseStream).
        EXPECT_TRUE(deepgram->wait_for([](const auto& all) { return all.size() == 1 && all.front().ended; }, 5s))
            << "the stream outlived the call";
    }

    // The chat requests of the call's turns: not the post-call analysis that
    // follows the call (it may or may not have been asked yet).
    std::vector<OpenAiTestServer::Received> call_turn_chats() const {
        auto chats = openai->received();
        std::erase_if(chats, [](const auto& request) {
            return request.path != "/v1/chat/completions" || OpenAiTestServer::is_post_call_analysis(request);
        });
        return chats;
    }
    // The post-call analysis requests.
    std::vector<OpenAiTestServer::Received> analysis_chats() const {
        auto chats = openai->received();
        std::erase_if(chats, [](const auto& request) { return !OpenAiTestServer::is_post_call_analysis(request); });
        return chats;
    }

    // llm.openai's requests: the Bearer key, the model, a stream, the system
    // prompt with the variable filled in, and the caller's words last.
    void check_chat_request(const OpenAiTestServer::Received& request) {
        EXPECT_EQ(request.method, "POST");
        EXPECT_EQ(request.path, "/v1/chat/completions");
        EXPECT_EQ(request.authorization, "Bearer " + openai->api_key());
        EXPECT_EQ(request.body.value("model", ""), "gpt-test");
        EXPECT_EQ(request.body.value("stream", false), true);
        const Json& messages = request.body["messages"];
        ASSERT_TRUE(messages.is_array() && messages.size() >= 2) << request.body.dump();
        EXPECT_EQ(messages.front()["role"], "system");
        EXPECT_NE(messages.front()["content"].get<std::string>().find("receptionist of Northside"), std::string::npos);
        EXPECT_EQ(messages.back()["role"], "user");
        EXPECT_EQ(messages.back()["content"], kQuestion);
    }

    // The ElevenLabs stream-input sockets: the key in the header only, the
    // opening message, the text spoken. Returns the agent audio it made, in ms.
    double check_elevenlabs(const std::string& spoken) {
        auto record = elevenlabs->record();
        EXPECT_GE(record.handshakes, 1);
        EXPECT_EQ(record.http_requests, 0) << "the WebSocket worked: no HTTP fallback";
        EXPECT_FALSE(record.key_seen_in_message);
        for (const auto& path : record.paths) {
            if (path == "/v1/voices") continue;  // the host's describe(), at the agent's save
            EXPECT_EQ(path.rfind("/v1/text-to-speech/v-custom-1/stream-input?model_id=eleven_flash_v2_5&", 0), 0U)
                << path;
        }
        for (const auto& opening : record.openings) {
            EXPECT_EQ(opening.value("text", ""), " ") << opening.dump();
            EXPECT_TRUE(opening.contains("voice_settings")) << opening.dump();
        }
        std::string texts;
        std::size_t chars = 0;
        for (const auto& text : record.texts) {
            texts += text;
            chars += text.size();
        }
        EXPECT_NE(squeezed(texts).find(squeezed(std::string(kGreeting) + spoken)), std::string::npos) << texts;
        EXPECT_GE(record.end_of_input, 2) << "the greeting and the answer each end their input";
        return static_cast<double>(chars) * 10.0;
    }

    std::unique_ptr<FakeDeepgramServer> deepgram;
    std::unique_ptr<FakeElevenLabsServer> elevenlabs;
    std::unique_ptr<AudioTestServer> audio;
    std::unique_ptr<FakeLlmServer> custom_llm;
    std::filesystem::path dir_;
    std::string question_;
    static inline int counter_ = 0;
};

}  // namespace
}  // namespace vox::calltest
