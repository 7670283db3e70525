// Fallback TTSs in a live call: in-test providers that refuse to open, fail a
// response before any audio, fail after its first audio, or never answer (the
// host's first-audio timeout). A response not yet
// heard is spoken in full by the fallback within the same turn; one already
// heard ends there and the next responses go to the fallback. The switches are
// events and go on the call's result.
#include "call_test_support.hpp"

#include <vox/sdk/plugin.hpp>
#include <vox/sdk/tts.hpp>

#include <mutex>
#include <vector>

namespace vox::test {
namespace {

using json = nlohmann::json;

constexpr std::uint32_t kRate = 16000;

// What the in-test TTSs were asked (one test at a time).
struct TtsProbe {
    std::mutex mutex;
    bool flaky_speaks_first = false;  // tts.flaky sends some audio before failing
    std::string flaky_text;
    std::string canned_text;
    std::string canned_voice;  // the voice stt.canned was opened with
    std::size_t canned_samples = 0;

    void reset(bool speaks_first) {
        std::lock_guard lock(mutex);
        flaky_speaks_first = speaks_first;
        flaky_text.clear();
        canned_text.clear();
        canned_voice.clear();
        canned_samples = 0;
    }
};

TtsProbe& probe() {
    static TtsProbe instance;
    return instance;
}

// `ms` of a tone at kRate, in 20 ms chunks.
void send_tone(const sdk::TtsSink& sink, std::uint64_t context, std::uint32_t ms) {
    std::vector<std::int16_t> chunk(kRate / 50);
    for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<std::int16_t>(i % 40 < 20 ? 3000 : -3000);
    for (std::uint32_t at = 0; at < ms; at += 20) sink.audio(context, chunk.data(), chunk.size(), kRate);
}

// Fails every response when it is flushed; with flaky_speaks_first, after 200 ms of audio.
// Then sends 100 ms more, as a session whose error overtook its audio would.
class FlakySession : public sdk::TtsSession {
public:
    explicit FlakySession(sdk::TtsSink sink) : sink_(std::move(sink)) {}
    void push_text(std::uint64_t, std::string_view text) override {
        std::lock_guard lock(probe().mutex);
        probe().flaky_text += text;
    }
    void flush(std::uint64_t context) override {
        bool speaks;
        {
            std::lock_guard lock(probe().mutex);
            speaks = probe().flaky_speaks_first;
        }
        if (speaks) send_tone(sink_, context, 200);
        sink_.error(context, VOX_ERR_UNAVAILABLE, "the TTS service went away");
        // Late audio of the dead session, queued behind its error: the caller must not hear it.
        send_tone(sink_, context, 100);
    }
    void cancel(std::uint64_t) noexcept override {}

private:
    sdk::TtsSink sink_;
};

// Speaks 400 ms of tone per response and records the text.
class CannedSession : public sdk::TtsSession {
public:
    explicit CannedSession(sdk::TtsSink sink) : sink_(std::move(sink)) {}
    void push_text(std::uint64_t, std::string_view text) override {
        std::lock_guard lock(probe().mutex);
        probe().canned_text += text;
    }
    void flush(std::uint64_t context) override {
        send_tone(sink_, context, 400);
        {
            std::lock_guard lock(probe().mutex);
            probe().canned_samples += 400 * kRate / 1000;
        }
        sink_.done(context);
    }
    void cancel(std::uint64_t) noexcept override {}

private:
    sdk::TtsSink sink_;
};

// Takes text and never answers: a service that hangs without an error.
class SilentSession : public sdk::TtsSession {
public:
    void push_text(std::uint64_t, std::string_view text) override {
        std::lock_guard lock(probe().mutex);
        probe().flaky_text += text;
    }
    void flush(std::uint64_t) override {}
    void cancel(std::uint64_t) noexcept override {}
};

struct SilentTts : sdk::TtsProvider {
    std::unique_ptr<sdk::TtsSession> open(std::string_view, sdk::TtsSink) override {
        return std::make_unique<SilentSession>();
    }
};
struct FlakyTts : sdk::TtsProvider {
    std::unique_ptr<sdk::TtsSession> open(std::string_view, sdk::TtsSink sink) override {
        return std::make_unique<FlakySession>(std::move(sink));
    }
};
struct RefusingTts : sdk::TtsProvider {
    std::unique_ptr<sdk::TtsSession> open(std::string_view, sdk::TtsSink) override {
        throw sdk::Error(VOX_ERR_AUTH, "the TTS refused the api key");
    }
};
struct CannedTts : sdk::TtsProvider {
    std::unique_ptr<sdk::TtsSession> open(std::string_view settings, sdk::TtsSink sink) override {
        auto parsed = json::parse(settings.empty() ? std::string_view("{}") : settings);
        std::lock_guard lock(probe().mutex);
        probe().canned_voice = parsed.value("voice", "");
        return std::make_unique<CannedSession>(std::move(sink));
    }
};

struct TtsTestPlugin : sdk::Plugin {
    TtsTestPlugin(sdk::Host host, std::string_view) : Plugin(host) {}
    FlakyTts flaky;
    SilentTts silent;
    RefusingTts refusing;
    CannedTts canned;
};

const vox_plugin_descriptor* tts_descriptor() {
    static const vox_provider flaky = sdk::tts_provider<&TtsTestPlugin::flaky>({"flaky", "fails responses", "{}"});
    static const vox_provider refusing = sdk::tts_provider<&TtsTestPlugin::refusing>({"refusing", "never opens", "{}"});
    static const vox_provider canned = sdk::tts_provider<&TtsTestPlugin::canned>({"canned", "a tone", "{}"});
    static const vox_provider silent = sdk::tts_provider<&TtsTestPlugin::silent>({"silent", "never answers", "{}"});
    static const vox_provider* const providers[] = {&flaky, &silent, &refusing, &canned};
    static const vox_plugin_descriptor descriptor =
        sdk::plugin_descriptor<TtsTestPlugin>({"tts_test", "1.0.0", "test TTSs"}, providers);
    return &descriptor;
}

constexpr const char* kGreeting = "Hello there, this is the clinic.";
constexpr const char* kAnswer = "We open at nine tomorrow.";

class TtsFallbackCallTest : public LiveCallTest {
protected:
    void start(bool flaky_speaks_first, const char* tts, std::vector<const char*> fallbacks, bool greet,
               std::uint32_t first_audio_ms = 3000) {
        probe().reset(flaky_speaks_first);
        ASSERT_TRUE(local_.add(&tts_descriptor, "test:tts"));
        local_.llm_server().set_script({.chunks = OpenAiTestServer::content_chunks({kAnswer})});
        call::CallSetup setup;
        setup.agent = {{"id", "agent_tts_fallback"},
                       {"model", "gpt-test"},
                       {"settings", {{"endpointing_ms", 300}, {"speak_first", greet}}}};
        if (greet) setup.agent["begin_message"] = kGreeting;
        setup.providers = local_.providers();
        setup.providers.tts = local_.registry().find(tts);
        for (const char* name : fallbacks)
            setup.providers.tts_fallbacks.push_back({local_.registry().find(name), {{"voice", "backup"}}});
        setup.tts_first_audio_ms = first_audio_ms;
        open(std::move(setup));
    }
    bool stopped_talking(std::uint64_t turn) {
        for (const auto& e : events_->of_type("agent_stop_talking"))
            if (e["turn"] == turn) return true;
        return false;
    }
    std::string canned_text() {
        std::lock_guard lock(probe().mutex);
        return probe().canned_text;
    }
};

TEST_F(TtsFallbackCallTest, AResponseThatFailsBeforeItsAudioIsSpokenInFullByTheFallbackInTheSameTurn) {
    start(false, "tts.flaky", {"tts.canned"}, false);
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return stopped_talking(1); }, 20s)) << agent_said();
    EXPECT_NE(agent_said().find(kAnswer), std::string::npos) << agent_said();
    {
        std::lock_guard lock(probe().mutex);
        EXPECT_NE(probe().flaky_text.find("nine"), std::string::npos) << probe().flaky_text;
        EXPECT_NE(probe().canned_text.find(kAnswer), std::string::npos) << probe().canned_text;
        EXPECT_EQ(probe().canned_voice, "backup");
    }
    // Everything the caller heard came from the fallback.
    EXPECT_EQ(transport_->samples(), 400U * kRate / 1000);
    auto change = events_->wait_type("provider_fallback", 1s);
    ASSERT_TRUE(change);
    EXPECT_EQ((*change)["stage"], "tts");
    EXPECT_EQ((*change)["from"], "tts.flaky");
    EXPECT_EQ((*change)["to"], "tts.canned");
    EXPECT_NE((*change)["reason"].get<std::string>().find("went away"), std::string::npos) << change->dump();
    session_->end("api_hangup");
    auto result = events_->wait_end(10s);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->provider_switches.size(), 1U);
    EXPECT_EQ(result->provider_switches[0]["stage"], "tts");
    EXPECT_EQ(result->disconnection_reason, "api_hangup");
    EXPECT_EQ(result->turns, 1U);
}

TEST_F(TtsFallbackCallTest, AResponseAlreadyHeardEndsWhereItFailedAndTheNextGoesToTheFallback) {
    start(true, "tts.flaky", {"tts.canned"}, true);
    // The greeting: 200 ms of it were heard, then the TTS failed; it ends there.
    ASSERT_TRUE(caller_->silence_until([&] { return stopped_talking(0); }, 10s));
    ASSERT_TRUE(events_->wait_type("provider_fallback", 1s));
    EXPECT_EQ(canned_text(), "") << "a response already heard is not spoken again";
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return stopped_talking(1); }, 20s)) << agent_said();
    EXPECT_NE(canned_text().find(kAnswer), std::string::npos) << canned_text();
    EXPECT_EQ(canned_text().find("Hello"), std::string::npos) << canned_text();
    EXPECT_EQ(transport_->samples(), (200U + 400U) * kRate / 1000);
    EXPECT_EQ(events_->of_type("provider_fallback").size(), 1U);
    session_->end("api_hangup");
    auto result = events_->wait_end(10s);
    ASSERT_TRUE(result);
    ASSERT_EQ(result->provider_switches.size(), 1U);
    EXPECT_EQ(result->provider_switches[0]["from"], "tts.flaky");
    EXPECT_EQ(result->disconnection_reason, "api_hangup");
    // 200 ms of the greeting were synthesised: too short for a word, so the record holds none of it.
    for (const auto& line : result->transcript) {
        if (line["speaker"] != "agent") continue;
        EXPECT_EQ(line["text"].get<std::string>().find("clinic"), std::string::npos) << result->transcript.dump();
    }
}

TEST_F(TtsFallbackCallTest, ATtsThatRefusesToOpenIsReplacedAndSpeaksTheGreeting) {
    start(false, "tts.refusing", {"tts.canned"}, true);
    ASSERT_TRUE(caller_->silence_until([&] { return stopped_talking(0); }, 10s));
    EXPECT_NE(canned_text().find(kGreeting), std::string::npos) << canned_text();
    auto change = events_->wait_type("provider_fallback", 1s);
    ASSERT_TRUE(change);
    EXPECT_EQ((*change)["from"], "tts.refusing");
    EXPECT_NE((*change)["reason"].get<std::string>().find("api key"), std::string::npos) << change->dump();
}

TEST_F(TtsFallbackCallTest, ATtsThatHangsSilentlyIsReplacedAfterTheFirstAudioTimeout) {
    start(false, "tts.silent", {"tts.canned"}, true, 700);
    auto started = std::chrono::steady_clock::now();
    ASSERT_TRUE(caller_->silence_until([&] { return stopped_talking(0); }, 10s)) << agent_said();
    auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_GE(waited, 650ms) << "not before the limit";
    EXPECT_NE(canned_text().find(kGreeting), std::string::npos) << canned_text();
    {
        std::lock_guard lock(probe().mutex);
        EXPECT_NE(probe().flaky_text.find(kGreeting), std::string::npos) << "the silent TTS was given the greeting";
    }
    auto change = events_->wait_type("provider_fallback", 1s);
    ASSERT_TRUE(change);
    EXPECT_EQ((*change)["from"], "tts.silent");
    EXPECT_EQ((*change)["to"], "tts.canned");
    EXPECT_NE((*change)["reason"].get<std::string>().find("no audio 700 ms"), std::string::npos) << change->dump();
    // The answer goes to the fallback straight away.
    caller_->say(trim_silence(local_.speech("What time do you open tomorrow?")));
    ASSERT_TRUE(caller_->silence_until([&] { return stopped_talking(1); }, 20s)) << agent_said();
    EXPECT_NE(canned_text().find(kAnswer), std::string::npos) << canned_text();
    EXPECT_EQ(events_->of_type("provider_fallback").size(), 1U);
}

TEST_F(TtsFallbackCallTest, ASilentTtsWithNoFallbackEndsTheCallAsErrorTts) {
    start(false, "tts.silent", {}, true, 500);
    ASSERT_TRUE(caller_->silence_until([&] { return events_->ends() > 0; }, 10s));
    auto result = events_->wait_end(1s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "error_tts");
    EXPECT_EQ(transport_->samples(), 0U);
}

TEST_F(TtsFallbackCallTest, WithTheFirstAudioTimeoutOffASilentTtsIsNotReplaced) {
    start(false, "tts.silent", {"tts.canned"}, true, 0);
    caller_->silence_until([] { return false; }, 1500ms);
    EXPECT_TRUE(events_->of_type("provider_fallback").empty());
    EXPECT_EQ(canned_text(), "");
    EXPECT_EQ(events_->ends(), 0);
}

TEST_F(TtsFallbackCallTest, WithNoFallbackLeftTheCallEndsAsErrorTts) {
    start(false, "tts.flaky", {"tts.refusing"}, true);
    ASSERT_TRUE(caller_->silence_until([&] { return events_->ends() > 0; }, 10s));
    auto result = events_->wait_end(1s);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->disconnection_reason, "error_tts");
    EXPECT_TRUE(result->failed);
    ASSERT_EQ(result->provider_switches.size(), 1U);  // to tts.refusing, which did not open
    EXPECT_EQ(transport_->samples(), 0U);
}

}  // namespace
}  // namespace vox::test
