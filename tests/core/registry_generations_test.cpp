// Registry generations (a configuration reload): a plugin whose settings did
// not change is carried over to the new registry without a second init; one
// whose settings changed gets a fresh context next to the old one, which is
// deinitialised only when the last registry holding it shuts down; a plugin
// built for ABI 1.2 is never initialised twice and its change waits for a
// restart.
#define VOX_PLUGIN_STATIC
#include <vox/core/plugin_registry.hpp>
#include <vox/sdk.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

namespace {

std::vector<std::string> g_events;  // "init <greeting>" / "deinit <greeting>"

class GreetingVad final : public vox::sdk::VadProvider {
    class Session final : public vox::sdk::VadSession {
        float process(const vox_audio&) override { return 0.0F; }
        void reset() noexcept override {}
    };

public:
    std::unique_ptr<vox::sdk::VadSession> open(std::string_view, std::uint32_t) override {
        return std::make_unique<Session>();
    }
};

// Remembers the greeting it was configured with, per context.
struct GreetingPlugin : vox::sdk::Plugin {
    GreetingPlugin(vox::sdk::Host host, std::string_view config) : Plugin(host) {
        auto settings = nlohmann::json::parse(config);
        greeting = settings["vad.greeting"].value("greeting", "none");
        g_events.push_back("init " + greeting);
    }
    ~GreetingPlugin() override { g_events.push_back("deinit " + greeting); }
    std::string greeting;
    GreetingVad vad;
};

const vox_plugin_descriptor* greeting_plugin() {
    static const vox_provider vad = vox::sdk::vad_provider<&GreetingPlugin::vad>({"greeting", "Greets", "{}"});
    static const vox_provider* const providers[] = {&vad};
    static const vox_plugin_descriptor descriptor =
        vox::sdk::plugin_descriptor<GreetingPlugin>({"greeting", "1.0.0", "Greets"}, providers);
    return &descriptor;
}

// The same plugin as built against ABI 1.2, which promised a single init.
const vox_plugin_descriptor* old_abi_greeting_plugin() {
    static const vox_plugin_descriptor descriptor = [] {
        vox_plugin_descriptor copy = *greeting_plugin();
        copy.abi_minor = 2;
        return copy;
    }();
    return &descriptor;
}

vox::RegistryOptions configured(const std::string& greeting, const vox::PluginRegistry* previous = nullptr) {
    vox::RegistryOptions options;
    options.settings_for = [greeting](const std::string&) { return nlohmann::json{{"greeting", greeting}}; };
    options.previous = previous;
    options.stops_host_services = false;
    return options;
}

std::string greeting_of(const vox::PluginRegistry& registry) {
    const vox::Provider* provider = registry.find("vad.greeting");
    if (provider == nullptr) return "<no provider>";
    return static_cast<const GreetingPlugin*>(provider->plugin_context())->greeting;
}

class RegistryGenerationsTest : public ::testing::Test {
protected:
    void SetUp() override { g_events.clear(); }
    vox::HostServices host;
};

TEST_F(RegistryGenerationsTest, UnchangedSettingsCarryThePluginOverWithoutASecondInit) {
    auto first = std::make_unique<vox::PluginRegistry>(host, configured("hello"));
    ASSERT_TRUE(first->add(&greeting_plugin, "static:greeting"));
    vox::PluginRegistry second(host, configured("hello", first.get()));
    ASSERT_TRUE(second.add(&greeting_plugin, "static:greeting"));

    EXPECT_EQ(g_events, std::vector<std::string>{"init hello"});
    EXPECT_EQ(second.find("vad.greeting")->plugin_context(), first->find("vad.greeting")->plugin_context());
    EXPECT_FALSE(second.initialised_here(*second.find("vad.greeting")->plugin));
    EXPECT_TRUE(second.restart_needed().empty());

    first.reset();  // the old generation goes: the plugin stays, the new one holds it
    EXPECT_EQ(g_events, std::vector<std::string>{"init hello"});
    EXPECT_EQ(greeting_of(second), "hello");
    second.shutdown();
    EXPECT_EQ(g_events, (std::vector<std::string>{"init hello", "deinit hello"}));
}

TEST_F(RegistryGenerationsTest, ChangedSettingsGetANewContextAndTheOldOneLastsAsLongAsItsRegistry) {
    auto first = std::make_unique<vox::PluginRegistry>(host, configured("hello"));
    ASSERT_TRUE(first->add(&greeting_plugin, "static:greeting"));
    auto second = std::make_unique<vox::PluginRegistry>(host, configured("bonjour", first.get()));
    ASSERT_TRUE(second->add(&greeting_plugin, "static:greeting"));

    EXPECT_EQ(g_events, (std::vector<std::string>{"init hello", "init bonjour"}));
    EXPECT_TRUE(second->initialised_here(*second->find("vad.greeting")->plugin));
    EXPECT_EQ(greeting_of(*first), "hello");  // a live call on the old generation is undisturbed
    EXPECT_EQ(greeting_of(*second), "bonjour");

    first.reset();
    EXPECT_EQ(g_events, (std::vector<std::string>{"init hello", "init bonjour", "deinit hello"}));
    second.reset();
    EXPECT_EQ(g_events, (std::vector<std::string>{"init hello", "init bonjour", "deinit hello", "deinit bonjour"}));
}

TEST_F(RegistryGenerationsTest, APluginBuiltForAbi12IsKeptAndItsChangeWaitsForARestart) {
    auto first = std::make_unique<vox::PluginRegistry>(host, configured("hello"));
    ASSERT_TRUE(first->add(&old_abi_greeting_plugin, "static:old"));
    vox::PluginRegistry second(host, configured("bonjour", first.get()));
    ASSERT_TRUE(second.add(&old_abi_greeting_plugin, "static:old"));

    EXPECT_EQ(g_events, std::vector<std::string>{"init hello"});
    EXPECT_EQ(greeting_of(second), "hello");
    ASSERT_EQ(second.restart_needed().size(), 1U);
    EXPECT_EQ(second.restart_needed()[0].plugin, "greeting");
    EXPECT_NE(second.restart_needed()[0].reason.find("ABI 1.2"), std::string::npos)
        << second.restart_needed()[0].reason;
}

TEST_F(RegistryGenerationsTest, APluginRefusedBeforeLoadsWhenItsSettingsAllowIt) {
    // A first generation where the provider was switched off, then a reload that switches it on.
    vox::RegistryOptions off = configured("hello");
    off.disabled = {"vad.greeting"};
    auto first = std::make_unique<vox::PluginRegistry>(host, off);
    EXPECT_FALSE(first->add(&greeting_plugin, "static:greeting"));
    vox::PluginRegistry second(host, configured("hello", first.get()));
    ASSERT_TRUE(second.add(&greeting_plugin, "static:greeting"));
    EXPECT_EQ(greeting_of(second), "hello");
    EXPECT_TRUE(second.initialised_here(*second.find("vad.greeting")->plugin));
}

TEST_F(RegistryGenerationsTest, AKeptPluginOutlivesEveryRegistry) {
    auto registry = std::make_unique<vox::PluginRegistry>(host, configured("hello"));
    ASSERT_TRUE(registry->add(&greeting_plugin, "static:greeting"));
    auto kept = registry->keep_plugin(*registry->find("vad.greeting"));
    ASSERT_NE(kept, nullptr);
    registry.reset();
    EXPECT_EQ(g_events, std::vector<std::string>{"init hello"}) << "still held: not deinitialised";
    kept.reset();
    EXPECT_EQ(g_events, (std::vector<std::string>{"init hello", "deinit hello"}));
}

TEST_F(RegistryGenerationsTest, AGenerationLeavesTheHostsWorkPoolRunning) {
    {
        vox::PluginRegistry generation(host, configured("hello"));
        ASSERT_TRUE(generation.add(&greeting_plugin, "static:greeting"));
    }
    std::atomic<bool> ran{false};
    ASSERT_TRUE(host.post([](void* flag) { static_cast<std::atomic<bool>*>(flag)->store(true); }, &ran));
    host.shutdown();  // waits for queued work
    EXPECT_TRUE(ran.load());
}

}  // namespace
