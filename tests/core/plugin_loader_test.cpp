// The loader against real shared libraries: good plugins load, each broken
// one is refused with its path and the exact reason, and the rest keep working.
#include <vox/core/plugin_loader.hpp>

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path kPluginDir = VOX_TEST_PLUGIN_DIR;

std::optional<std::string> refusal_for(const vox::PluginRegistry& registry, const std::string& file) {
    for (const auto& refused : registry.refused())
        if (fs::path(refused.origin).filename() == file) return refused.reason;
    return std::nullopt;
}

class LoaderTest : public ::testing::Test {
protected:
    vox::HostServices host;
    vox::PluginRegistry registry{host};
    vox::PluginLoader loader{registry};
};

TEST_F(LoaderTest, LoadsAGoodPluginAndItsProvider) {
    ASSERT_TRUE(loader.load_file(kPluginDir / "good_alpha.so"));
    const vox::Provider* provider = registry.find("tts.alpha");
    ASSERT_NE(provider, nullptr);
    EXPECT_EQ(provider->kind, vox::ProviderKind::tts);
    EXPECT_EQ(provider->plugin->name, "alpha_voice");
    EXPECT_EQ(provider->plugin->version, "1.0.0");
    EXPECT_EQ(provider->capabilities["voices"][0]["id"], "v1");
    EXPECT_EQ(provider->plugin->origin, fs::canonical(kPluginDir / "good_alpha.so").string());
    EXPECT_TRUE(registry.refused().empty());
}

TEST_F(LoaderTest, RefusesMissingEntrySymbol) {
    EXPECT_FALSE(loader.load_file(kPluginDir / "no_entry.so"));
    auto reason = refusal_for(registry, "no_entry.so");
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find("missing the entry symbol vox_plugin_entry"), std::string::npos) << *reason;
}

TEST_F(LoaderTest, RefusesWrongMajorVersion) {
    EXPECT_FALSE(loader.load_file(kPluginDir / "wrong_major.so"));
    auto reason = refusal_for(registry, "wrong_major.so");
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find("built for ABI " + std::to_string(VOX_ABI_MAJOR + 1) + "."), std::string::npos) << *reason;
    EXPECT_NE(reason->find("major version must be equal"), std::string::npos) << *reason;
    EXPECT_EQ(registry.find("tts.delta"), nullptr);
}

TEST_F(LoaderTest, RefusesNewerMinorVersion) {
    EXPECT_FALSE(loader.load_file(kPluginDir / "newer_minor.so"));
    auto reason = refusal_for(registry, "newer_minor.so");
    ASSERT_TRUE(reason);
    std::string expected = "built for ABI " + std::to_string(VOX_ABI_MAJOR) + "." + std::to_string(VOX_ABI_MINOR + 1) +
                           ", newer than this host's ABI";
    EXPECT_NE(reason->find(expected), std::string::npos) << *reason;
}

TEST_F(LoaderTest, RefusesADuplicateProviderKey) {
    ASSERT_TRUE(loader.load_file(kPluginDir / "good_alpha.so"));
    EXPECT_FALSE(loader.load_file(kPluginDir / "later_alpha.so"));
    auto reason = refusal_for(registry, "later_alpha.so");
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find("duplicate provider tts.alpha"), std::string::npos) << *reason;
    EXPECT_NE(reason->find("alpha_voice"), std::string::npos) << *reason;
    // The first one keeps serving.
    ASSERT_NE(registry.find("tts.alpha"), nullptr);
    EXPECT_EQ(registry.find("tts.alpha")->plugin->name, "alpha_voice");
}

TEST_F(LoaderTest, RefusesAPluginWhoseInitFails) {
    EXPECT_FALSE(loader.load_file(kPluginDir / "init_fails.so"));
    auto reason = refusal_for(registry, "init_fails.so");
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find("init failed"), std::string::npos) << *reason;
    EXPECT_NE(reason->find("/nonexistent/model.bin is missing"), std::string::npos) << *reason;
    EXPECT_EQ(registry.find("tts.zeta"), nullptr);
    EXPECT_TRUE(registry.plugins().empty());
}

TEST_F(LoaderTest, RefusesAMissingMandatoryFunction) {
    EXPECT_FALSE(loader.load_file(kPluginDir / "missing_function.so"));
    auto reason = refusal_for(registry, "missing_function.so");
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find("tts.eta lacks the mandatory function cancel"), std::string::npos) << *reason;
}

TEST_F(LoaderTest, RefusesCapabilitiesThatAreNotJson) {
    EXPECT_FALSE(loader.load_file(kPluginDir / "bad_capabilities.so"));
    auto reason = refusal_for(registry, "bad_capabilities.so");
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find("capabilities_json is not a JSON object"), std::string::npos) << *reason;
}

TEST_F(LoaderTest, RefusesAFileThatIsNotASharedLibrary) {
    EXPECT_FALSE(loader.load_file(kPluginDir / "not_a_library.so"));
    auto reason = refusal_for(registry, "not_a_library.so");
    ASSERT_TRUE(reason);
    EXPECT_NE(reason->find("cannot open the shared library"), std::string::npos) << *reason;
}

TEST_F(LoaderTest, ADirectoryWithBrokenPluginsStillYieldsTheGoodOnes) {
    loader.load_directory(kPluginDir);
    EXPECT_NE(registry.find("tts.alpha"), nullptr);
    EXPECT_NE(registry.find("tts.beta"), nullptr);
    EXPECT_EQ(registry.providers().size(), 2U);
    for (const char* file : {"no_entry.so", "wrong_major.so", "newer_minor.so", "init_fails.so", "later_alpha.so",
                             "missing_function.so", "bad_capabilities.so", "not_a_library.so"})
        EXPECT_TRUE(refusal_for(registry, file)) << file << " should have been refused";
    EXPECT_EQ(registry.refused().size(), 8U);
    auto json = registry.to_json();
    EXPECT_EQ(json["refused"].size(), 8U);
    EXPECT_EQ(json["providers"].size(), 2U);
}

TEST_F(LoaderTest, TheSameFileReachedTwiceIsLoadedOnce) {
    ASSERT_TRUE(loader.load_file(kPluginDir / "good_alpha.so"));
    EXPECT_FALSE(loader.load_file(kPluginDir / "." / "good_alpha.so"));
    EXPECT_TRUE(registry.refused().empty());
    EXPECT_EQ(registry.plugins().size(), 1U);
}

TEST_F(LoaderTest, AMissingDirectoryIsSkipped) {
    loader.load_search_path({kPluginDir / "does-not-exist", kPluginDir});
    EXPECT_NE(registry.find("tts.alpha"), nullptr);
}

TEST(LoaderLifetime, PluginsAreNeverUnloaded) {
    auto path = fs::canonical(kPluginDir / "good_beta.so").string();
    {
        vox::HostServices host;
        vox::PluginRegistry registry(host);
        vox::PluginLoader loader(registry);
        ASSERT_TRUE(loader.load_file(path));
    }
    // RTLD_NOLOAD only finds a library that is still mapped.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    EXPECT_NE(handle, nullptr) << "the plugin was unloaded when its registry went away";
    if (handle != nullptr) dlclose(handle);
}

TEST(SearchPath, ConfiguredDirectoriesComeFirstWithoutDuplicates) {
    vox::PluginSearchOptions options;
    options.configured_path = std::string(VOX_TEST_PLUGIN_DIR) + "::/tmp:" + VOX_TEST_PLUGIN_DIR;
    options.include_builtin = false;
    auto path = vox::plugin_search_path(options);
    ASSERT_EQ(path.size(), 2U);
    EXPECT_EQ(path[0], fs::weakly_canonical(kPluginDir));
    EXPECT_EQ(path[1], fs::path("/tmp"));
}

TEST(SearchPath, TheBuiltinDirectoryIsNextToTheExecutable) {
    vox::PluginSearchOptions options;
    auto path = vox::plugin_search_path(options);
    ASSERT_EQ(path.size(), 1U);
    EXPECT_EQ(path[0], vox::builtin_plugin_directory());
    EXPECT_EQ(path[0].filename(), "plugins");
}

}  // namespace
