// When the openai_audio plugin loads: the plugin config per provider, the
// environment, and the rule that a cloud (https) server needs a key.
#include "plugin_fixture.hpp"

#include <cstdlib>
#include <set>

namespace vox::test {
namespace {

struct LoadResult {
    bool loaded = false;
    std::string reason;
    const Provider* stt = nullptr;
    const Provider* tts = nullptr;
};

// Loads the plugin with the given per-provider settings; the registry lives in `registry`.
LoadResult load_with(HostServices& host, std::unique_ptr<PluginRegistry>& registry, const nlohmann::json& stt,
                     const nlohmann::json& tts, std::set<std::string> disabled = {}) {
    RegistryOptions options;
    options.disabled = std::move(disabled);
    options.settings_for = [stt, tts](const std::string& key) {
        return key == "stt.openai" ? stt : key == "tts.openai" ? tts : nlohmann::json::object();
    };
    registry = std::make_unique<PluginRegistry>(host, std::move(options));
    LoadResult result;
    result.loaded = PluginLoader(*registry).load_file(VOX_TEST_OPENAI_AUDIO_PLUGIN);
    if (!registry->refused().empty()) result.reason = registry->refused()[0].reason;
    result.stt = registry->find("stt.openai");
    result.tts = registry->find("tts.openai");
    return result;
}

TEST(OpenAiAudioConfig, AnHttpsServerWithoutAKeyIsRefusedWithTheReason) {
    ::unsetenv("OPENAI_API_KEY");
    ::unsetenv("OPENAI_BASE_URL");
    HostServices host;
    std::unique_ptr<PluginRegistry> registry;
    auto result = load_with(host, registry, nlohmann::json::object(), nlohmann::json::object());
    EXPECT_FALSE(result.loaded);
    EXPECT_NE(result.reason.find("OPENAI_API_KEY"), std::string::npos) << result.reason;
    EXPECT_NE(result.reason.find("https://api.openai.com/v1"), std::string::npos) << result.reason;
    EXPECT_EQ(result.stt, nullptr);
    EXPECT_EQ(result.tts, nullptr);
}

TEST(OpenAiAudioConfig, ALocalHttpServerNeedsNoKey) {
    ::unsetenv("OPENAI_API_KEY");
    HostServices host;
    std::unique_ptr<PluginRegistry> registry;
    auto result = load_with(host, registry, {{"base_url", "http://127.0.0.1:8080/v1"}},
                            {{"base_url", "http://127.0.0.1:8880/v1/"}});
    EXPECT_TRUE(result.loaded) << result.reason;
    EXPECT_NE(result.stt, nullptr);
    EXPECT_NE(result.tts, nullptr);
}

TEST(OpenAiAudioConfig, ALocalSttServerAloneNeedsNoKeyWhenTtsIsSwitchedOff) {
    ::unsetenv("OPENAI_API_KEY");
    ::unsetenv("OPENAI_BASE_URL");
    HostServices host;
    std::unique_ptr<PluginRegistry> registry;
    auto result =
        load_with(host, registry, {{"base_url", "http://127.0.0.1:8080/v1"}}, nlohmann::json::object(), {"tts.openai"});
    EXPECT_TRUE(result.loaded) << result.reason;
    EXPECT_NE(result.stt, nullptr);
    EXPECT_EQ(result.tts, nullptr);
    // Switched on, the same tts.openai (cloud, no key) refuses the plugin.
    auto both = load_with(host, registry, {{"base_url", "http://127.0.0.1:8080/v1"}}, nlohmann::json::object());
    EXPECT_FALSE(both.loaded);
    EXPECT_NE(both.reason.find("tts.openai: no API key"), std::string::npos) << both.reason;
}

TEST(OpenAiAudioConfig, TheKeyAndAddressMayComeFromTheEnvironment) {
    ::setenv("OPENAI_API_KEY", "sk-from-the-environment", 1);
    ::setenv("OPENAI_BASE_URL", "https://example.invalid/v1", 1);
    HostServices host;
    std::unique_ptr<PluginRegistry> registry;
    auto result = load_with(host, registry, nlohmann::json::object(), nlohmann::json::object());
    ::unsetenv("OPENAI_API_KEY");
    ::unsetenv("OPENAI_BASE_URL");
    EXPECT_TRUE(result.loaded) << result.reason;
}

TEST(OpenAiAudioConfig, UnknownOrBadSettingsAreRefusedByName) {
    HostServices host;
    std::unique_ptr<PluginRegistry> registry;
    auto unknown = load_with(host, registry, {{"base_url", "http://127.0.0.1:9/v1"}, {"voice", "alloy"}},
                             {{"base_url", "http://127.0.0.1:9/v1"}});
    EXPECT_FALSE(unknown.loaded);
    EXPECT_NE(unknown.reason.find("stt.openai: unknown setting \"voice\""), std::string::npos) << unknown.reason;
    auto bad = load_with(host, registry, {{"base_url", "http://127.0.0.1:9/v1"}},
                         {{"base_url", "http://127.0.0.1:9/v1"}, {"retries", "many"}});
    EXPECT_FALSE(bad.loaded);
    EXPECT_NE(bad.reason.find("tts.openai: \"retries\" must be a whole number"), std::string::npos) << bad.reason;
    // Values from voxd.ini or VOX_PROVIDER_* arrive as strings: accepted.
    auto strings = load_with(host, registry, {{"base_url", "http://127.0.0.1:9/v1"}, {"read_timeout_ms", "5000"}},
                             {{"base_url", "http://127.0.0.1:9/v1"}, {"speed", "1.5"}});
    EXPECT_TRUE(strings.loaded) << strings.reason;
}

}  // namespace
}  // namespace vox::test
