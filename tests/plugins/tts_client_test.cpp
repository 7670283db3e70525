// vox::TtsClient against a scriptable fake provider (an SDK plugin compiled
// into this test): errors, the cancel guarantee even when a plugin breaks
// it, resampling with its tail, re-entrancy and lifetime.
#include <vox/core/audio/level.hpp>
#include <vox/core/host_services.hpp>
#include <vox/core/plugin_registry.hpp>
#include <vox/core/providers/tts_client.hpp>
#include <vox/sdk/plugin.hpp>
#include <vox/sdk/tts.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <vector>

namespace vox::test {
namespace {

// The fake delivers only when the test tells it to, and (on purpose) keeps
// delivering after cancel, as a buggy plugin might.
struct FakeSession final : sdk::TtsSession {
    explicit FakeSession(sdk::TtsSink s) : sink(std::move(s)) {}
    void push_text(std::uint64_t context, std::string_view text) override {
        if (text == "boom") throw sdk::Error(VOX_ERR_RATE_LIMITED, "slow down");
        if (text == "echo") {  // a callback from inside push_text, on the caller's thread
            std::int16_t samples[160] = {};
            samples[0] = 1000;
            sink.audio(context, samples, 160, 16000);
        }
        pushed.push_back(std::string(text));
    }
    void flush(std::uint64_t) override {}
    void cancel(std::uint64_t context) noexcept override { cancelled.push_back(context); }
    ~FakeSession() override { closed = true; }

    sdk::TtsSink sink;
    std::vector<std::string> pushed;
    std::vector<std::uint64_t> cancelled;
    static inline std::atomic<bool> closed{false};
};

FakeSession* g_session = nullptr;

struct FakeTts final : sdk::TtsProvider {
    std::unique_ptr<sdk::TtsSession> open(std::string_view settings, sdk::TtsSink sink) override {
        if (settings.find("refuse") != std::string_view::npos)
            throw sdk::Error(VOX_ERR_INVALID_ARGUMENT, "this fake refuses such settings");
        auto session = std::make_unique<FakeSession>(std::move(sink));
        g_session = session.get();
        FakeSession::closed = false;
        return session;
    }
};

struct FakePlugin : sdk::Plugin {
    FakePlugin(sdk::Host host, std::string_view) : Plugin(host) {}
    FakeTts tts;
};

const vox_plugin_descriptor* fake_descriptor() {
    static const vox_provider tts = sdk::tts_provider<&FakePlugin::tts>({"fake", "Scriptable fake", "{}"});
    static const vox_provider* const providers[] = {&tts};
    static const vox_plugin_descriptor descriptor =
        sdk::plugin_descriptor<FakePlugin>({"fake_tts", "0.0.1", "test fake"}, providers);
    return &descriptor;
}

std::vector<std::int16_t> sine(std::uint32_t rate, double hz, double seconds) {
    std::vector<std::int16_t> samples(static_cast<std::size_t>(rate * seconds));
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = static_cast<std::int16_t>(10000 * std::sin(2 * M_PI * hz * static_cast<double>(i) / rate));
    return samples;
}

class TtsClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(registry_.add(&fake_descriptor, "static:fake_tts"));
        provider_ = registry_.find("tts.fake");
        ASSERT_NE(provider_, nullptr);
    }

    TtsCallbacks recording() {
        TtsCallbacks c;
        c.on_audio = [this](std::uint64_t context, const audio::AudioView& a) {
            std::lock_guard lock(mutex_);
            audio_[context].insert(audio_[context].end(), a.samples.begin(), a.samples.end());
            rates_[context] = a.sample_rate;
        };
        c.on_word = [this](std::uint64_t context, std::string_view, std::uint32_t, std::uint32_t) {
            std::lock_guard lock(mutex_);
            ++words_[context];
        };
        c.on_done = [this](std::uint64_t context) {
            std::lock_guard lock(mutex_);
            done_.push_back(context);
        };
        c.on_error = [this](std::uint64_t context, const ProviderError& e) {
            std::lock_guard lock(mutex_);
            errors_[context] = e.what();
        };
        return c;
    }

    HostServices host_;
    PluginRegistry registry_{host_};
    const Provider* provider_ = nullptr;
    std::mutex mutex_;
    std::map<std::uint64_t, std::vector<std::int16_t>> audio_;
    std::map<std::uint64_t, std::uint32_t> rates_;
    std::map<std::uint64_t, int> words_;
    std::vector<std::uint64_t> done_;
    std::map<std::uint64_t, std::string> errors_;
};

TEST_F(TtsClientTest, RefusesProvidersOfOtherKinds) {
    Provider stt;
    stt.key = "stt.something";
    stt.kind = ProviderKind::stt;
    try {
        TtsClient client(stt, {});
        FAIL() << "opened a TTS session on an STT provider";
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
        EXPECT_NE(std::string(e.what()).find("not a tts provider"), std::string::npos) << e.what();
    }
}

TEST_F(TtsClientTest, ErrorsCarryThePluginsStatusAndMessage) {
    TtsOptions refuse;
    refuse.settings = {{"refuse", true}};
    try {
        TtsClient client(*provider_, {}, refuse);
        FAIL();
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_INVALID_ARGUMENT);
        EXPECT_EQ(std::string(e.what()), "tts.fake: open failed: this fake refuses such settings");
    }
    TtsClient client(*provider_, recording());
    try {
        client.push_text(1, "boom");
        FAIL();
    } catch (const ProviderError& e) {
        EXPECT_EQ(e.code(), VOX_ERR_RATE_LIMITED);
        EXPECT_STREQ(e.code_name(), "rate_limited");
        EXPECT_EQ(e.provider_key(), "tts.fake");
        EXPECT_EQ(std::string(e.what()), "tts.fake: push_text failed: slow down");
    }
    // Provider-side errors arrive through on_error as the same type.
    g_session->sink.error(4, VOX_ERR_UNAVAILABLE, "engine gone");
    EXPECT_EQ(errors_[4], "tts.fake: engine gone");
}

TEST_F(TtsClientTest, NothingOfACancelledContextReachesTheCaller) {
    TtsClient client(*provider_, recording());
    client.push_text(1, "a");
    client.push_text(2, "b");
    client.cancel(1);
    ASSERT_EQ(g_session->cancelled, std::vector<std::uint64_t>{1});  // forwarded to the plugin
    std::int16_t samples[80] = {1, 2, 3};
    // The fake misbehaves: it keeps delivering context 1.
    g_session->sink.audio(1, samples, 80, 16000);
    g_session->sink.word(1, "late", 0, 10);
    g_session->sink.done(1);
    g_session->sink.error(1, VOX_ERR_INTERNAL, "late");
    g_session->sink.audio(2, samples, 80, 16000);
    g_session->sink.done(2);
    EXPECT_EQ(audio_.count(1), 0u);
    EXPECT_EQ(words_.count(1), 0u);
    EXPECT_EQ(errors_.count(1), 0u);
    EXPECT_EQ(done_, std::vector<std::uint64_t>{2});
    EXPECT_EQ(audio_[2].size(), 80u);
}

TEST_F(TtsClientTest, ResamplesToTheOutputRateAndFlushesTheTailAtDone) {
    TtsOptions options;
    options.output_sample_rate = 16000;
    TtsClient client(*provider_, recording(), options);
    std::vector<std::int16_t> input = sine(8000, 440, 1.0);
    for (std::size_t offset = 0; offset < input.size(); offset += 800)
        g_session->sink.audio(7, input.data() + offset, 800, 8000);
    std::size_t before_done = audio_[7].size();
    EXPECT_LT(before_done, 16000u);  // the filter holds some back...
    g_session->sink.done(7);
    EXPECT_NEAR(static_cast<double>(audio_[7].size()), 16000.0, 2.0);  // ...and releases it before on_done
    EXPECT_EQ(rates_[7], 16000u);
    EXPECT_EQ(done_, std::vector<std::uint64_t>{7});
    EXPECT_NEAR(audio::rms_dbfs(audio_[7]), audio::rms_dbfs(input), 0.5);

    // Audio already at the output rate passes through untouched.
    std::vector<std::int16_t> same = sine(16000, 440, 0.1);
    g_session->sink.audio(8, same.data(), same.size(), 16000);
    EXPECT_EQ(audio_[8], same);
}

TEST_F(TtsClientTest, CallbacksMayCancelButNotPushOrFlush) {
    std::string refused;
    TtsCallbacks callbacks = recording();
    TtsClient* self = nullptr;
    callbacks.on_audio = [&](std::uint64_t context, const audio::AudioView&) {
        try {
            self->push_text(context, "again");
        } catch (const std::logic_error& e) {
            refused = e.what();
        }
        self->cancel(context);  // allowed: drops the rest of the context
    };
    TtsClient client(*provider_, std::move(callbacks));
    self = &client;
    client.push_text(5, "echo");  // the fake calls back from inside push_text
    EXPECT_NE(refused.find("called from its own callback"), std::string::npos) << refused;
    g_session->sink.done(5);
    EXPECT_TRUE(done_.empty());  // cancelled from the callback
    EXPECT_EQ(g_session->pushed, std::vector<std::string>{"echo"});
}

TEST_F(TtsClientTest, CallbackExceptionsStayInTheHost) {
    TtsCallbacks callbacks;
    callbacks.on_audio = [](std::uint64_t, const audio::AudioView&) {
        throw std::runtime_error("bug in the pipeline");
    };
    TtsClient client(*provider_, std::move(callbacks));
    std::int16_t samples[10] = {};
    EXPECT_NO_THROW(g_session->sink.audio(1, samples, 10, 16000));
}

TEST_F(TtsClientTest, ClosesTheSessionOnceAndRefusesLaterCalls) {
    {
        TtsClient client(*provider_, recording());
        TtsClient moved = std::move(client);
        EXPECT_FALSE(FakeSession::closed);
        EXPECT_TRUE(moved.is_open());
        EXPECT_FALSE(client.is_open());  // NOLINT(bugprone-use-after-move): the moved-from state is defined
        moved.close();
        EXPECT_TRUE(FakeSession::closed);
        try {
            moved.flush(1);
            FAIL();
        } catch (const ProviderError& e) {
            EXPECT_EQ(e.code(), VOX_ERR_UNAVAILABLE);
        }
        moved.close();  // idempotent
    }
    {
        TtsClient client(*provider_, recording());
        EXPECT_FALSE(FakeSession::closed);
    }
    EXPECT_TRUE(FakeSession::closed);  // the destructor closed it
}

}  // namespace
}  // namespace vox::test
