// The registry with statically linked plugins written with the C++ SDK: the
// path tests and single-binary builds use, and the same checks as dlopen.
#define VOX_PLUGIN_STATIC
#include <vox/core/plugin_registry.hpp>
#include <vox/sdk.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

std::vector<std::string> g_events;  // init/deinit order across plugins
std::string g_last_config;

// Speaks a 440 Hz tone for as many milliseconds as the text has characters.
class ToneSession final : public vox::sdk::TtsSession {
public:
    explicit ToneSession(vox::sdk::TtsSink sink) : sink_(sink) {}
    void push_text(std::uint64_t, std::string_view text) override { pending_ += text.size(); }
    void flush(std::uint64_t context) override {
        std::vector<std::int16_t> samples(pending_ * 16, 1000);
        sink_.audio(context, samples.data(), samples.size(), 16000);
        sink_.done(context);
        pending_ = 0;
    }
    void cancel(std::uint64_t) noexcept override { pending_ = 0; }

private:
    vox::sdk::TtsSink sink_;
    std::size_t pending_ = 0;
};

class ToneTts final : public vox::sdk::TtsProvider {
public:
    std::unique_ptr<vox::sdk::TtsSession> open(std::string_view settings, vox::sdk::TtsSink sink) override {
        if (settings.find("\"voice\":\"nobody\"") != std::string_view::npos)
            throw vox::sdk::Error(VOX_ERR_NOT_FOUND, "unknown voice 'nobody'");
        return std::make_unique<ToneSession>(sink);
    }
};

class ToneVad final : public vox::sdk::VadProvider {
    class Session final : public vox::sdk::VadSession {
        float process(const vox_audio& audio) override { return audio.frames > 0 ? 1.0F : 0.0F; }
        void reset() noexcept override {}
    };

public:
    std::unique_ptr<vox::sdk::VadSession> open(std::string_view, std::uint32_t) override {
        return std::make_unique<Session>();
    }
};

struct TonePlugin : vox::sdk::Plugin {
    TonePlugin(vox::sdk::Host host, std::string_view config) : Plugin(host) {
        g_events.push_back("init tone");
        g_last_config = std::string(config);
    }
    ~TonePlugin() override { g_events.emplace_back("deinit tone"); }
    ToneTts tts;
    ToneVad vad;
};

const vox_plugin_descriptor* tone_plugin() {
    static const vox_provider tts = vox::sdk::tts_provider<&TonePlugin::tts>(
        {"tone", "A test tone", R"({"voices":[{"id":"a440"}],"sample_rates":[16000]})",
         R"({"type":"object","properties":{"voice":{"type":"string"}}})"});
    static const vox_provider vad = vox::sdk::vad_provider<&TonePlugin::vad>({"tone", "Anything is speech", "{}"});
    static const vox_provider* const providers[] = {&tts, &vad};
    static const vox_plugin_descriptor descriptor =
        vox::sdk::plugin_descriptor<TonePlugin>({"tone", "2.1.0", "Test tones"}, providers);
    return &descriptor;
}

struct OtherPlugin : vox::sdk::Plugin {
    OtherPlugin(vox::sdk::Host host, std::string_view) : Plugin(host) { g_events.emplace_back("init other"); }
    ~OtherPlugin() override { g_events.emplace_back("deinit other"); }
    ToneVad vad;
};

const vox_plugin_descriptor* other_plugin() {
    static const vox_provider vad = vox::sdk::vad_provider<&OtherPlugin::vad>({"other", "Another detector", "{}"});
    static const vox_provider* const providers[] = {&vad};
    static const vox_plugin_descriptor descriptor =
        vox::sdk::plugin_descriptor<OtherPlugin>({"other", "0.1.0", "Another"}, providers);
    return &descriptor;
}

// Two providers with the same key inside one plugin.
struct TwinPlugin : vox::sdk::Plugin {
    TwinPlugin(vox::sdk::Host host, std::string_view) : Plugin(host) {}
    ToneVad first;
    ToneVad second;
};

const vox_plugin_descriptor* twin_plugin() {
    static const vox_provider a = vox::sdk::vad_provider<&TwinPlugin::first>({"twin", "first", "{}"});
    static const vox_provider b = vox::sdk::vad_provider<&TwinPlugin::second>({"twin", "second", "{}"});
    static const vox_provider* const providers[] = {&a, &b};
    static const vox_plugin_descriptor descriptor =
        vox::sdk::plugin_descriptor<TwinPlugin>({"twin", "1.0.0", "Twins"}, providers);
    return &descriptor;
}

// Collects TTS callbacks into a string trace.
struct Trace {
    std::mutex mutex;
    std::size_t frames = 0;
    std::vector<std::uint64_t> done;
    static void on_audio(void* user, std::uint64_t, const vox_audio* audio) {
        auto* self = static_cast<Trace*>(user);
        std::lock_guard lock(self->mutex);
        self->frames += audio->frames;
    }
    static void on_done(void* user, std::uint64_t context) {
        auto* self = static_cast<Trace*>(user);
        std::lock_guard lock(self->mutex);
        self->done.push_back(context);
    }
};

class RegistryTest : public ::testing::Test {
protected:
    void SetUp() override {
        g_events.clear();
        g_last_config.clear();
    }
    vox::HostServices host;
};

TEST_F(RegistryTest, StaticPluginProvidersAreUsableThroughTheAbi) {
    vox::PluginRegistry registry(host);
    ASSERT_TRUE(registry.add(&tone_plugin, "static:tone"));
    const vox::Provider* tts = registry.find(vox::ProviderKind::tts, "tone");
    ASSERT_NE(tts, nullptr);
    EXPECT_EQ(tts->key, "tts.tone");
    EXPECT_EQ(tts->settings_schema["properties"]["voice"]["type"], "string");
    ASSERT_NE(registry.find("vad.tone"), nullptr);

    const auto& vtable = tts->vtable<vox_tts_vtable>();
    Trace trace;
    vox_tts_callbacks callbacks{sizeof(vox_tts_callbacks), &trace, &Trace::on_audio, nullptr, &Trace::on_done, nullptr};
    vox_tts_session* session = nullptr;
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    ASSERT_EQ(vtable.open(tts->plugin_context(), "{}", &callbacks, &session, &err), VOX_OK);
    ASSERT_EQ(vtable.push_text(session, 7, "hello", 5, &err), VOX_OK);
    ASSERT_EQ(vtable.flush(session, 7, &err), VOX_OK);
    vtable.close(session);
    EXPECT_EQ(trace.frames, 5U * 16U);
    EXPECT_EQ(trace.done, std::vector<std::uint64_t>{7});
}

TEST_F(RegistryTest, PluginErrorsCrossTheBoundaryAsStatusAndMessage) {
    vox::PluginRegistry registry(host);
    ASSERT_TRUE(registry.add(&tone_plugin, "static:tone"));
    const vox::Provider* tts = registry.find("tts.tone");
    vox_tts_callbacks callbacks{sizeof(vox_tts_callbacks), nullptr, nullptr, nullptr, nullptr, nullptr};
    vox_tts_session* session = nullptr;
    vox_error err{sizeof(vox_error), VOX_OK, {}};
    EXPECT_EQ(tts->vtable<vox_tts_vtable>().open(tts->plugin_context(), R"({"voice":"nobody"})", &callbacks, &session, &err),
              VOX_ERR_NOT_FOUND);
    EXPECT_EQ(err.code, VOX_ERR_NOT_FOUND);
    EXPECT_STREQ(err.message, "unknown voice 'nobody'");
}

TEST_F(RegistryTest, DisabledProvidersAreSkippedAndListed) {
    vox::RegistryOptions options;
    options.disabled = {"tts.tone"};
    vox::PluginRegistry registry(host, options);
    ASSERT_TRUE(registry.add(&tone_plugin, "static:tone"));
    EXPECT_EQ(registry.find("tts.tone"), nullptr);
    EXPECT_NE(registry.find("vad.tone"), nullptr);
    ASSERT_EQ(registry.disabled().size(), 1U);
    EXPECT_EQ(registry.disabled()[0].key, "tts.tone");
    EXPECT_EQ(registry.to_json()["disabled"][0]["key"], "tts.tone");
}

TEST_F(RegistryTest, APluginWithEveryProviderDisabledIsNotInitialised) {
    vox::RegistryOptions options;
    options.disabled = {"vad.other"};
    vox::PluginRegistry registry(host, options);
    EXPECT_FALSE(registry.add(&other_plugin, "static:other"));
    EXPECT_TRUE(registry.refused().empty());
    EXPECT_TRUE(g_events.empty());
}

TEST_F(RegistryTest, InitReceivesTheConfiguredSettingsOfItsProviders) {
    vox::RegistryOptions options;
    options.settings_for = [](const std::string& key) {
        return key == "tts.tone" ? nlohmann::json{{"voice", "a440"}} : nlohmann::json::object();
    };
    vox::PluginRegistry registry(host, options);
    ASSERT_TRUE(registry.add(&tone_plugin, "static:tone"));
    auto config = nlohmann::json::parse(g_last_config);
    EXPECT_EQ(config["tts.tone"]["voice"], "a440");
    EXPECT_TRUE(config["vad.tone"].is_object());
}

TEST_F(RegistryTest, DuplicateKeysWithinOnePluginAreRefused) {
    vox::PluginRegistry registry(host);
    EXPECT_FALSE(registry.add(&twin_plugin, "static:twin"));
    ASSERT_EQ(registry.refused().size(), 1U);
    EXPECT_NE(registry.refused()[0].reason.find("duplicate provider vad.twin within plugin 'twin'"), std::string::npos)
        << registry.refused()[0].reason;
}

TEST_F(RegistryTest, ShutdownDeinitialisesInReverseOrderAndForgetsProviders) {
    vox::PluginRegistry registry(host);
    ASSERT_TRUE(registry.add(&tone_plugin, "static:tone"));
    ASSERT_TRUE(registry.add(&other_plugin, "static:other"));
    registry.shutdown();
    EXPECT_EQ(g_events, (std::vector<std::string>{"init tone", "init other", "deinit other", "deinit tone"}));
    EXPECT_EQ(registry.find("tts.tone"), nullptr);
    registry.shutdown();  // idempotent
    EXPECT_EQ(g_events.size(), 4U);
}

TEST_F(RegistryTest, ToJsonDescribesProvidersAndPlugins) {
    vox::PluginRegistry registry(host);
    ASSERT_TRUE(registry.add(&tone_plugin, "static:tone"));
    auto json = registry.to_json();
    ASSERT_EQ(json["providers"].size(), 2U);
    const auto& tts = json["providers"][0]["key"] == "tts.tone" ? json["providers"][0] : json["providers"][1];
    EXPECT_EQ(tts["kind"], "tts");
    EXPECT_EQ(tts["name"], "tone");
    EXPECT_EQ(tts["version"], "2.1.0");
    EXPECT_EQ(tts["capabilities"]["voices"][0]["id"], "a440");
    EXPECT_EQ(json["plugins"][0]["path"], "static:tone");
    EXPECT_EQ(json["plugins"][0]["abi"], std::to_string(VOX_ABI_MAJOR) + "." + std::to_string(VOX_ABI_MINOR));
    EXPECT_TRUE(json["refused"].empty());
}

TEST(HostServicesTest, WorkRunsOnThePoolUntilShutdown) {
    vox::HostServices host;
    const vox_host_services* table = host.table_for("worker");
    ASSERT_EQ(table->abi_major, static_cast<uint32_t>(VOX_ABI_MAJOR));
    std::atomic<int> runs{0};
    std::thread::id caller = std::this_thread::get_id();
    std::atomic<bool> on_other_thread{false};
    struct Job {
        std::atomic<int>* runs;
        std::thread::id caller;
        std::atomic<bool>* other;
    } job{&runs, caller, &on_other_thread};
    auto work = [](void* arg) {
        auto* j = static_cast<Job*>(arg);
        j->other->store(std::this_thread::get_id() != j->caller);
        j->runs->fetch_add(1);
    };
    ASSERT_EQ(table->post_work(table->host, work, &job), VOX_OK);
    host.shutdown();  // waits for queued work
    EXPECT_EQ(runs.load(), 1);
    EXPECT_TRUE(on_other_thread.load());
    EXPECT_EQ(table->post_work(table->host, work, &job), VOX_ERR_UNAVAILABLE);
    EXPECT_EQ(runs.load(), 1);
    EXPECT_GT(table->monotonic_ns(table->host), 0U);
}

}  // namespace
