// stt.deepgram as the call pipeline uses it: through the host's SttClient
// (which resamples and serialises), against the fake Deepgram server.
#include "deepgram_test_support.hpp"

#include <vox/core/providers/stt_client.hpp>

#include <span>

namespace vox::test {
namespace {

TEST_F(DeepgramTest, DescribesItself) {
    EXPECT_EQ(provider_->kind, ProviderKind::stt);
    EXPECT_EQ(provider_->capabilities.at("streaming"), true);
    EXPECT_EQ(provider_->capabilities.at("sample_rates"), nlohmann::json::array({8000, 16000, 24000, 48000}));
    EXPECT_TRUE(provider_->settings_schema.at("properties").contains("language"));
    EXPECT_EQ(provider_->settings_schema.at("additionalProperties"), false);
}

TEST_F(DeepgramTest, SttClientTurnGivesPartialsThenOneFinal) {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<SttTranscript> partials;
    std::vector<SttTranscript> finals;
    std::vector<std::string> errors;
    SttCallbacks callbacks;
    callbacks.on_transcript = [&](const SttTranscript& t) {
        std::lock_guard lock(mutex);
        (t.is_final ? finals : partials).push_back(t);
        changed.notify_all();
    };
    callbacks.on_error = [&](const ProviderError& e) {
        std::lock_guard lock(mutex);
        errors.emplace_back(e.what());
        changed.notify_all();
    };
    // A telephone call: 8 kHz, which the provider takes as it is.
    SttClient client(*provider_, callbacks, {nlohmann::json{{"language", "en-US"}}, 8000});
    EXPECT_EQ(client.provider_sample_rate(), 8000u);
    std::vector<std::int16_t> chunk(160);  // 20 ms
    for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = (i / 9) % 2 == 0 ? 2500 : -2500;
    for (int i = 0; i < 25; ++i) client.push_audio({std::span<const std::int16_t>(chunk), 8000, 1});
    client.flush();
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, 10s, [&] { return !finals.empty() || !errors.empty(); }));
    EXPECT_TRUE(errors.empty()) << errors[0];
    ASSERT_EQ(finals.size(), 1u);
    EXPECT_EQ(finals[0].text, "Book a table for two.");
    EXPECT_EQ(finals[0].end_ms, 500u);
    EXPECT_GE(finals[0].confidence, 0.0F);
    ASSERT_FALSE(partials.empty());
    EXPECT_EQ(partials.front().text, "Book");
    EXPECT_EQ(server_.connections().at(0).query.at("sample_rate"), "8000");
}

TEST_F(DeepgramTest, SttClientOpenFailsWithTheProvidersCode) {
    server_.set_script({.handshake_status = 401});
    try {
        SttClient client(*provider_, {}, {{}, 16000});
        FAIL() << "open succeeded against a refusing server";
    } catch (const ProviderError& error) {
        EXPECT_EQ(error.code(), VOX_ERR_AUTH);
        EXPECT_EQ(std::string(error.what()).find(server_.api_key()), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace vox::test
