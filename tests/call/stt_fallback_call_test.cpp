// Fallback STTs in a live call: in-test providers that refuse to open, or drop
// mid-utterance, are replaced by the agent's next STT; the caller's turn is
// still answered because the audio not yet recognised is sent to the fallback
// again. The switches are events and go on the call's result.
#include "call_test_support.hpp"

#include <vox/sdk/plugin.hpp>
#include <vox/sdk/stt.hpp>

#include <mutex>
#include <vector>

namespace vox::test {
namespace {

using json = nlohmann::json;

constexpr const char* kHeard = "canned words";

// What the in-test STTs were sent (one test at a time).
struct SttProbe {
    std::mutex mutex;
    int fail_after_frames = 15;              // stt.flaky errs at this push
    std::vector<std::int16_t> flaky_audio;   // what stt.flaky was sent before it failed
    std::vector<std::int16_t> canned_audio;  // what stt.canned was sent
    int canned_opens = 0;
    std::vector<json> canned_grammars;  // the grammars stt.canned was given, in order

    void reset() {
        std::lock_guard lock(mutex);
        flaky_audio.clear();
        canned_audio.clear();
        canned_opens = 0;
        canned_grammars.clear();
    }
};

SttProbe& probe() {
    static SttProbe instance;
    return instance;
}

// Takes audio, then drops the connection after probe().fail_after_frames pushes.
class FlakySession : public sdk::SttSession {
public:
    explicit FlakySession(sdk::SttSink sink) : sink_(std::move(sink)) {}
    void push_audio(const vox_audio& audio) override {
        if (failed_) return;  // a dead connection: nothing more arrives
        {
            std::lock_guard lock(probe().mutex);
            probe().flaky_audio.insert(probe().flaky_audio.end(), audio.samples,
                                       audio.samples + audio.frames * audio.channels);
            failed_ = ++pushes_ >= probe().fail_after_frames;
        }
        if (!failed_) return;
        sink_.error(VOX_ERR_UNAVAILABLE, "the STT connection dropped");
        // Late words of the dead session, queued behind its error: the call must not hear them.
        sink_.transcript({.text = "stale words", .is_final = true});
    }
    void flush() override {}
    void end_input() override {}
    void cancel() noexcept override {}
    void set_grammar(std::string_view) override {}  // takes any

private:
    sdk::SttSink sink_;
    int pushes_ = 0;
    bool failed_ = false;
};

// Hears kHeard in every segment it is sent.
class CannedSession : public sdk::SttSession {
public:
    explicit CannedSession(sdk::SttSink sink) : sink_(std::move(sink)) {}
    void push_audio(const vox_audio& audio) override {
        std::lock_guard lock(probe().mutex);
        probe().canned_audio.insert(probe().canned_audio.end(), audio.samples,
                                    audio.samples + audio.frames * audio.channels);
        since_flush_ = true;
    }
    void flush() override {
        if (!std::exchange(since_flush_, false)) return;
        sink_.transcript({.text = kHeard, .is_final = true});
    }
    void end_input() override {}
    void cancel() noexcept override { since_flush_ = false; }
    void set_grammar(std::string_view grammar) override {
        std::lock_guard lock(probe().mutex);
        probe().canned_grammars.push_back(json::parse(grammar));
    }

private:
    sdk::SttSink sink_;
    bool since_flush_ = false;
};

struct FlakyStt : sdk::SttProvider {
    std::unique_ptr<sdk::SttSession> open(std::string_view, std::uint32_t, sdk::SttSink sink) override {
        return std::make_unique<FlakySession>(std::move(sink));
    }
};
struct RefusingStt : sdk::SttProvider {
    std::unique_ptr<sdk::SttSession> open(std::string_view, std::uint32_t, sdk::SttSink) override {
        throw sdk::Error(VOX_ERR_AUTH, "the STT refused the connection");
    }
};
struct CannedStt : sdk::SttProvider {
    std::unique_ptr<sdk::SttSession> open(std::string_view, std::uint32_t, sdk::SttSink sink) override {
        std::lock_guard lock(probe().mutex);
        ++probe().canned_opens;
        return std::make_unique<CannedSession>(std::move(sink));
    }
};

struct SttTestPlugin : sdk::Plugin {
    SttTestPlugin(sdk::Host host, std::string_view) : Plugin(host) {}
    FlakyStt flaky;
    RefusingStt refusing;
    CannedStt canned;
};

const vox_plugin_descriptor* stt_descriptor() {
    static const vox_provider flaky = sdk::stt_provider<&SttTestPlugin::flaky>({"flaky", "drops mid-call", "{}"});
    static const vox_provider refusing = sdk::stt_provider<&SttTestPlugin::refusing>({"refusing", "never opens", "{}"});
    static const vox_provider canned = sdk::stt_provider<&SttTestPlugin::canned>({"canned", "hears the same", "{}"});
    static const vox_provider* const providers[] = {&flaky, &refusing, &canned};
    static const vox_plugin_descriptor descriptor =
        sdk::plugin_descriptor<SttTestPlugin>({"stt_test", "1.0.0", "test STTs"}, providers);
    return &descriptor;
}

class SttFallbackCallTest : public LiveCallTest {
protected:
    void SetUp() override {
        probe().reset();
        ASSERT_TRUE(local_.add(&stt_descriptor, "test:stt"));
        local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({"We open at nine."})});
    }
    call::CallSetup setup(const char* stt, std::vector<const char*> fallbacks) {
        call::CallSetup setup;
        setup.agent = {{"id", "agent_stt_fallback"}, {"model", "gpt-test"}, {"settings", {{"endpointing_ms", 300}}}};
        setup.providers = local_.providers();
        setup.providers.stt = local_.registry().find(stt);
        for (const char* name : fallbacks) setup.providers.stt_fallbacks.push_back({local_.registry().find(name), {}});
        return setup;
    }
    // The last caller message the LLM was asked about ("" when it was not asked).
    std::string llm_heard() {
        auto requests = local_.llm_server().received();
        if (requests.empty()) return "";
        const json& messages = requests.back().body["messages"];
        return messages.empty() ? "" : messages.back().value("content", "");
    }
    std::vector<json> switches() { return events_->of_type("provider_fallback"); }
};

TEST_F(SttFallbackCallTest, AnSttThatRefusesToOpenIsReplacedBeforeTheCallStarts) {
    open(setup("stt.refusing", {"stt.canned"}));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return agent_said().find("We open") != std::string::npos; }, 20s))
        << agent_said();
    EXPECT_EQ(llm_heard().rfind(kHeard, 0), 0U) << llm_heard();
    ASSERT_EQ(switches().size(), 1U);
    EXPECT_EQ(switches()[0]["stage"], "stt");
    EXPECT_EQ(switches()[0]["from"], "stt.refusing");
    EXPECT_EQ(switches()[0]["to"], "stt.canned");
    EXPECT_NE(switches()[0]["reason"].get<std::string>().find("refused"), std::string::npos);
    session_->end("api_hangup");
    auto result = events_->wait_end(10s);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->provider_switches.size(), 1U);
    EXPECT_EQ(result->provider_switches[0]["stage"], "stt");
    EXPECT_EQ(result->disconnection_reason, "api_hangup");
}

TEST_F(SttFallbackCallTest, AnSttThatDropsMidUtteranceHandsTheWholeTurnToTheNextThatOpens) {
    // stt.flaky drops 300 ms into the turn; stt.refusing will not open; stt.canned hears the turn.
    open(setup("stt.flaky", {"stt.refusing", "stt.canned"}));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return agent_said().find("We open") != std::string::npos; }, 20s))
        << agent_said();
    EXPECT_EQ(llm_heard().rfind(kHeard, 0), 0U) << llm_heard();
    EXPECT_EQ(llm_heard().find("stale"), std::string::npos) << "the failed session's late words were taken";
    {
        // The fallback was sent the turn from its start: what the flaky one had, then the rest.
        std::lock_guard lock(probe().mutex);
        const auto& before = probe().flaky_audio;
        const auto& after = probe().canned_audio;
        ASSERT_GE(before.size(), 15U * 320U);
        ASSERT_GT(after.size(), before.size());
        EXPECT_TRUE(std::equal(before.begin(), before.end(), after.begin()))
            << "the audio of the turn before the failure was not sent to the fallback";
        EXPECT_EQ(probe().canned_opens, 1);
    }
    auto seen = switches();
    ASSERT_EQ(seen.size(), 2U);
    EXPECT_EQ(seen[0]["from"], "stt.flaky");
    EXPECT_EQ(seen[0]["to"], "stt.refusing");
    EXPECT_NE(seen[0]["reason"].get<std::string>().find("dropped"), std::string::npos) << seen[0].dump();
    EXPECT_EQ(seen[1]["from"], "stt.refusing");
    EXPECT_EQ(seen[1]["to"], "stt.canned");
    EXPECT_TRUE(events_->of_type("error").empty()) << events_->of_type("error").front().dump();
    session_->end("api_hangup");
    auto result = events_->wait_end(10s);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->provider_switches.size(), 2U);
    EXPECT_EQ(result->provider_switches[1]["to"], "stt.canned");
    EXPECT_TRUE(result->provider_switches[1].contains("t_ms"));
    EXPECT_EQ(result->disconnection_reason, "api_hangup");
}

TEST_F(SttFallbackCallTest, TheFlowsExpectedAnswerIsRecognisedAgainstItsGrammarOnTheFallbackToo) {
    call::CallSetup flow_setup = setup("stt.flaky", {"stt.canned"});
    flow_setup.providers.llm = nullptr;
    auto node = [](const char* id, const char* type, json config) {
        return json{{"id", id}, {"type", type}, {"config", std::move(config)}};
    };
    flow_setup.flow = {{"start_node_id", "ask"},
                       {"nodes",
                        {node("ask", "conversation", {{"text", "Shall I book it?"}, {"expect", {{"type", "yes_no"}}}}),
                         node("bye", "end_call", {{"text", "Goodbye."}})}},
                       {"edges", {{{"id", "next"}, {"source", "ask"}, {"target", "bye"}}}}};
    for (const char* type : {"conversation", "end_call"})
        flow_setup.flow_node_types[type] = local_.registry().find(std::string("flow_node.") + type);
    open(std::move(flow_setup));
    ASSERT_TRUE(caller_->silence_until([&] { return !events_->of_type("agent_stop_talking").empty(); }, 10s));
    caller_->say(trim_silence(local_.speech("Yes, please book it for me.")));
    ASSERT_TRUE(caller_->silence_until([&] { return !switches().empty(); }, 10s));
    std::lock_guard lock(probe().mutex);
    // Set again on the fallback before the audio was sent again (the flow clears it once answered).
    ASSERT_FALSE(probe().canned_grammars.empty());
    EXPECT_EQ(probe().canned_grammars.front(), (json{{"type", "yes_no"}}));
}

TEST_F(SttFallbackCallTest, WithNoFallbackLeftTheCallEndsAsErrorStt) {
    open(setup("stt.flaky", {"stt.refusing"}));
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return events_->ends() > 0; }, 20s));
    auto result = events_->wait_end(1s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "error_stt");
    EXPECT_TRUE(result->failed);
    ASSERT_EQ(result->provider_switches.size(), 1U);  // to stt.refusing, which did not open
    EXPECT_TRUE(local_.llm_server().received().empty());
}

}  // namespace
}  // namespace vox::test
