// Shared by the tts_espeak tests: a registry holding the real tts_espeak
// plugin built in this tree. Capturing a session's output, speaking a text
// and recognising speech with pocketsphinx come from flite_test_support.hpp
// (they work for any TTS provider).
#pragma once

#include "flite_test_support.hpp"

namespace vox::test {

class EspeakFixture : public ::testing::Test {
protected:
    explicit EspeakFixture(HostServices::Options options = {}) : host_(std::move(options)), registry_(host_) {}

    void SetUp() override {
        ASSERT_TRUE(std::filesystem::exists(VOX_TEST_ESPEAK_PLUGIN)) << VOX_TEST_ESPEAK_PLUGIN;
        bool loaded = PluginLoader(registry_).load_file(VOX_TEST_ESPEAK_PLUGIN);
        std::string reasons;
        for (const auto& refused : registry_.refused()) reasons += refused.origin + ": " + refused.reason + "\n";
        ASSERT_TRUE(loaded) << reasons;
        provider_ = registry_.find("tts.espeak");
        ASSERT_NE(provider_, nullptr);
    }

    const Provider& espeak() const { return *provider_; }

    HostServices host_;
    PluginRegistry registry_;
    const Provider* provider_ = nullptr;
};

inline double ms_since(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace vox::test
