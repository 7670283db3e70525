// The CallManager between a fake transport and a fake pipeline, on SQLite:
// starting, joining, routing, the end (record before call_ended), the ends
// without a session (no_connection, api_hangup, server_restart), refusals,
// and the agent's stats.
#include "calls/call_manager.hpp"

#include "calls/call_record.hpp"
#include "calls/call_recording.hpp"
#include "calls/call_refusal.hpp"
#include "fake_call_plugins.hpp"
#include "test_database.hpp"

#include <vox/core/audio/wav.hpp>
#include <vox/core/audio/wav_stream_writer.hpp>
#include <vox/core/host_services.hpp>
#include <vox/core/ids.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/storage/store.hpp>
#include <vox/core/time.hpp>

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <thread>

namespace vox::calltest {
namespace {

using namespace std::chrono_literals;
using host::AgentDefaults;
using host::CallManager;
using host::CallRefusal;
using host::CallRefusalKind;
using host::ProviderCatalog;

// Distinct addresses standing for the transport's calls.
vox_transport_call* caller(int n) {
    static char slots[16];
    return reinterpret_cast<vox_transport_call*>(&slots[n]);
}

CallRefusalKind refusal_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const CallRefusal& refusal) {
        return refusal.kind();
    }
    ADD_FAILURE() << "no CallRefusal";
    return CallRefusalKind::call_not_found;
}

class CallManagerTest : public ::testing::Test {
protected:
    void SetUp() override {
        fake_transport().reset();
        database_ = std::make_unique<testing::TestDatabase>(testing::TestBackend::sqlite);
        store_ = storage::open_store(database_->options());
        auto registry = std::make_unique<PluginRegistry>(host_, generation_options());
        ASSERT_TRUE(registry->add(&fake_call_plugin_entry, "static:fake_calls"));
        providers_ = std::make_unique<ProviderCatalog>(host_);
        providers_->adopt(std::move(registry), AgentDefaults{});
        agent_ = make_agent("active");
        start_manager();
    }

    void TearDown() override {
        if (manager_) manager_->shutdown(2s);
        manager_.reset();
        providers_.reset();
    }

    void start_manager() {
        auto pipeline = std::make_unique<FakePipeline>();
        pipeline_ = pipeline.get();
        manager_ = std::make_unique<CallManager>(store_, *providers_, options_, std::move(pipeline));
        ASSERT_TRUE(manager_->start_transport({{"port", 0}}));
    }
    void restart_manager() {
        manager_->shutdown(2s);
        manager_.reset();
        start_manager();
    }

    // As voxd makes its generations: the catalog, not a generation, stops the host's pool.
    static RegistryOptions generation_options() {
        RegistryOptions options;
        options.stops_host_services = false;
        return options;
    }

    json make_agent(const std::string& status, const json& extra = json::object()) {
        std::string now = time::now_iso8601();
        json agent = {{"id", new_id("agent")},
                      {"name", "Front desk"},
                      {"system_prompt", "You help {{customer}}."},
                      {"begin_message", "Hello {{customer}}."},
                      {"voice", "v1"},
                      {"language", "en-US"},
                      {"model", nullptr},
                      {"stt_provider", "fake"},
                      {"llm_provider", "fake"},
                      {"tts_provider", "fake"},
                      {"status", status},
                      {"settings", {{"tts_speed", 1.25}, {"temperature", 0.5}}},
                      {"metadata", json::object()},
                      {"stats", {{"calls_handled", 0}, {"avg_latency", 0.0}, {"success_rate", 0.0}}},
                      {"created_at", now},
                      {"updated_at", now}};
        agent.update(extra);
        store_.agents->create(agent);
        return agent;
    }

    CallManager::StartedCall start(const json& variables = json::object()) {
        CallManager::StartRequest request;
        request.agent_id = agent_["id"];
        request.variables = variables;
        return manager_->start_web_call(request);
    }

    json record(const std::string& call_id) { return store_.calls->get(call_id).value_or(json()); }
    json stats() { return store_.agents->get(agent_["id"])->at("stats"); }

    // Waits until the record is no longer in progress.
    json ended_record(const std::string& call_id, std::chrono::milliseconds timeout = 3s) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            json stored = record(call_id);
            if (stored.value("status", "") != "in_progress") return stored;
            std::this_thread::sleep_for(10ms);
        }
        return record(call_id);
    }

    std::unique_ptr<testing::TestDatabase> database_;
    storage::Store store_;
    HostServices host_;
    std::unique_ptr<ProviderCatalog> providers_;
    host::CallManagerOptions options_;
    FakePipeline* pipeline_ = nullptr;
    std::unique_ptr<CallManager> manager_;
    json agent_;
};

TEST_F(CallManagerTest, StartStoresTheRecordAndTellsTheTransportToExpectTheCaller) {
    auto started = start({{"customer", "Ada"}});
    EXPECT_TRUE(std::regex_match(started.access_token, std::regex("^[A-Za-z0-9_-]{43}$"))) << started.access_token;
    EXPECT_EQ(started.socket_url,
              "ws://127.0.0.1:8081/calls/" + started.call_id + "?access_token=" + started.access_token);
    EXPECT_EQ(started.sample_rate, 16000u);
    EXPECT_TRUE(time::parse_iso8601(started.expires_at).has_value());

    ASSERT_EQ(fake_transport().dials.size(), 1u);
    json dial = fake_transport().dials[0];
    EXPECT_EQ(dial["call_id"], started.call_id);
    EXPECT_EQ(dial["access_token"], started.access_token);
    EXPECT_EQ(dial["expires_in_ms"], 30000);
    EXPECT_EQ(dial["sample_rate"], 16000);
    EXPECT_EQ(fake_transport().start_settings, json({{"port", 0}}));

    json stored = record(started.call_id);
    EXPECT_EQ(stored["status"], "in_progress");
    EXPECT_EQ(stored["direction"], "web");
    EXPECT_EQ(stored["agent_id"], agent_["id"]);
    EXPECT_EQ(stored["metadata"], json({{"variables", {{"customer", "Ada"}}}, {"test", false}}));
    EXPECT_TRUE(manager_->is_access_token(started.call_id, started.access_token));
    EXPECT_FALSE(manager_->is_access_token(started.call_id, started.access_token + "x"));
    EXPECT_FALSE(manager_->is_access_token(started.call_id, ""));
}

TEST_F(CallManagerTest, WebCallsGoOnThroughTheTransportAfterTheGenerationItStartedInIsReleased) {
    // A reload: a new generation becomes current, and the one the transport started in goes.
    auto next = std::make_unique<PluginRegistry>(host_, generation_options());
    ASSERT_TRUE(next->add(&fake_call_plugin_entry, "static:fake_calls"));
    providers_->adopt(std::move(next), host::AgentDefaults{});
    EXPECT_EQ(providers_->release_unused(), 1U) << "nothing holds the first generation any more";
    auto started = start();
    ASSERT_FALSE(fake_transport().dials.empty());
    EXPECT_EQ(fake_transport().dials.back()["call_id"], started.call_id);
    manager_->end_call(started.call_id);
    manager_->shutdown(2s);  // stops the transport it started, whose plugin it kept
    EXPECT_EQ(record(started.call_id)["disconnection_reason"], "api_hangup");
}

TEST_F(CallManagerTest, ACallerWhoJoinsGetsASessionWithTheAgentsProvidersAndSettings) {
    auto started = start({{"customer", "Ada"}});
    fake_transport().join(caller(1), started.call_id);
    auto session = pipeline_->session(0, 2s);
    ASSERT_TRUE(session);
    const auto& setup = session->setup();
    EXPECT_EQ(setup.call_id, started.call_id);
    EXPECT_EQ(setup.agent["id"], agent_["id"]);
    EXPECT_EQ(setup.variables, json({{"customer", "Ada"}}));
    EXPECT_EQ(setup.sample_rate, 16000u);
    ASSERT_NE(setup.providers.stt, nullptr);
    EXPECT_EQ(setup.providers.stt->key, "stt.fake");
    EXPECT_EQ(setup.providers.llm->key, "llm.fake");
    EXPECT_EQ(setup.providers.tts->key, "tts.fake");
    EXPECT_EQ(setup.providers.vad, nullptr) << "vad.speexdsp is not loaded: the built-in detector";
    EXPECT_EQ(setup.tts_settings, json({{"voice", "v1"}, {"speed", 1.25}}));
    EXPECT_EQ(setup.stt_settings, json({{"language", "en-US"}}));

    for (int i = 0; i < 100 && !session->started(); ++i) std::this_thread::sleep_for(10ms);
    EXPECT_TRUE(session->started());
    fake_transport().send_audio(caller(1), 320);
    fake_transport().send_audio(caller(1), 320);
    EXPECT_EQ(session->audio_frames(), 640u);

    // What the session does reaches the transport.
    session->transport().play(7, audio::AudioView{std::vector<std::int16_t>(320, 1), 16000, 1});
    EXPECT_EQ(session->transport().clear(7), 120u);
    session->emit({{"type", "user_start_talking"}, {"call_id", started.call_id}, {"t_ms", 5}, {"turn", 1}});
    auto actions = fake_transport().actions_snapshot();
    ASSERT_EQ(actions.size(), 3u);
    EXPECT_EQ(actions[0], "play:7:320");
    EXPECT_EQ(actions[1], "clear:7");
    EXPECT_EQ(json::parse(actions[2].substr(6))["type"], "user_start_talking");
}

TEST_F(CallManagerTest, TheRecordIsStoredBeforeCallEndedIsSentAndTheConnectionClosesAfterIt) {
    auto started = start();
    json record_when_ended;
    fake_transport().on_event = [&](const json& event) {
        if (event["type"] == "call_ended") record_when_ended = record(started.call_id);
    };
    fake_transport().join(caller(1), started.call_id);
    auto session = pipeline_->session(0, 2s);
    ASSERT_TRUE(session);
    for (int i = 0; i < 100 && !session->started(); ++i) std::this_thread::sleep_for(10ms);
    session->transport().hangup("agent_hangup");  // the session ends the call...
    EXPECT_EQ(fake_transport().actions_snapshot().size(), 0u) << "...but the socket stays open for call_ended";
    session->finish(FakeSession::result_for("agent_hangup"));

    json stored = record(started.call_id);
    EXPECT_EQ(stored["status"], "completed");
    EXPECT_EQ(stored["disconnection_reason"], "agent_hangup");
    EXPECT_EQ(stored["duration"], 12.5);
    EXPECT_TRUE(time::parse_iso8601(stored.value("ended_at", "")).has_value());
    EXPECT_EQ(stored["transcript"].size(), 2u);
    EXPECT_EQ(stored["latency"]["e2e"]["p50"], 500);
    EXPECT_EQ(record_when_ended["status"], "completed") << "call_ended went out before the record was stored";

    auto actions = fake_transport().actions_snapshot();
    ASSERT_EQ(actions.size(), 2u);
    json ended = json::parse(actions[0].substr(6));
    EXPECT_EQ(ended["type"], "call_ended");
    EXPECT_EQ(ended["call_id"], started.call_id);
    EXPECT_EQ(ended["reason"], "agent_hangup");
    EXPECT_EQ(ended["duration_ms"], 12500);
    EXPECT_TRUE(ended["t_ms"].is_number_integer());
    EXPECT_EQ(actions[1], "hangup:agent_hangup");

    json agent_stats = stats();
    EXPECT_EQ(agent_stats["calls_handled"], 1);
    EXPECT_EQ(agent_stats["success_rate"], 1.0);
    EXPECT_EQ(agent_stats["avg_latency"], 550.0);
    EXPECT_EQ(manager_->active_calls(), 0u);
}

TEST_F(CallManagerTest, TheCallerHangingUpEndsTheSessionWithoutAHangupBack) {
    auto started = start();
    fake_transport().join(caller(2), started.call_id);
    auto session = pipeline_->session(0, 2s);
    ASSERT_TRUE(session);
    for (int i = 0; i < 100 && !session->started(); ++i) std::this_thread::sleep_for(10ms);
    fake_transport().caller_hangs_up(caller(2));
    ASSERT_TRUE(session->wait_end_requested(2s));
    EXPECT_EQ(session->end_requests().front(), "user_hangup");
    json stored = ended_record(started.call_id);
    EXPECT_EQ(stored["status"], "completed");
    EXPECT_EQ(stored["disconnection_reason"], "user_hangup");
    for (const auto& action : fake_transport().actions_snapshot())
        EXPECT_EQ(action.find("hangup:"), std::string::npos) << "the transport ended the call itself: " << action;
    fake_transport().send_audio(caller(2), 320);  // late audio of a gone call is dropped
}

TEST_F(CallManagerTest, EndingALiveCallAnswersWithTheStoredRecord) {
    auto started = start();
    fake_transport().join(caller(3), started.call_id);
    auto session = pipeline_->session(0, 2s);
    ASSERT_TRUE(session);
    for (int i = 0; i < 100 && !session->started(); ++i) std::this_thread::sleep_for(10ms);
    json ended = manager_->end_call(started.call_id);
    EXPECT_EQ(session->end_requests(), std::vector<std::string>{"api_hangup"});
    EXPECT_EQ(ended["status"], "completed");
    EXPECT_EQ(ended["disconnection_reason"], "api_hangup");
    EXPECT_TRUE(fake_transport().wait_for_action("hangup:api_hangup", 1s));
    EXPECT_EQ(refusal_of([&] { manager_->end_call(started.call_id); }), CallRefusalKind::call_not_active);
}

TEST_F(CallManagerTest, EndingACallNobodyJoinedStoresItWithoutCountingIt) {
    auto started = start();
    json ended = manager_->end_call(started.call_id);
    EXPECT_EQ(ended["status"], "completed");
    EXPECT_EQ(ended["disconnection_reason"], "api_hangup");
    EXPECT_EQ(ended["duration"], 0.0);
    EXPECT_EQ(stats()["calls_handled"], 0) << "nobody talked to the agent";
    EXPECT_FALSE(manager_->is_access_token(started.call_id, started.access_token));
    EXPECT_EQ(refusal_of([&] { manager_->end_call(started.call_id); }), CallRefusalKind::call_not_active);
    EXPECT_EQ(refusal_of([&] { manager_->end_call("call_doesnotexist"); }), CallRefusalKind::call_not_found);
}

TEST_F(CallManagerTest, ACallNobodyJoinsBeforeTheTokenExpiresEndsWithNoConnection) {
    options_.calls.token_ttl = 150ms;
    restart_manager();
    auto started = start();
    json stored = ended_record(started.call_id);
    EXPECT_EQ(stored["status"], "failed");
    EXPECT_EQ(stored["disconnection_reason"], "no_connection");
    EXPECT_EQ(manager_->active_calls(), 0u);
    // A caller arriving now is turned away.
    fake_transport().join(caller(4), started.call_id);
    auto actions = fake_transport().actions_snapshot();
    ASSERT_EQ(actions.size(), 1u);
    EXPECT_EQ(actions[0], "hangup:no_connection");
    EXPECT_EQ(pipeline_->session(0, 100ms), nullptr);
}

TEST_F(CallManagerTest, RefusesUnknownAndInactiveAgentsMissingProvidersAndTooManyCalls) {
    CallManager::StartRequest request;
    request.agent_id = "agent_nope";
    EXPECT_EQ(refusal_of([&] { manager_->start_web_call(request); }), CallRefusalKind::agent_not_found);
    request.agent_id = make_agent("inactive")["id"];
    EXPECT_EQ(refusal_of([&] { manager_->start_web_call(request); }), CallRefusalKind::agent_inactive);
    request.agent_id = make_agent("active", {{"stt_provider", "nope"}})["id"];
    try {
        manager_->start_web_call(request);
        ADD_FAILURE() << "started";
    } catch (const CallRefusal& refusal) {
        EXPECT_EQ(refusal.kind(), CallRefusalKind::provider_unavailable);
        EXPECT_EQ(refusal.extensions()["provider"], "stt.nope");
    }

    options_.calls.max_concurrent_calls = 1;
    restart_manager();
    auto first = start();
    EXPECT_EQ(refusal_of([&] { start(); }), CallRefusalKind::too_many_calls);
    manager_->end_call(first.call_id);
    EXPECT_NO_THROW(start());
}

TEST_F(CallManagerTest, WithoutTheTransportWebCallsAreRefused) {
    manager_->shutdown(1s);
    auto pipeline = std::make_unique<FakePipeline>();
    ProviderCatalog empty(host_);
    empty.adopt(std::make_unique<PluginRegistry>(host_), AgentDefaults{});
    CallManager bare(store_, empty, options_, std::move(pipeline));
    EXPECT_FALSE(bare.start_transport(json::object()));
    CallManager::StartRequest request;
    request.agent_id = agent_["id"];
    EXPECT_EQ(refusal_of([&] { bare.start_web_call(request); }), CallRefusalKind::transport_unavailable);
}

TEST_F(CallManagerTest, AProviderRefusingTheSessionFailsTheCall) {
    pipeline_->fail_with("tts.fake");
    auto started = start();
    fake_transport().join(caller(5), started.call_id);
    json stored = ended_record(started.call_id);
    EXPECT_EQ(stored["status"], "failed");
    EXPECT_EQ(stored["disconnection_reason"], "error_tts");
    EXPECT_TRUE(fake_transport().wait_for_action("hangup:error_tts", 1s));
    auto actions = fake_transport().actions_snapshot();
    ASSERT_GE(actions.size(), 2u);
    EXPECT_EQ(json::parse(actions[0].substr(6))["type"], "call_ended");
    EXPECT_EQ(stats()["calls_handled"], 1);
    EXPECT_EQ(stats()["success_rate"], 0.0);
}

TEST_F(CallManagerTest, ShutdownEndsLiveAndWaitingCallsWithServerRestart) {
    auto waiting = start();
    auto live = start();
    fake_transport().join(caller(6), live.call_id);
    auto session = pipeline_->session(0, 2s);
    ASSERT_TRUE(session);
    for (int i = 0; i < 100 && !session->started(); ++i) std::this_thread::sleep_for(10ms);
    manager_->shutdown(2s);
    EXPECT_EQ(session->end_requests(), std::vector<std::string>{"server_restart"});
    for (const auto& id : {waiting.call_id, live.call_id}) {
        json stored = record(id);
        EXPECT_EQ(stored["status"], "failed") << id;
        EXPECT_EQ(stored["disconnection_reason"], "server_restart") << id;
    }
    EXPECT_TRUE(fake_transport().stopped);
    CallManager::StartRequest request;
    request.agent_id = agent_["id"];
    EXPECT_EQ(refusal_of([&] { manager_->start_web_call(request); }), CallRefusalKind::transport_unavailable);
}

TEST_F(CallManagerTest, CallsLeftInProgressByACrashAreFailedAtStart) {
    json orphan = host::new_web_call_record(new_id("call"), agent_["id"], json::object(), false);
    store_.calls->create(orphan);
    EXPECT_EQ(manager_->recover_interrupted_calls(), 1u);
    json stored = record(orphan["id"]);
    EXPECT_EQ(stored["status"], "failed");
    EXPECT_EQ(stored["disconnection_reason"], "server_restart");
    EXPECT_TRUE(time::parse_iso8601(stored.value("ended_at", "")).has_value());
    EXPECT_EQ(stored["recording_url"], nullptr) << "nothing was recorded";
    EXPECT_EQ(manager_->recover_interrupted_calls(), 0u);
}

TEST_F(CallManagerTest, TheRecordingACrashCutShortIsMendedAndNamed) {
    auto dir = std::filesystem::temp_directory_path() / ("vox_crash_recording_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    options_.calls.recordings_dir = dir;
    restart_manager();
    json orphan = host::new_web_call_record(new_id("call"), agent_["id"], json::object(), false);
    store_.calls->create(orphan);
    {
        // A recording as a crash leaves it: audio written, the header's sizes never.
        audio::WavStreamWriter writer(dir / "open.wav", 8000, 2);
        writer.write(std::vector<std::int16_t>(1600, 100));
        std::filesystem::copy_file(dir / "open.wav", host::recording_path(dir, orphan["id"]));
    }
    EXPECT_EQ(manager_->recover_interrupted_calls(), 1u);
    json stored = record(orphan["id"]);
    EXPECT_EQ(stored["disconnection_reason"], "server_restart");
    EXPECT_EQ(stored["recording_url"], host::recording_url(orphan["id"]));
    EXPECT_EQ(audio::read_wav(host::recording_path(dir, orphan["id"])).frames(), 800U);
    std::filesystem::remove_all(dir);
}

TEST_F(CallManagerTest, StatsKeepARunningMeanOfAnsweredCallsAndTheSuccessRate) {
    for (int i = 0; i < 3; ++i) {
        auto started = start();
        fake_transport().join(caller(7 + i), started.call_id);
        auto session = pipeline_->session(static_cast<std::size_t>(i), 2s);
        ASSERT_TRUE(session);
        for (int w = 0; w < 100 && !session->started(); ++w) std::this_thread::sleep_for(10ms);
        auto result = FakeSession::result_for(i == 2 ? "error_llm" : "user_hangup");
        result.mean_e2e_latency_ms = i == 0 ? 400 : 700;
        if (i == 1) result.turns = 0;  // nothing answered: not in the mean
        session->finish(result);
    }
    json agent_stats = stats();
    EXPECT_EQ(agent_stats["calls_handled"], 3);
    EXPECT_NEAR(agent_stats["success_rate"].get<double>(), 2.0 / 3.0, 1e-9);
    EXPECT_NEAR(agent_stats["avg_latency"].get<double>(), 550.0, 1e-9);
}

TEST_F(CallManagerTest, AnEndedCallIsStoredWithTheOfflineAnalysisOfTheCallersWords) {
    auto started = start();
    fake_transport().join(caller(7), started.call_id);
    auto session = pipeline_->session(0, 2s);
    ASSERT_TRUE(session);
    call::CallResult result = FakeSession::result_for("user_hangup");
    result.transcript.push_back({{"speaker", "user"}, {"text", "Perfect, thank you so much!"}});
    session->finish(result);
    json stored = ended_record(started.call_id);
    ASSERT_TRUE(stored.contains("call_analysis")) << stored.dump();
    EXPECT_EQ(stored["call_analysis"]["method"], "lexicon");
    EXPECT_EQ(stored["call_analysis"]["user_sentiment"], "positive");
    EXPECT_TRUE(time::parse_iso8601(stored["call_analysis"].value("analyzed_at", "")).has_value());
    EXPECT_EQ(stored["sentiment"], "positive");

    // A call nobody joined said nothing: unknown.
    json unjoined = manager_->end_call(start().call_id);
    EXPECT_EQ(unjoined["call_analysis"]["user_sentiment"], "unknown");
    EXPECT_EQ(unjoined["sentiment"], "unknown");
}

TEST_F(CallManagerTest, WithAnalysisOffTheSentimentStaysUnknown) {
    options_.calls.analysis = host::AnalysisMode::off;
    restart_manager();
    auto started = start();
    fake_transport().join(caller(8), started.call_id);
    auto session = pipeline_->session(0, 2s);
    ASSERT_TRUE(session);
    call::CallResult result = FakeSession::result_for("user_hangup");
    result.transcript.push_back({{"speaker", "user"}, {"text", "This is terrible."}});
    session->finish(result);
    json stored = ended_record(started.call_id);
    EXPECT_EQ(stored["status"], "completed");
    EXPECT_FALSE(stored.contains("call_analysis")) << stored.dump();
    EXPECT_EQ(stored["sentiment"], "unknown");
}

}  // namespace
}  // namespace vox::calltest
